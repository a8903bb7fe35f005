/**
 * `projector reduce`: PCA, UMAP or t-SNE in Node, for data no tab can hold, written as a layout
 * the viewer opens as a precomputed title beside the original vectors, metadata and sprite.
 * Same algorithms and defaults as the page (src/reduce); the neighbour graph, UMAP's epochs and
 * t-SNE's repulsion run on every core (worker_threads, ./repulsion-threads).
 */
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { npyFloat32 } from '../data/export-formats';
import { metadataTsv } from '../data/metadata-write';
import { npyTensor } from '../data/npy';
import { isTableName } from '../data/tables/table-names';
import type { Metadata, Tensor } from '../data/types';
import { VectorsTsvParser } from '../data/vectors-tsv';
import type { Metric } from '../reduce/knn/knn';
import { pca } from '../reduce/pca/pca';
import { Tsne } from '../reduce/tsne/tsne';
import { Umap } from '../reduce/umap/umap';
import { readVectorsInput } from './read-inputs';
import { threadedAffinities, threadedKnnGraph, threadedRepulsion, threadedUmap } from './repulsion-threads';
import { UsageError } from './usage-error';

export interface ReduceOptions {
  method: 'pca' | 'umap' | 'tsne';
  dim: 2 | 3;
  vectors: string;
  /** A table's vector column, when it has several. */
  vector?: string;
  metadata?: string;
  sprite?: string;
  /** One picture's width and height in the sprite. */
  spriteSize?: [number, number];
  out: string;
  metric: Metric;
  seed: number;
  /** UMAP */
  neighbors: number;
  minDist: number;
  epochs: number | 'auto';
  /** t-SNE */
  perplexity: number;
  iterations: number;
  theta: number;
  /** Threads for UMAP's epochs and t-SNE's repulsion (default: every core). */
  threads: number;
  onProgress?: (stage: string, fraction: number) => void;
}

export interface ReduceResult {
  n: number;
  d: number;
  layoutPath: string;
  configPath: string;
  seconds: number;
  threads: number;
}

export const REDUCE_DEFAULTS = {
  method: 'umap',
  dim: 2,
  metric: 'cosine',
  seed: 1,
  neighbors: 15,
  minDist: 0.1,
  epochs: 'auto',
  perplexity: 30,
  iterations: 1000,
  theta: 0.5,
} as const;

export const defaultThreads = (): number => Math.max(1, os.availableParallelism?.() ?? os.cpus().length);

/** Vectors from TSV (streamed: no whole-file string) or .npy. */
export async function readVectors(file: string, vector?: string): Promise<Tensor & { metadata: Metadata | null }> {
  try {
    await stat(file);
  } catch {
    throw new UsageError(`--vectors ${file}: no such file`);
  }
  if (isTableName(file)) return readVectorsInput(file, '--vectors', vector);
  if (/\.npy$/i.test(file)) return { ...npyTensor(new Uint8Array(await readFile(file)), path.basename(file)), metadata: null };
  const parser = new VectorsTsvParser(path.basename(file));
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) parser.push(chunk as Uint8Array);
  const { data, n, d } = parser.finish();
  return { data, n, d, metadata: null };
}

const METHOD_NAMES = { pca: 'PCA', umap: 'UMAP', tsne: 't-SNE' } as const;

