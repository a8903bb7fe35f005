/**
 * Shared k-nearest-neighbour graph for UMAP and t-SNE. Pure and worker-safe: typed arrays only,
 * no DOM, no React.
 *
 *   knnExact   blocked brute force (./exact): O(n^2 d), exact (ties broken by index).
 *   knnApprox  (./approx/approx) search space of unit rows for cosine, projected on a 64-dimensional
 *              near-principal subspace when d > 128 and that keeps >= 80% of the variance
 *              (./approx/space); random-projection tree leaves + NN-descent there for about
 *              1.2 k + 9 candidates per row (./approx/descent, ./approx/rp-trees); the candidates (and any
 *              exact copies of the row) re-ranked by their exact distances in the original
 *              space. Tiny inputs (n^2 d / 2 <= 5e7, or n <= 4 (k + 1)) are searched exactly.
 *   knnGraph   exact for small n (opts.exactBelow), approximate from there on.
 *
 * Every row lists k = min(requested k, n - 1) other rows, nearest first (ties by index), never
 * itself; duplicates of a row are ordinary neighbours at distance 0. Distances are computed in
 * doubles from the Float32 data: cosine 1 - cos similarity in [0, 2] (a zero row is at distance 1
 * from every row), euclidean the L2 distance (not squared).
 */
import type { Tensor } from '../../data/types';
import { fitsShape, type CompressedRows } from '../../data/compressed-rows';
import { approxSearch, DEFAULT_TUNING } from './approx/approx';
import { searchPool, type KnnSearchShare } from './approx/search-pool';
import { exactSearch } from './exact';
import type { KnnGraph, KnnOptions, Metric } from './types';

export type { KnnGraph, KnnOptions, Metric } from './types';


const DEFAULT_SEED = 42;
const DEFAULT_EXACT_BELOW = 5000;
/** Under a second of brute force (V8 does ~1.4e9 multiply-adds a second here). */
export const EXACT_DEFAULT_WORK = 1e9;
/**
 * knnApprox searches exactly when brute force costs at most this many multiply-adds (n^2 d / 2;
 * a few hundredths of a second), or when n <= 4 (k + 1): it is then as fast, and exact.
 */
const APPROX_MIN_WORK = 5e7;

export function knnGraph(t: Tensor, k: number, metric: Metric, opts: KnnOptions = {}): KnnGraph {
  return exactChosen(t, opts) ? knnExact(t, k, metric, opts) : knnApprox(t, k, metric, opts);
}

function exactChosen(t: Tensor, opts: KnnOptions): boolean {
  return opts.exactBelow !== undefined ? t.n < opts.exactBelow : t.n < DEFAULT_EXACT_BELOW && exactWork(t) <= EXACT_DEFAULT_WORK;
}

/** knnApprox answers exactly when brute force is about as cheap. */
function tooSmallToApproximate(t: Tensor, kk: number): boolean {
  return t.n <= 4 * (kk + 1) || (t.n * (t.n - 1) * t.d) / 2 <= APPROX_MIN_WORK;
}

/** Starts one helper thread per share; resolves once every one runs, with how to end them. */
export type StartHelpers = (shares: KnnSearchShare[]) => Promise<() => Promise<void> | void>;

/**
 * knnGraph over `threads` threads: this one and threads - 1 helpers that `start` runs
 * (../pool-thread's servePoolShare). The same graph as knnGraph, bit for bit (./approx/search-pool);
 * the exact search and small inputs stay on this thread.
 */
export async function knnGraphThreaded(t: Tensor, k: number, metric: Metric, opts: KnnOptions, threads: number, start: StartHelpers): Promise<KnnGraph> {
  if (threads < 2 || exactChosen(t, opts)) return knnGraph(t, k, metric, opts);
  const kk = validate(t, k, metric, 'knnApprox', opts.compressed);
  if (kk === 0 || tooSmallToApproximate(t, kk)) return knnApprox(t, k, metric, opts);
  const report = progress(opts.onProgress);
  const pool = searchPool(t, kk, metric, opts.seed ?? DEFAULT_SEED, { ...DEFAULT_TUNING, ...tuningOf(opts) }, threads, opts.compressed);
  const stop = await start(pool.shares());
  try {
    const { indices, distances } = pool.run(report);
    report(1);
    return { n: t.n, k: kk, metric, indices, distances };
  } finally {
    pool.close();
    await stop();
  }
}

