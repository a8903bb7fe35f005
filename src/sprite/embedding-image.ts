/**
 * Comet's `create_embedding_image` (the sprite behind `experiment.log_embedding(image_data=...)`),
 * so a sprite built here matches one Comet built, pixel for pixel.
 *
 * - Grid: s = ceil(sqrt(n)) cells a side on an (s*w) x (s*h) RGBA canvas that starts fully
 *   transparent (0,0,0,0); image i goes to x = (i mod s)*w, y = floor(i/s)*h. Trailing cells stay
 *   transparent.
 * - Values: the optional preprocess runs once on the whole collection, then every value is clipped
 *   to [0, 255] and truncated (numpy's `clip(...).astype(uint8)`). There is NO normalisation:
 *   data in [0, 1] must be scaled by the preprocess (e.g. v => v * 255) or it comes out black.
 * - Grey becomes (v,v,v,255), RGB (r,g,b,255), RGBA keeps its alpha.
 * - transparentColor: a pixel whose RGB equals it exactly gets alpha 0 (its RGB is kept).
 * - backgroundColor(i): tile i is composited over an opaque tile of that colour with Pillow's
 *   `Image.alpha_composite` integer arithmetic, so partial alphas round as Pillow does.
 *
 * Pure: no DOM, no Node built-ins; runs in a worker, the page or Node.
 */
import { encode } from 'fast-png';

export type Rgb = [number, number, number];

/** n images of h x w x c (c = 1 grey, 3 RGB, 4 RGBA), row-major, values as logged. */
export interface ImageStack {
  data: ArrayLike<number>;
  n: number;
  width: number;
  height: number;
  channels: number;
}

export type ImageInput =
  | ImageStack
  | number[][] // flat rows of w*h or w*h*c numbers
  | number[][][] // each image h x w
  | number[][][][] // each image h x w x c
  | { data: ArrayLike<number>; n: number; d: number }; // a typed matrix of flat rows

export interface EmbeddingImageOptions {
  /** Applied ONCE to the whole collection (an ImageStack with Float64Array data) before clipping; may return a new stack or modify in place. */
  preprocess?: (images: ImageStack) => ImageStack | void;
  /** Pixels exactly equal to this colour (after preprocess, clip and truncation) become transparent. */
  transparentColor?: Rgb;
  /** Each tile is composited over this colour and becomes opaque. */
  backgroundColor?: (index: number) => Rgb;
}

export interface EmbeddingImage {
  width: number;
  height: number;
  rgba: Uint8Array;
  /** [width, height] of one cell, as a projector config's sprite.singleImageDim. */
  singleImageDim: [number, number];
  columns: number;
  n: number;
}

const CHANNELS = [1, 3, 4];

function describeSize(w: number, h: number, c: number | null): string {
  return c == null ? `${w} x ${h}` : `${w} x ${h} x ${c}`;
}

function checkSize(imageSize: readonly number[]): { w: number; h: number; c: number | null } {
  const [w, h, c] = imageSize;
  if (!Number.isSafeInteger(w) || !Number.isSafeInteger(h) || w <= 0 || h <= 0) {
    throw new Error(`image size [${imageSize.join(', ')}] must be positive integers [width, height(, channels)]`);
  }
  if (c !== undefined && !CHANNELS.includes(c)) {
    throw new Error(`image size channels ${c} must be 1 (grey), 3 (RGB) or 4 (RGBA)`);
  }
  return { w, h, c: c ?? null };
}

/** Channels of a flat image of `length` values: the given one, or inferred from w*h. */
function channelsForLength(length: number, w: number, h: number, c: number | null, index: number): number {
  if (c != null) {
    if (length !== w * h * c) {
      throw new Error(`image ${index}: expected ${w * h * c} values (${describeSize(w, h, c)}), got ${length}`);
    }
    return c;
  }
  const inferred = CHANNELS.find((k) => length === w * h * k);
  if (inferred === undefined) {
    throw new Error(
      `image ${index}: expected ${w * h} values (${describeSize(w, h, null)} grey) or ${w * h * 3} / ${w * h * 4} (RGB / RGBA), got ${length}`,
    );
  }
  return inferred;
}

function isStack(input: ImageInput): input is ImageStack {
  return !Array.isArray(input) && 'channels' in input && 'width' in input;
}