export async function runReduce(o: ReduceOptions): Promise<ReduceResult> {
  const t0 = performance.now();
  const progress = o.onProgress ?? (() => undefined);
  progress('Reading vectors', 0);
  const t = await readVectors(o.vectors, o.vector);
  if (t.n < 2) throw new UsageError(`--vectors ${o.vectors}: ${t.n} row; a layout needs at least 2`);
  const { layout, threads } = await reduceTensor(t, o, progress);

  await mkdir(o.out, { recursive: true });
  const base = path.basename(o.vectors).replace(/\.[^.]+$/, '');
  const layoutName = `layout-${base}-${o.method}-${o.dim}d.npy`;
  const padded = new Float32Array(t.n * 3);
  for (let i = 0; i < t.n; i++) for (let a = 0; a < o.dim; a++) padded[3 * i + a] = layout[i * o.dim + a];
  await writeFile(path.join(o.out, layoutName), npyFloat32(padded, o.dim, () => true));

  // The originals beside the layout, so that the folder is whole (`projector serve <out>`).
  const copied = async (file: string | undefined) => {
    if (!file) return null;
    const name = path.basename(file);
    const to = path.join(o.out, name);
    if (path.resolve(file) !== path.resolve(to)) await copyFile(file, to);
    return name;
  };
  const vectorsName = await copied(o.vectors);
  // A table's own columns are the metadata unless a file is given.
  let metadataName = await copied(o.metadata);
  if (!metadataName && t.metadata && t.metadata.columns.length > 0) {
    metadataName = `metadata-${base}.tsv`;
    await writeFile(path.join(o.out, metadataName), metadataTsv(t.metadata));
  }
  const spriteName = await copied(o.sprite);
  const extras = {
    ...(metadataName ? { metadataPath: metadataName } : {}),
    ...(spriteName && o.spriteSize ? { sprite: { imagePath: spriteName, singleImageDim: o.spriteSize } } : {}),
  };
  const config = {
    embeddings: [
      { tensorName: `${base} · ${METHOD_NAMES[o.method]} ${o.dim}D`, tensorShape: [t.n, o.dim], tensorPath: layoutName, ...extras },
      { tensorName: base, tensorShape: [t.n, t.d], tensorPath: vectorsName, ...extras },
    ],
  };
  const configPath = path.join(o.out, 'projector_config.json');
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  progress('Done', 1);
  return { n: t.n, d: t.d, layoutPath: path.join(o.out, layoutName), configPath, seconds: (performance.now() - t0) / 1000, threads };
}

/** n x dim positions (row-major) of the chosen method. */
export async function reduceTensor(
  t: Tensor,
  o: Omit<ReduceOptions, 'vectors' | 'out'>,
  progress: (stage: string, fraction: number) => void,
): Promise<{ layout: Float32Array; threads: number }> {
  if (o.method === 'pca') {
    const r = pca(t, o.dim, { seed: o.seed, onProgress: (f) => progress('PCA', f) });
    const layout = new Float32Array(t.n * o.dim);
    for (let i = 0; i < t.n; i++) for (let a = 0; a < o.dim; a++) layout[i * o.dim + a] = a < r.k ? r.projections[i * r.k + a] : 0;
    return { layout, threads: 1 };
  }
  const k = Math.max(1, Math.min(t.n - 1, o.method === 'umap' ? o.neighbors : Math.ceil(3 * o.perplexity)));
  const graph = await threadedKnnGraph(t, k, o.metric, { seed: o.seed, onProgress: (f) => progress('Neighbour graph', f) }, o.threads);
  if (o.method === 'umap') {
    progress('Fuzzy graph', 0);
    const umap = new Umap(graph, { dim: o.dim, nNeighbors: o.neighbors, minDist: o.minDist, epochs: o.epochs, seed: o.seed });
    const pool = threadedUmap(umap, o.threads);
    try {
      while (!umap.done) {
        umap.step();
        if (umap.epoch % 5 === 0) progress(`UMAP epoch ${umap.epoch}/${umap.totalEpochs}`, umap.epoch / umap.totalEpochs);
      }
      return { layout: umap.positions().slice(), threads: pool.threads };
    } finally {
      await pool.close();
    }
  }
  progress('Affinities', 0);
  const P = await threadedAffinities(graph, o.perplexity, t.n >= 2 * o.threads ? o.threads : 1);
  const pool = threadedRepulsion(t.n, o.dim, o.theta, o.threads);
  try {
    const tsne = new Tsne(P, { dim: o.dim, perplexity: o.perplexity, learningRate: 'auto', iterations: o.iterations, theta: o.theta, seed: o.seed, repulsion: pool?.pool });
    while (!tsne.done) {
      tsne.step();
      if (tsne.iteration % 10 === 0) progress(`t-SNE iteration ${tsne.iteration}/${o.iterations}`, tsne.iteration / o.iterations);
    }
    return { layout: tsne.positions(), threads: pool?.pool.parts ?? 1 };
  } finally {
    await pool?.close();
  }
}

