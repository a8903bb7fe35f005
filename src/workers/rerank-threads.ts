/**
 * The neighbour graph's re-rank over several threads, for a worker that builds a graph: the
 * vectors, candidates and outputs in shared memory, one nested worker per extra share, this
 * thread doing the first. The graph is the one a single thread makes (each row's result is its own).
 */
import type { Tensor } from '../data/types';
import type { Candidates } from '../reduce/knn/approx';
import type { Reranker } from '../reduce/knn/knn';
import { rerankShare, visitRanges, type RerankShare } from '../reduce/knn/rerank-part';
import type { Metric } from '../reduce/knn/types';
import { toShared } from './shared-tensor';

function runShare(share: RerankShare): { done: Promise<void>; stop: () => void } {
  const w = new Worker(new URL('./rerank.worker.ts', import.meta.url), { type: 'module' });
  const done = new Promise<void>((resolve, reject) => {
    w.onmessage = (e: MessageEvent<{ ok: boolean; message?: string }>) => (e.data.ok ? resolve() : reject(new Error(`neighbour graph: ${e.data.message}`)));
    w.onerror = (e) => reject(new Error(`neighbour graph: a helper thread failed: ${e.message || 'worker error'}`));
  });
  w.postMessage(share);
  return { done, stop: () => w.terminate() };
}

export function threadedReranker(t: Tensor, metric: Metric, threads: number): Reranker {
  return async (c: Candidates) => {
    const { n, d } = t;
    const base = {
      data: toShared(t.data),
      n,
      d,
      metric,
      cand: toShared(c.cand),
      K: c.K,
      k: c.k,
      order: toShared(c.order),
      extra: c.extra,
      indices: new Int32Array(new SharedArrayBuffer(Math.max(4, n * c.k * 4))),
      distances: new Float32Array(new SharedArrayBuffer(Math.max(4, n * c.k * 4))),
    };
    const ranges = visitRanges(n, threads);
    const helpers = ranges.slice(1).map(([from, to]) => runShare({ ...base, from, to }));
    try {
      rerankShare({ ...base, from: ranges[0][0], to: ranges[0][1] });
      await Promise.all(helpers.map((h) => h.done));
    } finally {
      for (const h of helpers) h.stop();
    }
    return { indices: base.indices, distances: base.distances };
  };
}