const tuningOf = (opts: KnnOptions) => (opts.project === false ? { projectAbove: Infinity } : {});

/**
 * Multiply-adds of brute force: n^2 / 2 times d, or times the non-zeros per row for mostly-zero
 * data (which ./exact then visits alone).
 */
function exactWork(t: Tensor): number {
  const { n, d, data } = t;
  let nonZeros = 0;
  for (let p = 0; p < n * d; p++) if (data[p] !== 0) nonZeros++;
  const perRow = nonZeros <= (n * d) / 3 ? nonZeros / n : d;
  return (n * (n - 1) * perRow) / 2;
}

export function knnExact(t: Tensor, k: number, metric: Metric, opts: KnnOptions = {}): KnnGraph {
  const kk = validate(t, k, metric, 'knnExact', opts.compressed);
  const report = progress(opts.onProgress);
  if (kk === 0) return emptyGraph(t.n, metric, report);
  const { indices, distances } = exactSearch(t, kk, metric, null, report, opts.compressed);
  report(1);
  return { n: t.n, k: kk, metric, indices, distances };
}

export function knnApprox(t: Tensor, k: number, metric: Metric, opts: KnnOptions = {}): KnnGraph {
  const kk = validate(t, k, metric, 'knnApprox', opts.compressed);
  if (kk === 0) return emptyGraph(t.n, metric, progress(opts.onProgress));
  if (tooSmallToApproximate(t, kk)) return knnExact(t, kk, metric, opts);
  const report = progress(opts.onProgress);
  const { indices, distances } = approxSearch(t, kk, metric, opts.seed ?? DEFAULT_SEED, report, tuningOf(opts), opts.compressed);
  report(1);
  return { n: t.n, k: kk, metric, indices, distances };
}

/**
 * Mean over rows of |approx_i ∩ exact_i| / exact.k. approx may hold more neighbours per row than
 * exact (only its first exact.k count); both must describe the same n points.
 */
export function knnRecall(approx: KnnGraph, exact: KnnGraph): number {
  const { n, k } = exact;
  if (approx.n !== n) throw new RangeError(`knnRecall: graphs of ${approx.n} and ${n} points`);
  if (approx.k < k) throw new RangeError(`knnRecall: approx has k = ${approx.k} < exact k = ${k}`);
  if (n === 0 || k === 0) return 1;
  const mark = new Int32Array(n).fill(-1);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) mark[exact.indices[i * k + r]] = i;
    const o = i * approx.k;
    for (let r = 0; r < k; r++) if (mark[approx.indices[o + r]] === i) hits++;
  }
  return hits / (n * k);
}

/** k as searched; throws on a bad k, metric or shape, or on a value that is not finite. */
function validate(t: Tensor, k: number, metric: Metric, who: string, compressed?: CompressedRows | null): number {
  const { n, d, data } = t;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${who}: k must be a positive integer, got ${k}`);
  if (metric !== 'cosine' && metric !== 'euclidean') throw new RangeError(`${who}: unknown metric ${String(metric)}`);
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 1 || d < 1) {
    throw new RangeError(`${who}: need at least one row and one column, got ${n} x ${d}`);
  }
  if (data.length < n * d) throw new RangeError(`${who}: data has ${data.length} values, expected ${n * d}`);
  // The compressed rows hold every non-zero (NaN and infinities included), a fifth of MNIST's values.
  const values = compressed && fitsShape(compressed, n, d) ? compressed.val : data.subarray(0, n * d);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${who}: the data contains NaN or infinite values`);
  }
  return Math.min(k, n - 1);
}

function emptyGraph(n: number, metric: Metric, report: (f: number) => void): KnnGraph {
  report(1);
  return { n, k: 0, metric, indices: new Int32Array(0), distances: new Float32Array(0) };
}

/** Forwards strictly increasing fractions in [0, 1] only, so callers see a clean sequence. */
function progress(cb: ((fraction: number) => void) | undefined): (fraction: number) => void {
  if (!cb) return () => {};
  let last = -1;
  return (f) => {
    const v = Math.min(1, Math.max(0, f));
    if (v > last) {
      last = v;
      cb(v);
    }
  };
}