export const REDUCE_HELP = `Usage: projector reduce --vectors <tsv|npy|parquet> --out <dir> [options]

Lays the vectors out in Node (UMAP's epochs and t-SNE on every core) and writes into <dir>:
layout-<name>-<method>-<dim>d.npy (float32, n x dim), copies of the inputs, and a
projector_config.json whose first title is the layout (drawn as it is) and second the vectors.

  --vectors <file>        vectors: TSV (one row per line), .npy (n, d), or a table (.parquet,
                          .arrow, .csv) whose other columns become the metadata
  --vector <column>       the table's vector column, when it has several
  --out <dir>             folder to write into (created if missing)
  --method umap|tsne|pca  default umap
  --dim 2|3               default 2
  --metadata <file>       metadata TSV shown with both titles
  --sprite <png>          sprite shown with both titles (needs --sprite-size)
  --sprite-size WxH       one picture's size in the sprite, e.g. 28x28
  --metric cosine|euclidean  neighbour metric for UMAP and t-SNE (default cosine)
  --seed N                default 1
UMAP:  --neighbors N (15)  --min-dist X (0.1)  --epochs N|auto (auto: 500 up to 10k points, else 200)
t-SNE: --perplexity X (30)  --iterations N (1000)  --theta X (0.5)  --threads N (all cores)`;

const number = (text: string | undefined, flag: string, fallback: number, ok: (v: number) => boolean): number => {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || !ok(v)) throw new UsageError(`${flag}: invalid value "${text}"`);
  return v;
};

/** Parses `projector reduce` arguments into options (throws UsageError naming the flag). */
export function reduceOptions(values: Record<string, string | undefined>): ReduceOptions {
  const method = values.method ?? REDUCE_DEFAULTS.method;
  if (method !== 'pca' && method !== 'umap' && method !== 'tsne') throw new UsageError(`--method: expected umap, tsne or pca, got "${method}"`);
  const dim = number(values.dim, '--dim', REDUCE_DEFAULTS.dim, (v) => v === 2 || v === 3) as 2 | 3;
  const metric = values.metric ?? REDUCE_DEFAULTS.metric;
  if (metric !== 'cosine' && metric !== 'euclidean') throw new UsageError(`--metric: expected cosine or euclidean, got "${metric}"`);
  if (!values.vectors) throw new UsageError('--vectors <tsv|npy|parquet> is required');
  if (!values.out) throw new UsageError('--out <dir> is required');
  let spriteSize: [number, number] | undefined;
  if (values.sprite) {
    const m = /^(\d+)x(\d+)$/i.exec(values['sprite-size'] ?? '');
    if (!m || Number(m[1]) === 0 || Number(m[2]) === 0) throw new UsageError('--sprite needs --sprite-size WxH (e.g. 28x28)');
    spriteSize = [Number(m[1]), Number(m[2])];
  }
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  return {
    method,
    dim,
    metric,
    vectors: values.vectors,
    vector: values.vector,
    out: values.out,
    metadata: values.metadata,
    sprite: values.sprite,
    spriteSize,
    seed: number(values.seed, '--seed', REDUCE_DEFAULTS.seed, Number.isInteger),
    neighbors: number(values.neighbors, '--neighbors', REDUCE_DEFAULTS.neighbors, (v) => positiveInt(v) && v >= 2),
    minDist: number(values['min-dist'], '--min-dist', REDUCE_DEFAULTS.minDist, (v) => v >= 0),
    epochs: values.epochs === undefined || values.epochs === 'auto' ? 'auto' : number(values.epochs, '--epochs', 0, positiveInt),
    perplexity: number(values.perplexity, '--perplexity', REDUCE_DEFAULTS.perplexity, (v) => v > 0),
    iterations: number(values.iterations, '--iterations', REDUCE_DEFAULTS.iterations, positiveInt),
    theta: number(values.theta, '--theta', REDUCE_DEFAULTS.theta, (v) => v >= 0),
    threads: number(values.threads, '--threads', defaultThreads(), positiveInt),
  };
}

/** A progress bar on a terminal; a line per tenth otherwise (logs, CI). */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): (stage: string, fraction: number) => void {
  let lastTenth = -1;
  let lastStage = '';
  return (stage, fraction) => {
    const f = Math.max(0, Math.min(1, fraction));
    if (stream.isTTY) {
      const width = 30;
      const full = Math.round(f * width);
      stream.write(`\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}% ${stage.padEnd(40)}`);
      if (stage === 'Done') stream.write('\n');
      return;
    }
    const stem = stage.replace(/ \d+\/\d+$/, '');
    const tenth = Math.floor(f * 10);
    if (stem !== lastStage || tenth !== lastTenth) stream.write(`${stage} ${(f * 100).toFixed(0)}%\n`);
    lastStage = stem;
    lastTenth = tenth;
  };
}
