/**
 * The sprite of a logged title: an existing PNG referenced (or copied into the folder), or one
 * built from image data, tile backgrounds optionally in the viewer's palette.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { colorBy } from '../../color/color-by';
import { metadataColumn } from '../../data/metadata-tsv';
import { spriteGeometry } from '../../data/sprite-geometry';
import { createEmbeddingImage, encodePng, toImageStack, type ImageInput, type Rgb } from '../../sprite/embedding-image';
import { fail } from './errors';
import { cellValue } from './tsv';
import { checkImageSize, readLabels, type LabelsInput, type Table } from './validate';

type CreateOptions = NonNullable<Parameters<typeof createEmbeddingImage>[2]>;

/** What logEmbedding takes about images; the rest of its options are about names and files. */
export interface SpriteOptions {
  /** Image data for the sprite, or the path (or URL) of an existing sprite PNG used as it is. */
  images?: ImageInput | string;
  /** [width, height] or [width, height, channels] of one image. */
  imageSize?: [number, number] | [number, number, number];
  preprocess?: CreateOptions['preprocess'];
  transparentColor?: Rgb;
  /** Each tile is composited over this colour (0..255) and becomes opaque. */
  backgroundColor?: (i: number) => Rgb;
  /** A labels column: tile backgrounds in the viewer's palette for that column. */
  backgroundBy?: string;
  /** With backgroundBy: colours (0..255) for some labels, palette colours for the rest. */
  colors?: Record<string, Rgb>;
}

/** A sprite to reference as it is (imagePath), or PNG bytes to write into the folder. */
interface PreparedSprite {
  imagePath: string;
  singleImageDim: [number, number];
  /** The existing file referenced, if it is a local one. */
  file: string | null;
  png: Uint8Array | null;
}

export async function prepareSprite(dir: string, n: number, table: Table | null, options: SpriteOptions): Promise<PreparedSprite | null> {
  const { images, imageSize } = options;
  if (images == null) return null;
  if (!imageSize) return fail('imageSize is required with images: [width, height] or [width, height, channels]');
  checkImageSize(imageSize);
  const singleImageDim: [number, number] = [imageSize[0], imageSize[1]];

  if (typeof images === 'string') {
    if (options.backgroundBy !== undefined || options.backgroundColor || options.colors || options.preprocess || options.transparentColor) {
      fail('image options apply to image data, not to an existing sprite used as it is');
    }
    // Comet also takes a sprite URL; the config points at it and the browser fetches it.
    if (/^https?:\/\//i.test(images)) return { imagePath: images, singleImageDim, file: null, png: null };
    const bytes = await readFile(images).catch((e: NodeJS.ErrnoException) => fail(`images: cannot read ${images}: ${e.code === 'ENOENT' ? 'no such file' : (e.code ?? e.message)}`));
    const size = pngSize(bytes);
    if (!size) return fail(`images: ${images} is not a PNG file`);
    try {
      spriteGeometry(size.width, size.height, singleImageDim, n, images);
    } catch (e) {
      fail(`images: ${e instanceof Error ? e.message : String(e)}`);
    }
    const inside = relative(resolve(dir), resolve(images));
    if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) {
      return { imagePath: inside.split(sep).join('/'), singleImageDim, file: images, png: null };
    }
    // Outside the log folder a server of that folder could not reach it: keep a copy inside.
    return { imagePath: '', singleImageDim, file: null, png: bytes };
  }

  const stack = imageCall(() => toImageStack(images, imageSize));
  if (stack.n !== n) fail(`images: ${stack.n} images but ${n} vectors; there must be one per vector`);
  const backgroundColor = backgroundFunction(n, table, options);
  const sprite = imageCall(() =>
    createEmbeddingImage(stack, imageSize, {
      preprocess: options.preprocess,
      transparentColor: options.transparentColor,
      backgroundColor,
    }),
  );
  return { imagePath: '', singleImageDim: [sprite.singleImageDim[0], sprite.singleImageDim[1]], file: null, png: encodePng(sprite) };
}

/** The sprite builder's errors name the image; say they are about the images. */
function imageCall<T>(job: () => T): T {
  try {
    return job();
  } catch (e) {
    return fail(`images: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Tile backgrounds (0..255) by a labels column, in the viewer's palette and category order, so
 * a sprite's colours match the view coloured by that column; `colors` overrides some labels.
 */
export function paletteBackground(labels: LabelsInput, n: number, column: string, colors?: Record<string, Rgb>): (i: number) => Rgb {
  return backgroundFunction(n, readLabels(labels, n), { backgroundBy: column, colors })!;
}

/** backgroundColor as given, or from a labels column in the viewer's palette and category order. */
function backgroundFunction(n: number, table: Table | null, options: SpriteOptions): ((i: number) => Rgb) | undefined {
  const { backgroundBy, backgroundColor, colors } = options;
  if (backgroundBy === undefined) {
    if (colors) fail('colors needs backgroundBy: the labels column the colours are for');
    return backgroundColor;
  }
  if (backgroundColor) fail('give backgroundColor or backgroundBy, not both');
  if (!table) return fail(`backgroundBy "${backgroundBy}" needs labels`);
  const c = table.columns.indexOf(backgroundBy);
  if (c < 0) fail(`backgroundBy: no labels column "${backgroundBy}"; the columns are ${table.columns.map((s) => JSON.stringify(s)).join(', ')}`);

  const values = table.rows.map((row) => cellValue(row[c]));
  const column = metadataColumn(backgroundBy, values);
  const palette = colorBy(n, column).colors;
  const fixed = new Map<string, Rgb>();
  for (const [label, rgb] of Object.entries(colors ?? {})) {
    if (!values.includes(label)) fail(`colors: no label "${label}" in column "${backgroundBy}"`);
    if (!Array.isArray(rgb) || rgb.length !== 3 || !rgb.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
      fail(`colors: "${label}" must be [r, g, b] with integers 0..255, got ${JSON.stringify(rgb)}`);
    }
    fixed.set(label, rgb);
  }
  return (i) => {
    const v = values[i];
    const given = v === null ? undefined : fixed.get(v);
    if (given) return given;
    return [0, 1, 2].map((k) => Math.round(palette[i * 3 + k] * 255)) as Rgb;
  };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

