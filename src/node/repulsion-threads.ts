/** The pools (neighbour search, layouts) on Node's worker_threads (the browser's live in src/workers/layout.worker.ts). */
import { Worker } from 'node:worker_threads';
import type { PoolShare } from '../reduce/pool-thread';
import { repulsionPool, type RepulsionPool } from '../reduce/tsne/repulsion-pool';
import type { Umap } from '../reduce/umap/umap';
import { affinityPool } from '../reduce/tsne/affinity-pool';
import { tsneUpperAffinities, type NeighbourGraph, type UpperAffinities } from '../reduce/tsne/affinities';
import { knnGraphThreaded, type KnnGraph, type KnnOptions, type Metric } from '../reduce/knn/knn';

const ENTRY = new URL('./repulsion-thread.mjs', import.meta.url);

/**
 * Helper threads kept from one pool to the next: a thread serves the shares it is handed one after
 * another (./repulsion-thread), so a run's search, affinities and layout, and the runs after it,
 * meet compiled code instead of a fresh thread's cold start. An idle thread does not keep the
 * process alive (unref); a thread that fails is ended and not reused.
 */
const idle: Worker[] = [];
let started = 0;

/** Helper threads started so far in this process, and those idle now (for tests). */
export function poolThreadCounts(): { started: number; idle: number } {
  return { started, idle: idle.length };
}

function newHelper(): Worker {
  const w = new Worker(ENTRY);
  started++;
  w.on('exit', () => {
    const at = idle.indexOf(w);
    if (at >= 0) idle.splice(at, 1);
  });
  // Reported to the pool using the thread (next()); an idle thread's failure ends it.
  w.on('error', () => undefined);
  return w;
}

function takeHelpers(count: number): Worker[] {
  const out: Worker[] = [];
  while (out.length < count) out.push(idle.pop() ?? newHelper());
  for (const w of out) w.ref();
  return out;
}

/** The next 'ready' or 'done' of w, or its failure. */
function next(w: Worker, what: 'ready' | 'done'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const off = () => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    const onMessage = (m: unknown) => {
      if (m !== what) return;
      off();
      resolve();
    };
    const onError = (err: Error) => {
      off();
      reject(err);
    };
    const onExit = (code: number) => {
      off();
      reject(new Error(`a helper thread exited (code ${code})`));
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
  });
}

/**
 * Hands each share to a helper; resolves once every one serves it, with how to wait for them to
 * finish after the pool is closed (the helpers are then idle again).
 */
async function handOut(shares: PoolShare[]): Promise<() => Promise<void>> {
  const workers = takeHelpers(shares.length);
  const ready = workers.map((w) => next(w, 'ready'));
  const done = workers.map((w) => next(w, 'done'));
  // A failure surfaces through ready or, later, through done.
  for (const d of done) d.catch(() => undefined);
  workers.forEach((w, i) => w.postMessage(shares[i]));
  try {
    await Promise.all(ready);
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  return async () => {
    const settled = await Promise.allSettled(done);
    workers.forEach((w, i) => {
      if (settled[i].status === 'fulfilled') {
        w.unref();
        idle.push(w);
      } else {
        void w.terminate();
      }
    });
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
}

/** Ends the idle helper threads (tests and the bench; an idle thread never holds the process open). */
export async function endIdleThreads(): Promise<void> {
  await Promise.all(idle.splice(0).map((w) => w.terminate()));
}

/** One helper per share; close() ends the pool's loop and waits for its helpers. */
function startThreads(shares: PoolShare[], closePool: () => void): () => Promise<void> {
  const handedOut = handOut(shares);
  // The caller learns of a failed start at close(); the pool's own timeouts end a stalled round.
  handedOut.catch(() => undefined);
  return async () => {
    closePool();
    const finish = await handedOut;
    await finish();
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

/** Starts one helper per share, resolving once every one serves (the caller may then block on them). */
export async function startPoolThreads(shares: PoolShare[]): Promise<() => Promise<void>> {
  return handOut(shares);
}

/** t-SNE's affinities over `threads` threads, as the upper triangle t-SNE keeps (tsneUpperAffinities', bit for bit). */
export async function threadedAffinities(graph: NeighbourGraph, perplexity: number, threads: number): Promise<UpperAffinities> {
  if (threads < 2) return tsneUpperAffinities(graph, perplexity);
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