/**
 * Normalises any accepted input to one flat ImageStack. imageSize is [width, height(, channels)];
 * without channels they are inferred from the first image. Throws, naming the image, when one
 * does not fit the size.
 */
export function toImageStack(
  input: ImageInput,
  imageSize: [number, number] | [number, number, number],
): ImageStack {
  const { w, h, c } = checkSize(imageSize);
  if (!Array.isArray(input)) {
    if (isStack(input)) {
      if (input.width !== w || input.height !== h || (c != null && input.channels !== c)) {
        throw new Error(
          `image stack is ${describeSize(input.width, input.height, input.channels)} but the image size is ${describeSize(w, h, c)}`,
        );
      }
      if (!CHANNELS.includes(input.channels)) throw new Error(`image stack has ${input.channels} channels; expected 1, 3 or 4`);
      const want = input.n * w * h * input.channels;
      if (input.data.length !== want) {
        throw new Error(`image stack of ${input.n} images of ${describeSize(w, h, input.channels)} needs ${want} values, got ${input.data.length}`);
      }
      return input;
    }
    const { data, n, d } = input;
    const channels = channelsForLength(d, w, h, c, 0);
    if (data.length < n * d) throw new Error(`matrix of ${n} x ${d} needs ${n * d} values, got ${data.length}`);
    return { data: data.length === n * d ? data : Array.prototype.slice.call(data, 0, n * d), n, width: w, height: h, channels };
  }

  const n = input.length;
  if (n === 0) return { data: new Float64Array(0), n: 0, width: w, height: h, channels: c ?? 1 };
  const first = input[0];
  if (!Array.isArray(first)) throw new Error('image 0: expected an array of numbers or nested rows');
  const depth = !Array.isArray(first[0]) ? 1 : !Array.isArray((first as number[][])[0][0]) ? 2 : 3;

  if (depth === 1) {
    const rows = input as number[][];
    const channels = channelsForLength(rows[0].length, w, h, c, 0);
    const size = w * h * channels;
    const data = new Float64Array(n * size);
    rows.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== size) {
        throw new Error(`image ${i}: expected ${size} values (${describeSize(w, h, channels)}), got ${Array.isArray(row) ? row.length : typeof row}`);
      }
      data.set(row, i * size);
    });
    return { data, n, width: w, height: h, channels };
  }

  // Nested: each image is h rows of w pixels; a pixel is a number (grey) or [c] numbers.
  const channels = depth === 2 ? 1 : ((first as number[][][])[0][0].length);
  if (depth === 2 && c != null && c !== 1) {
    throw new Error(`image 0: h x w nested images are grey but the image size says ${c} channels`);
  }
  if (depth === 3 && (c != null ? channels !== c : !CHANNELS.includes(channels))) {
    throw new Error(`image 0: pixels have ${channels} channels, expected ${c ?? '1, 3 or 4'}`);
  }
  const size = w * h * channels;
  const data = new Float64Array(n * size);
  const shape = `${h} rows of ${w} pixels${depth === 3 ? ` of ${channels} channels` : ''}`;
  for (let i = 0; i < n; i++) {
    const img = input[i] as (number[] | number[][])[];
    if (!Array.isArray(img) || img.length !== h) {
      throw new Error(`image ${i}: expected ${shape}, got ${Array.isArray(img) ? img.length : 0} rows`);
    }
    for (let y = 0; y < h; y++) {
      const row = img[y];
      if (!Array.isArray(row) || row.length !== w) {
        throw new Error(`image ${i} row ${y}: expected ${w} pixels, got ${Array.isArray(row) ? row.length : typeof row}`);
      }
      const base = i * size + y * w * channels;
      if (depth === 2) {
        data.set(row as number[], base);
      } else {
        for (let x = 0; x < w; x++) {
          const px = (row as number[][])[x];
          if (!Array.isArray(px) || px.length !== channels) {
            throw new Error(`image ${i} pixel (${x}, ${y}): expected ${channels} channels, got ${Array.isArray(px) ? px.length : typeof px}`);
          }
          data.set(px, base + x * channels);
        }
      }
    }
  }
  return { data, n, width: w, height: h, channels };
}

