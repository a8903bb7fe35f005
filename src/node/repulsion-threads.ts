/** t-SNE's repulsion pool on Node's worker_threads (the browser's lives in src/workers/layout.worker.ts). */
import { Worker } from 'node:worker_threads';
import { repulsionPool, type RepulsionPool } from '../reduce/repulsion-pool';

const ENTRY = new URL('./repulsion-thread.mjs', import.meta.url);

/** A pool over `threads` threads (this one and threads - 1 workers); null when one thread is all there is to use. */
export function threadedRepulsion(n: number, dim: 2 | 3, theta: number, threads: number): { pool: RepulsionPool; close: () => Promise<void> } | null {
  if (threads < 2 || n < 2 * threads) return null;
  const pool = repulsionPool(n, dim, theta, threads);
  const workers = pool.shares().map((share) => new Worker(ENTRY, { workerData: share }));
  return {
    pool,
    close: async () => {
      pool.close();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
