/**
 * t-SNE's affinities with their rows split over threads that share memory (SharedArrayBuffer +
 * Atomics). Pure and worker-safe: the caller starts the helper threads and hands each one its
 * AffinityShare; each helper then runs serveAffinities until the pool closes.
 *
 * The coordinator calibrates the first rows (./affinities' conditionals: up to the row whose
 * precision every later row starts from); then every thread takes chunks of the other rows from
 * a shared counter, each row's conditionals written into shared memory; the coordinator then makes
 * P of them. Each row depends on the graph and that first precision alone, so P is the same, bit
 * for bit, for any number of threads.
 */
import { affinityNeighbours, conditionals, type AffinityOptions, type NeighbourGraph, type UpperAffinities } from './affinities';
import { awaitHelpers, serveRounds, startRound, stopHelpers } from '../pool-rounds';
import { sharedBuffer, toShared } from '../shared-memory';

/** What a helper needs (structured-cloneable): the shared buffers and the settings. */
export interface AffinityShare {
  kind: 'affinities';
  n: number;
  k: number;
  metric: 'cosine' | 'euclidean';
  perplexity: number;
  opts: AffinityOptions;
  firstOpen: number;
  start: number;
  /** The graph: Int32 and Float32 n x k. */
  indices: SharedArrayBuffer;
  distances: SharedArrayBuffer;
  /** The conditionals: Int32 and Float64 n x K. */
  condCols: SharedArrayBuffer;
  condVals: SharedArrayBuffer;
  /** Int32 [generation, helpers done, stop, next chunk]. */
  control: SharedArrayBuffer;
}

export interface AffinityPool {
  /** Threads, the coordinator's included. */
  readonly parts: number;
  /** One share per helper thread (parts - 1 of them). */
  shares(): AffinityShare[];
  /**
   * Calibrates every row over all the threads and returns P's upper triangle, what t-SNE keeps:
   * tsneUpperAffinities', bit for bit (blocks this thread). Once.
   */
  run(): UpperAffinities;
  /** Ends every helper's loop. */
  close(): void;
}

/** The conditionals' slots per row, as ./affinities' conditionals sizes them. */
const slotsOf = (k: number, perplexity: number): number => (k === 0 ? 0 : affinityNeighbours(k, perplexity));

/** Control index 3 (after ../pool-rounds' three): the next chunk of rows. */
const NEXT = 3;
const ROWS_PER_CHUNK = 256;

/** The pool for the affinities of `graph` over `parts` threads (this one included). */
export function affinityPool(graph: NeighbourGraph, perplexity: number, parts: number, opts: AffinityOptions = {}): AffinityPool {
  if (!(parts >= 2) || !Number.isInteger(parts)) throw new RangeError(`t-SNE affinities: a pool needs 2 or more threads, got ${parts}`);
  const { n, k, metric } = graph;
  const indices = toShared(graph.indices.subarray(0, n * k));
  const distances = toShared(graph.distances.subarray(0, n * k));
  const shared = { n, k, metric, indices, distances };
  const K = slotsOf(k, perplexity);
  const condCols = new Int32Array(sharedBuffer(n * K * 4), 0, n * K);
  const condVals = new Float64Array(sharedBuffer(n * K * 8), 0, n * K);
  const c = conditionals(shared, perplexity, opts, { condCols, condVals });
  const ctl = new Int32Array(sharedBuffer(4 * 4));
  let ran = false;
  return {
    parts,
    shares: () => Array.from({ length: parts - 1 }, () => ({
      kind: 'affinities' as const, n, k, metric, perplexity, opts, firstOpen: c.firstOpen, start: c.start,
      indices: indices.buffer as SharedArrayBuffer, distances: distances.buffer as SharedArrayBuffer,
      condCols: condCols.buffer as SharedArrayBuffer, condVals: condVals.buffer as SharedArrayBuffer, control: ctl.buffer as SharedArrayBuffer,
    })),
    run() {
      if (ran) throw new Error('t-SNE affinities: a pool runs once');
      ran = true;
      Atomics.store(ctl, NEXT, 0);
      startRound(ctl);
      calibrateChunks(ctl, c.calibrate, c.firstOpen, n);
      awaitHelpers(ctl, parts - 1, 't-SNE affinities');
      return c.upper();
    },
    close: () => stopHelpers(ctl),
  };
}

/** Rows [from, n) in chunks taken from the shared counter. */
function calibrateChunks(ctl: Int32Array, calibrate: (from: number, to: number) => void, from: number, n: number): void {
  for (;;) {
    const lo = from + Atomics.add(ctl, NEXT, 1) * ROWS_PER_CHUNK;
    if (lo >= n) return;
    calibrate(lo, Math.min(n, lo + ROWS_PER_CHUNK));
  }
}

/** A helper thread's loop: its chunks of rows until the pool closes. */
export function serveAffinities(share: AffinityShare): void {
  const { n, k, metric } = share;
  const graph = { n, k, metric, indices: new Int32Array(share.indices, 0, n * k), distances: new Float32Array(share.distances, 0, n * k) };
  const K = slotsOf(k, share.perplexity);
  const c = conditionals(
    graph, share.perplexity, share.opts,
    { condCols: new Int32Array(share.condCols, 0, n * K), condVals: new Float64Array(share.condVals, 0, n * K) },
    { firstOpen: share.firstOpen, start: share.start },
  );
  const ctl = new Int32Array(share.control);
  serveRounds(ctl, () => calibrateChunks(ctl, c.calibrate, c.firstOpen, n));
}
