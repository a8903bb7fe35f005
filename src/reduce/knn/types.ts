/** The neighbour graph's shapes, apart from the search code so that its modules import no cycle. */
import type { CompressedRows } from '../../data/compressed-rows';

export type Metric = 'cosine' | 'euclidean';

export interface KnnGraph {
  n: number;
  k: number;
  metric: Metric;
  /** n*k: row i = the neighbours of i, nearest first, never i itself. */
  indices: Int32Array;
  /** n*k, ascending per row. cosine: 1 - cos similarity; euclidean: L2 distance (not squared). */
  distances: Float32Array;
}

export interface KnnOptions {
  /** Seed of the approximate search; the same seed gives identical output. Default 42. */
  seed?: number;
  /** Called with the fraction done, strictly increasing, ending with 1. */
  onProgress?: (fraction: number) => void;
  /**
   * knnGraph is exact for n below this. Default: 5000, except that brute force is not chosen when
   * it would take more than EXACT_DEFAULT_WORK multiply-adds (n^2 d / 2, d counting non-zeros
   * only for mostly-zero data): mnist-2k and sklearn-digits are searched exactly, 2000 dense rows
   * of 784 approximately.
   */
  exactBelow?: number;
  /**
   * The approximate search looks for candidates among the top principal components when d > 128
   * (64 of them, when they keep >= 80% of the variance), then re-ranks them by exact distances in
   * the full space. Default true; false searches the full space (slower, a little higher recall).
   */
  project?: boolean;
  /** The tensor's non-zeros, already compressed (../../data/compressed-rows): not compressed again. */
  compressed?: CompressedRows | null;
}
