/**
 * One whole approximate neighbour search on `threads` threads (src/reduce/knn/approx/search-pool.ts),
 * as the 'pool' section times it in one process and bench/knn-search-child.ts in a fresh one: the
 * plan (the projection's subspace) is timed, the helper threads' start is not, their first work is.
 */
import { DEFAULT_TUNING, type ApproxResult } from '../src/reduce/knn/approx/approx';
import { searchPool } from '../src/reduce/knn/approx/search-pool';
import type { CompressedRows } from '../src/data/compressed-rows';
import type { Tensor } from '../src/data/types';
import { startPoolThreads } from '../src/node/repulsion-threads';

export async function timedSearch(t: Tensor, compressed: CompressedRows | null, k: number, threads: number): Promise<{ ms: number; r: ApproxResult }> {
  const t0 = performance.now();
  const pool = searchPool(t, k, 'cosine', 42, DEFAULT_TUNING, threads, compressed);
  const planMs = performance.now() - t0;
  const stop = await startPoolThreads(pool.shares());
  try {
    const t1 = performance.now();
    const r = pool.run(() => {});
    return { ms: planMs + performance.now() - t1, r };
  } finally {
    pool.close();
    await stop();
  }
}
