/**
 * The search space of the approximate neighbour search: a dense Float64 n x m matrix whose
 * squared euclidean distances stand in for the metric's. Pure and worker-safe.
 *
 * Rows are scaled to unit length first for cosine (|a - b|^2 = 2 (1 - cos) for unit rows). When
 * d <= maxDims that is all. Otherwise the rows are projected orthogonally onto an m-dimensional
 * subspace close to the top principal one, found by randomized subspace iteration (Halko et al.
 * 2011) on the uncentred data with the sparse-aware products of ./matrix. Distances only depend
 * on the subspace, not on its basis, so the Rayleigh–Ritz step and eigen-decompositions of a full
 * PCA (./pca) are skipped: at 50 dimensions on mnist-10k that saves most of a second.
 */
import type { Tensor } from '../data/types';
import type { Metric } from './knn';
import { inverseNorms } from './knn-metric';
import { dataMatrix } from './matrix';
import { jacobiEigen } from './pca';
import type { Random } from './random';

export interface SearchSpace {
  X: Float64Array;
  m: number;
}

export interface SpaceOptions {
  /** Most dimensions kept (the subspace size when d is larger). */
  maxDims: number;
  /** Power iterations of the subspace search (each one pass of the sample and one of its transpose). */
  powerIterations: number;
  /** Rows the subspace is searched on. */
  sampleRows: number;
  rng: Random;
}

export function searchSpace(t: Tensor, metric: Metric, inv: Float64Array | null, o: SpaceOptions): SearchSpace {
  const { n, d, data } = t;
  const scale = metric === 'cosine' ? inv ?? inverseNorms(t) : null;
  if (d <= o.maxDims) {
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const s = scale ? scale[i] : 1;
      for (let j = 0; j < d; j++) X[i * d + j] = data[i * d + j] * s;
    }
    return { X, m: d };
  }
  let source: Tensor = t;
  if (scale) {
    const scaled = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const s = scale[i];
      for (let j = 0; j < d; j++) scaled[i * d + j] = data[i * d + j] * s;
    }
    source = { data: scaled, n, d };
  }
  const m = o.maxDims;
  // The subspace is searched on a sample of rows (the top principal directions of a few thousand
  // rows are nearly those of all), then every row is projected once.
  const sample = sampleRows(n, Math.min(n, o.sampleRows), o.rng);
  const S = dataMatrix(gatherRows(source, sample));
  // Start from S^T Omega (Omega s x m Gaussian): random combinations of rows, already weighted
  // towards the high-variance directions.
  const ns = sample.length;
  const omega = new Float64Array(ns * m);
  for (let i = 0; i < omega.length; i++) omega[i] = o.rng.gaussian();
  const V = new Float64Array(d * m);
  S.transposeTimes(omega, m, V);
  orthonormalizeColumns(V, d, m, o.rng);
  for (let it = 0; it < o.powerIterations; it++) {
    S.times(V, m, omega);
    S.transposeTimes(omega, m, V);
    orthonormalizeColumns(V, d, m, o.rng);
  }
  const Y = new Float64Array(n * m);
  dataMatrix(source).times(V, m, Y);
  return { X: principalAxes(Y, n, m), m };
}

/** count distinct rows of 0..n-1 drawn at random, in increasing order. */
function sampleRows(n: number, count: number, rng: Random): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  if (count >= n) return all;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    const tmp = all[i];
    all[i] = all[j];
    all[j] = tmp;
  }
  return all.slice(0, count).sort();
}

function gatherRows(t: Tensor, rows: Int32Array): Tensor {
  if (rows.length === t.n) return t;
  const { d, data } = t;
  const out = new Float32Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) out.set(data.subarray(rows[r] * d, (rows[r] + 1) * d), r * d);
  return { data: out, n: rows.length, d };
}

/**
 * Y rotated (in place of a copy) onto the eigenvectors of Y^T Y, largest first: the same
 * distances, but the leading coordinates now carry the most spread, so partial sums of squared
 * differences grow fast and the search can abandon far pairs early.
 */
function principalAxes(Y: Float64Array, n: number, m: number): Float64Array {
  const G = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let a = 0; a < m; a++) {
      const ya = Y[o + a];
      if (ya === 0) continue;
      for (let b = a; b < m; b++) G[a * m + b] += ya * Y[o + b];
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) G[a * m + b] = G[b * m + a];
  const { values, vectors } = jacobiEigen(G, m);
  const order = Array.from(values, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const U = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let c = 0; c < m; c++) U[a * m + c] = vectors[a * m + order[c]];
  const out = new Float64Array(n * m);
  const row = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let c = 0; c < m; c++) row[c] = 0;
    for (let a = 0; a < m; a++) {
      const ya = Y[o + a];
      if (ya === 0) continue;
      const ua = a * m;
      for (let c = 0; c < m; c++) row[c] += ya * U[ua + c];
    }
    out.set(row, o);
  }
  return out;
}

/**
 * Modified Gram–Schmidt, twice, on the m columns of the row-major rows x m block; a column that
 * collapses (dependent on the earlier ones) is replaced by a random one.
 */
function orthonormalizeColumns(V: Float64Array, rows: number, m: number, rng: Random): void {
  for (let c = 0; c < m; c++) {
    for (let attempt = 0; ; attempt++) {
      const before = columnNorm(V, rows, m, c);
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < c; p++) {
          let s = 0;
          for (let i = 0; i < rows; i++) s += V[i * m + p] * V[i * m + c];
          for (let i = 0; i < rows; i++) V[i * m + c] -= s * V[i * m + p];
        }
      }
      const after = columnNorm(V, rows, m, c);
      if (after > 1e-10 * before && after > 0) {
        for (let i = 0; i < rows; i++) V[i * m + c] /= after;
        break;
      }
      if (attempt >= 8) throw new Error('knn: could not complete an orthonormal basis');
      for (let i = 0; i < rows; i++) V[i * m + c] = rng.gaussian();
    }
  }
}

function columnNorm(V: Float64Array, rows: number, m: number, c: number): number {
  let s = 0;
  for (let i = 0; i < rows; i++) s += V[i * m + c] * V[i * m + c];
  return Math.sqrt(s);
}
