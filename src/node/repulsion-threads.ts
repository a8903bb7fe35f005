/** The pools (neighbour search, layouts) on Node's worker_threads (the browser's live in src/workers/layout.worker.ts). */
import { Worker } from 'node:worker_threads';
import type { PoolShare } from '../reduce/pool-thread';
import { repulsionPool, type RepulsionPool } from '../reduce/tsne/repulsion-pool';
import type { Umap } from '../reduce/umap/umap';
import { affinityPool } from '../reduce/tsne/affinity-pool';
import { tsneAffinities, type NeighbourGraph, type SparseAffinities } from '../reduce/tsne/affinities';
import { knnGraphThreaded, type KnnGraph, type KnnOptions, type Metric } from '../reduce/knn/knn';

const ENTRY = new URL('./repulsion-thread.mjs', import.meta.url);

/** One thread per share; close() ends the pool's loop and the threads. */
function startThreads(shares: PoolShare[], closePool: () => void): () => Promise<void> {
  const workers = shares.map((share) => new Worker(ENTRY, { workerData: share }));
  return async () => {
    closePool();
    await Promise.all(workers.map((w) => w.terminate()));
  };
}

/** t-SNE's repulsion over `threads` threads (this one and threads - 1 workers); null for one thread. */
export function threadedRepulsion(n: number, dim: 2 | 3, theta: number, threads: number, maxNodes?: number): { pool: RepulsionPool; close: () => Promise<void> } | null {
  if (threads < 2 || n < 2 * threads) return null;
  const pool = repulsionPool(n, dim, theta, threads, maxNodes);
  return { pool, close: startThreads(pool.shares(), () => pool.close()) };
}

/** UMAP's epochs over `threads` threads; returns the threads used and how to end them. */
export function threadedUmap(umap: Umap, threads: number): { threads: number; close: () => Promise<void> } {
  const pool = umap.withThreads(threads);
  if (!pool) return { threads: 1, close: async () => undefined };
  return { threads: pool.parts, close: startThreads(pool.shares(), () => pool.close()) };
}

/** Starts one thread per share, resolving once every one has loaded and serves (the caller may then block on them). */
export async function startPoolThreads(shares: PoolShare[]): Promise<() => Promise<void>> {
  const workers = shares.map((share) => new Worker(ENTRY, { workerData: share }));
  const stop = async () => {
    await Promise.all(workers.map((w) => w.terminate()));
  };
  try {
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    })));
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}

/** t-SNE's affinities over `threads` threads (the same P as tsneAffinities', bit for bit). */
export async function threadedAffinities(graph: NeighbourGraph, perplexity: number, threads: number): Promise<SparseAffinities> {
  if (threads < 2) return tsneAffinities(graph, perplexity);
  const pool = affinityPool(graph, perplexity, threads);
  const stop = await startPoolThreads(pool.shares());
  try {
    return pool.run();
  } finally {
    pool.close();
    await stop();
  }
}

/** The neighbour graph over `threads` threads (the same graph as knnGraph's, bit for bit). */
export function threadedKnnGraph(t: Parameters<typeof knnGraphThreaded>[0], k: number, metric: Metric, opts: KnnOptions, threads: number): Promise<KnnGraph> {
  return knnGraphThreaded(t, k, metric, opts, threads, startPoolThreads);
}
