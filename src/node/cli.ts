/**
 * `projector log | sprite | serve`: the command-line side of logEmbedding; `serve` (serve.ts)
 * shows a folder of logged runs in the built viewer (like `tensorboard --logdir`).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DataError, isDataError } from '../data/errors';
import { createEmbeddingImage, encodePng, type ImageStack, type Rgb } from '../sprite/embedding-image';
import { logEmbedding, paletteBackground, type LabelsInput, type LogEmbeddingOptions } from './log';
import { readLabelsInput, readVectorsInput } from './read-inputs';
import { runServe } from './serve';
import { REDUCE_HELP, progressBar, reduceOptions, runReduce } from './reduce-command';
import { UsageError } from './usage-error';

const HELP: Record<string, string> = {
  main: `Usage: projector <command> [options]

Commands:
  log     write vectors, labels and a sprite as Comet's log_embedding does
  sprite  build a sprite PNG from image data (Comet's create_embedding_image)
  serve   show a folder of logged embeddings in the viewer
  reduce  lay vectors out with UMAP, t-SNE or PCA in Node (every core), for the viewer to open

Run "projector <command> --help" for a command's options.`,

  log: `Usage: projector log --vectors <tsv|npy|parquet> --out <dir> [options]

Writes into <dir>: vectors-[<group>-]<title>.tsv, metadata-<name>-<n>.tsv,
embedding-image-<name>-<n>.png, and either projector_config.json (no --group) or
template-<group>-configs.json, where each call adds its title (the same title replaces).

  --vectors <file>        vectors: TSV (one row per line, tab-separated), .npy (n, ...), or a
                          table (.parquet, .arrow, .csv) whose other columns become the labels
  --vector <column>       the table's vector column, when it has several
  --labels <file>         labels TSV or .txt (one column = no header line; several = header line),
                          or a table (.parquet, .arrow, .csv): its columns
  --title <T>             title shown in the viewer (default "Comet Embedding")
  --group <G>             add the title to template-<G>-configs.json
  --name <N>              name part of the metadata and sprite files (default: group, else title)
  --out <dir>             folder to write into (created if missing)
Images (a sprite; one image per vector):
  --images <file>         image data: TSV or .npy, one image per row (or (n, h, w[, c]) .npy);
                          or an existing sprite .png, used as it is
  --size WxH[xC]          size of one image; C = 1 (grey), 3 (RGB) or 4 (RGBA)
  --preprocess '<expr>'   JS expression in v applied to every value, e.g. 'v*255/16';
                          values are then clipped to 0..255 (no scaling: [0,1] data needs 'v*255')
  --transparent R,G,B     pixels of exactly this colour become transparent
  --background-by <col>   tile backgrounds by a labels column, in the viewer's palette
  --colors '<l>=#rrggbb,...'  with --background-by: colours for some labels`,

  sprite: `Usage: projector sprite --images <file> --size WxH[xC] --out <sprite.png> [options]

Builds a sprite as Comet's create_embedding_image: ceil(sqrt(n)) cells a side.

  --images <file>         image data: TSV or .npy, one image per row
  --size WxH[xC]          size of one image; C = 1, 3 or 4
  --labels <file>         labels TSV, for --background-by
  --preprocess '<expr>'   JS expression in v applied to every value, e.g. 'v*255'
  --transparent R,G,B     pixels of exactly this colour become transparent
  --background-by <col>   tile backgrounds by a labels column, in the viewer's palette
  --colors '<l>=#rrggbb,...'  with --background-by: colours for some labels
  --out <file.png>        where to write the PNG`,

  reduce: REDUCE_HELP,

  serve: `Usage: projector serve <dir> [--port N]

Serves the viewer and <dir> on 127.0.0.1 and prints a URL that opens every config under
<dir> (projector_config.json and template-*-configs.json, in any subfolder) as groups.
Reload the page to see titles logged since. Ctrl+C stops it.

  --port N                port to listen on (default 0: any free port; the URL says which)`,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP.main);
    return command === undefined ? 1 : 0;
  }
  const run = { log: runLog, sprite: runSprite, serve: runServe, reduce: runReduceCommand }[command];
  if (!run) {
    console.error(`projector: unknown command "${command}"; the commands are log, sprite, serve, reduce (projector --help)`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(HELP[command]);
    return 0;
  }
  try {
    await run(rest);
    return 0;
  } catch (e) {
    console.error(`projector ${command}: ${errorLine(e)}`);
    if (process.env.PROJECTOR_DEBUG && e instanceof Error) console.error(e.stack);
    return 1;
  }
}

function errorLine(e: unknown): string {
  if (e instanceof UsageError || isDataError(e) || (e instanceof Error && e.name === 'LogEmbeddingError')) return e.message;
  if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
    return `${e.message} (see --help)`;
  }
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

const IMAGE_OPTIONS = {
  images: { type: 'string' },
  size: { type: 'string' },
  labels: { type: 'string' },
  preprocess: { type: 'string' },
  transparent: { type: 'string' },
  'background-by': { type: 'string' },
  colors: { type: 'string' },
  out: { type: 'string' },
} as const;

async function runLog(args: string[]): Promise<void> {
  const { values: o } = parseArgs({
    args,
    options: { ...IMAGE_OPTIONS, vectors: { type: 'string' }, vector: { type: 'string' }, title: { type: 'string' }, group: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  if (!o.vectors) throw new UsageError('--vectors <tsv|npy> is required');
  if (!o.out) throw new UsageError('--out <dir> is required');
  const vectors = await readVectorsInput(o.vectors, '--vectors', o.vector);
  const labels: LabelsInput = o.labels
    ? await readLabelsInput(o.labels, vectors.n)
    : (vectors.labels ?? vectors.rowLabels ?? null);

  const options: LogEmbeddingOptions = { title: o.title, group: o.group, name: o.name };
  if (o.images !== undefined) {
    options.imageSize = parseSize(o.size);
    if (/\.png$/i.test(o.images)) {
      if (o.preprocess || o.transparent || o['background-by'] || o.colors) {
        throw new UsageError('--images is a sprite PNG, used as it is: --preprocess, --transparent, --background-by and --colors apply to image data');
      }
      options.images = o.images;
    } else {
      const images = await readVectorsInput(o.images, '--images');
      if (images.n !== vectors.n) throw new DataError(o.images, `${images.n} images but ${o.vectors} has ${vectors.n} vectors; there must be one per vector`);
      options.images = { data: images.data, n: images.n, d: images.d };
      if (o.preprocess !== undefined) options.preprocess = valuePreprocess(o.preprocess);
      if (o.transparent !== undefined) options.transparentColor = parseRgb(o.transparent, '--transparent');
      if (o['background-by'] !== undefined) {
        if (!labels) throw new UsageError('--background-by needs --labels');
        options.backgroundBy = o['background-by'];
        if (o.colors !== undefined) options.colors = parseColors(o.colors);
      } else if (o.colors !== undefined) {
        throw new UsageError('--colors needs --background-by <labels column>');
      }
    }
  } else {
    for (const k of ['size', 'preprocess', 'transparent', 'background-by', 'colors'] as const) {
      if (o[k] !== undefined) throw new UsageError(`--${k} needs --images`);
    }
  }

  const { configPath, files } = await logEmbedding(o.out, vectors, labels, options);
  const title = options.title ?? 'Comet Embedding';
  console.log(`logged "${title}" (${vectors.n} x ${vectors.d}) in ${configPath}`);
  for (const f of files) console.log(`  ${f}`);
}

async function runSprite(args: string[]): Promise<void> {
  const { values: o } = parseArgs({ args, options: IMAGE_OPTIONS, strict: true });
  if (!o.images) throw new UsageError('--images <tsv|npy> is required');
  if (!o.out) throw new UsageError('--out <sprite.png> is required');
  const size = parseSize(o.size);
  const images = await readVectorsInput(o.images, '--images');
  let backgroundColor: ((i: number) => Rgb) | undefined;
  if (o['background-by'] !== undefined) {
    if (!o.labels) throw new UsageError('--background-by needs --labels');
    const labels = await readLabelsInput(o.labels, images.n);
    backgroundColor = paletteBackground(labels, images.n, o['background-by'], o.colors !== undefined ? parseColors(o.colors) : undefined);
  } else if (o.colors !== undefined) {
    throw new UsageError('--colors needs --background-by <labels column>');
  }
  let sprite;
  try {
    sprite = createEmbeddingImage({ data: images.data, n: images.n, d: images.d }, size, {
      preprocess: o.preprocess !== undefined ? valuePreprocess(o.preprocess) : undefined,
      transparentColor: o.transparent !== undefined ? parseRgb(o.transparent, '--transparent') : undefined,
      backgroundColor,
    });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new DataError(o.images, e instanceof Error ? e.message : String(e));
  }
  await writeFile(o.out, encodePng(sprite));
  console.log(`wrote ${o.out}: ${sprite.width}x${sprite.height}, ${sprite.n} images of ${sprite.singleImageDim.join('x')} in ${sprite.columns} columns`);
}

async function runReduceCommand(args: string[]): Promise<void> {
  const flags = ['vectors', 'vector', 'out', 'method', 'dim', 'metadata', 'sprite', 'sprite-size', 'metric', 'seed', 'neighbors', 'min-dist', 'epochs', 'perplexity', 'iterations', 'theta', 'threads'];
  const { values } = parseArgs({ args, options: Object.fromEntries(flags.map((f) => [f, { type: 'string' as const }])), strict: true });
  const o = reduceOptions(values as Record<string, string | undefined>);
  const r = await runReduce({ ...o, onProgress: progressBar() });
  console.log(`wrote ${r.layoutPath} (${r.n} x ${o.dim}, ${o.method}${r.threads > 1 ? `, ${r.threads} threads` : ''}) and ${r.configPath} in ${r.seconds.toFixed(1)} s`);
}

function parseSize(text: string | undefined): [number, number] | [number, number, number] {
  if (text === undefined) throw new UsageError('--size WxH[xC] is required with --images (e.g. --size 28x28)');
  const m = /^(\d+)x(\d+)(?:x(\d+))?$/i.exec(text.trim());
  if (!m) throw new UsageError(`--size: expected WxH or WxHxC (e.g. 28x28, 32x32x3), got "${text}"`);
  const [w, h] = [Number(m[1]), Number(m[2])];
  if (w === 0 || h === 0) throw new UsageError(`--size: width and height must be positive, got "${text}"`);
  if (m[3] === undefined) return [w, h];
  const c = Number(m[3]);
  if (![1, 3, 4].includes(c)) throw new UsageError(`--size: channels must be 1, 3 or 4, got ${c}`);
  return [w, h, c];
}

function parseRgb(text: string, flag: string): Rgb {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length !== 3 || !parts.every((p) => /^\d+$/.test(p) && Number(p) <= 255)) {
    throw new UsageError(`${flag}: expected R,G,B with integers 0..255 (e.g. 0,0,0), got "${text}"`);
  }
  return parts.map(Number) as Rgb;
}

function parseColors(text: string): Record<string, Rgb> {
  const out: Record<string, Rgb> = {};
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const at = item.lastIndexOf('=');
    const hex = item.slice(at + 1).trim();
    const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(hex);
    if (at <= 0 || !m) throw new UsageError(`--colors: expected <label>=#rrggbb, got "${item}"`);
    const full = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
    out[item.slice(0, at)] = [0, 2, 4].map((k) => parseInt(full.slice(k, k + 2), 16)) as Rgb;
  }
  return out;
}

/** --preprocess: a JS expression in v, applied to every value of the whole collection. */
function valuePreprocess(expr: string): (images: ImageStack) => void {
  let f: (v: number) => unknown;
  try {
    f = new Function('v', `"use strict"; return (${expr});`) as (v: number) => unknown;
  } catch (e) {
    throw new UsageError(`--preprocess: "${expr}" is not a JavaScript expression in v (${e instanceof Error ? e.message : e})`);
  }
  return (images) => {
    const data = images.data as Float64Array;
    for (let k = 0; k < data.length; k++) {
      let r: unknown;
      try {
        r = f(data[k]);
      } catch (e) {
        throw new UsageError(`--preprocess: "${expr}" failed for v = ${data[k]}: ${e instanceof Error ? e.message : e}`);
      }
      if (typeof r !== 'number') throw new UsageError(`--preprocess: "${expr}" gave ${JSON.stringify(r)} for v = ${data[k]}, not a number`);
      data[k] = r;
    }
  };
}
