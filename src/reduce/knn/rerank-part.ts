/**
 * A share of the approximate search's last step, for a pool of threads: every row's candidates
 * re-ranked by exact distances in all dimensions. Each row's result depends on nothing but its
 * own candidates, so the rows can be split any way and the graph is the one a single thread
 * makes. Pure and worker-safe; the arrays are shared (or copied) by the caller.
 */
import { rerank, rowDistances, rowsOf, type ExtraCandidates } from './metric';
import type { Metric } from './types';

export interface RerankShare {
  data: Float32Array;
  n: number;
  d: number;
  metric: Metric;
  /** n x K candidates, and the order the rows are visited in. */
  cand: Int32Array;
  K: number;
  k: number;
  order: Int32Array;
  extra: ExtraCandidates | null;
  /** The whole n x k outputs, shared by every thread; this share writes its rows only. */
  indices: Int32Array;
  distances: Float32Array;
  /** Visits [from, to) of `order`. */
  from: number;
  to: number;
}

export function rerankShare(s: RerankShare): void {
  const dist = rowDistances(rowsOf({ data: s.data, n: s.n, d: s.d }), s.metric);
  rerank(s.n, s.cand, s.K, s.k, dist, undefined, undefined, s.extra ?? undefined, s.order, {
    from: s.from,
    to: s.to,
    indices: s.indices,
    distances: s.distances,
  });
}

/** Visits [from, to) of each of `parts` shares: equal counts. */
export function visitRanges(n: number, parts: number): [number, number][] {
  return Array.from({ length: parts }, (_, p) => [Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)]);
}