/** numpy's clip(v, 0, 255).astype(uint8): truncation, not rounding; NaN -> 0. */
function toByte(v: number): number {
  return v > 255 ? 255 : v >= 0 ? Math.trunc(v) : 0;
}

/** `>> 8` twice: Pillow's fast x/255 (SHIFTFORDIV255). */
function div255(a: number): number {
  return ((a >>> 8) + a) >>> 8;
}

const PRECISION_BITS = 7;

/**
 * One channel of Pillow's ImagingAlphaComposite(dst = opaque background, src = tile pixel)
 * for src alpha 1..254 (0 gives dst, 255 gives src). Integer maths to round exactly as Pillow.
 */
function compositeChannel(src: number, dst: number, coef1: number, coef2: number): number {
  return div255(src * coef1 + dst * coef2 + (0x80 << PRECISION_BITS)) >>> PRECISION_BITS;
}

/** Builds the sprite exactly as Comet's create_embedding_image. imageSize is [width, height(, channels)]. */
export function createEmbeddingImage(
  input: ImageInput,
  imageSize: [number, number] | [number, number, number],
  options: EmbeddingImageOptions = {},
): EmbeddingImage {
  let stack = toImageStack(input, imageSize);
  const { width: w, height: h } = stack;

  if (options.preprocess) {
    // A Float64 copy: the caller's data is never modified and the function sees plain numbers.
    const copy: ImageStack = { ...stack, data: Float64Array.from(stack.data) };
    const out = options.preprocess(copy) ?? copy;
    if (out.n !== stack.n || out.width !== w || out.height !== h || !CHANNELS.includes(out.channels)) {
      throw new Error(
        `preprocess returned ${out.n} images of ${describeSize(out.width, out.height, out.channels)}; expected ${stack.n} of ${w} x ${h} x (1, 3 or 4)`,
      );
    }
    if (out.data.length !== out.n * w * h * out.channels) {
      throw new Error(`preprocess returned ${out.data.length} values; ${out.n} images of ${describeSize(w, h, out.channels)} need ${out.n * w * h * out.channels}`);
    }
    stack = out;
  }

  const { n, channels, data } = stack;
  const s = Math.ceil(Math.sqrt(n));
  const width = s * w;
  const height = s * h;
  const rgba = new Uint8Array(width * height * 4); // (0,0,0,0): trailing cells stay transparent
  const tc = options.transparentColor?.map(toByte);
  const pixelsPerImage = w * h;

  for (let i = 0; i < n; i++) {
    const bg = options.backgroundColor?.(i).map(toByte);
    const x0 = (i % s) * w;
    const y0 = Math.floor(i / s) * h;
    const imageBase = i * pixelsPerImage * channels;
    for (let y = 0; y < h; y++) {
      let out = ((y0 + y) * width + x0) * 4;
      let src = imageBase + y * w * channels;
      for (let x = 0; x < w; x++, out += 4, src += channels) {
        let r: number, g: number, b: number;
        let a = 255;
        if (channels === 1) {
          r = g = b = toByte(data[src]);
        } else {
          r = toByte(data[src]);
          g = toByte(data[src + 1]);
          b = toByte(data[src + 2]);
          if (channels === 4) a = toByte(data[src + 3]);
        }
        if (tc && r === tc[0] && g === tc[1] && b === tc[2]) a = 0;
        if (bg) {
          if (a === 0) {
            r = bg[0];
            g = bg[1];
            b = bg[2];
          } else if (a !== 255) {
            const coef1 = Math.floor((a * 255 * 255 * (1 << PRECISION_BITS)) / (a * 255 + 255 * (255 - a)));
            const coef2 = 255 * (1 << PRECISION_BITS) - coef1;
            r = compositeChannel(r, bg[0], coef1, coef2);
            g = compositeChannel(g, bg[1], coef1, coef2);
            b = compositeChannel(b, bg[2], coef1, coef2);
          }
          a = 255;
        }
        rgba[out] = r;
        rgba[out + 1] = g;
        rgba[out + 2] = b;
        rgba[out + 3] = a;
      }
    }
  }
  return { width, height, rgba, singleImageDim: [w, h], columns: s, n };
}

/** The sprite as an 8-bit RGBA PNG. */
export function encodePng(image: EmbeddingImage): Uint8Array {
  return encode({ width: image.width, height: image.height, data: image.rgba, channels: 4, depth: 8 });
}
