/**
 * The approximate k-NN pipeline behind knnApprox (../knn). Pure and worker-safe.
 *
 *   1. search space (./space): unit rows for cosine; above 128 columns a projection on a
 *      64-dimensional near-principal subspace — unless that keeps under 80% of the variance:
 *      then the full rows up to 256 columns, else 128 directions;
 *   2. rows reordered by one RP tree's leaves, so that neighbours sit together in memory;
 *   3. RP-tree leaves + NN-descent (./descent, ./rp-trees) for Kd = min(K, 60) neighbours
 *      per row, K = ceil(1.2 k) + 9; for K > Kd, widened to K from neighbours' neighbours;
 *   4. the K candidates, plus exact copies of the row (found by hashing), re-ranked by their
 *      exact distances in the original space (../metric): the k nearest are kept.
 * The slack K - k covers what the projection misorders. All randomness comes from one seeded
 * generator, and the work runs in phases that threads can share without changing the result
 * (./search-pool): the output depends only on the input and the seed, never on the thread count.
 */
import type { CompressedRows } from '../../../data/compressed-rows';
import type { Tensor } from '../../../data/types';
import type { Metric } from '../types';
import type { SpaceOptions } from './space';
import { searchPool } from './search-pool';

/** The search space's settings (see knn-space.ts), then the search's own. */
export interface ApproxTuning extends Omit<SpaceOptions, 'rng'> {
  /** Candidates per row searched: K = min(n - 1, ceil(k * candidateFactor) + candidateExtra). */
  candidateFactor: number;
  candidateExtra: number;
  /** NN-descent sample size per row: min(K, maxCandidates). */
  maxCandidates: number;
  /** NN-descent keeps at most this many per row; a larger K is reached from neighbours' neighbours. */
  descentMaxK: number;
  /** Neighbours of each neighbour looked at when widening to K. */
  expandFanout: number;
  /** Trees: clamp(treesBase + round(n^0.25), minTrees, maxTrees). */
  treesBase: number;
  minTrees: number;
  maxTrees: number;
  /** Leaf size: clamp(K, minLeaf, maxLeaf). */
  minLeaf: number;
  maxLeaf: number;
  /**
   * Iterations: min(cap, max(minIterations, round(log2 n))), cap = iterationCap, or
   * expandIterationCap when the graph is widened afterwards (which explores further itself).
   */
  minIterations: number;
  iterationCap: number;
  expandIterationCap: number;
  delta: number;
}

export const DEFAULT_TUNING: ApproxTuning = {
  projectAbove: 128,
  dims: 64,
  minVariance: 0.8,
  fullUpTo: 256,
  wideDims: 128,
  powerIterations: 1,
  sampleRows: 3000,
  candidateFactor: 1.2,
  candidateExtra: 9,
  maxCandidates: 12,
  descentMaxK: 60,
  expandFanout: 30,
  treesBase: -6,
  minTrees: 3,
  maxTrees: 12,
  minLeaf: 10,
  maxLeaf: 60,
  minIterations: 5,
  iterationCap: 6,
  expandIterationCap: 5,
  delta: 0.01,
};

export interface ApproxResult {
  indices: Int32Array;
  distances: Float32Array;
  /** For the bench: the candidates per row searched, and the NN-descent iterations run. */
  K: number;
  iterations: number;
  /** Search-space dimensions, and the share of the variance they keep. */
  dims: number;
  variance: number;
  /** Wall time of each phase, ms: search space, trees (+ random fill), descent, re-rank. */
  phasesMs: { space: number; trees: number; descent: number; rerank: number };
}

export function approxSearch(
  t: Tensor, k: number, metric: Metric, seed: number, report: (fraction: number) => void,
  tuning: Partial<ApproxTuning> = {}, compressed?: CompressedRows | null,
): ApproxResult {
  return searchPool(t, k, metric, seed, { ...DEFAULT_TUNING, ...tuning }, 1, compressed).run(report);
}
