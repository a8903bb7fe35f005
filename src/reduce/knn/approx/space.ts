/**
 * The search space of the approximate neighbour search: a dense Float64 n x m matrix whose
 * squared euclidean distances stand in for the metric's. Pure and worker-safe.
 *
 * Rows are scaled to unit length first for cosine (|a - b|^2 = 2 (1 - cos) for unit rows). When
 * d <= projectAbove that is all. Otherwise the rows are projected orthogonally onto an m = dims
 * dimensional subspace close to the top principal one (falling back to the full rows, or to
 * wideDims directions, when that keeps too little variance): randomized subspace iteration (Halko,
 * Martinsson & Tropp 2011) with one power step, on a sample of rows (../../kernels/matrix's sparse-aware
 * products), then one product of all rows with the basis (compressed rows when mostly zero).
 * Distances only depend on the subspace, not on its basis, so the Rayleigh–Ritz step, eigenvalues
 * and convergence checks of a full PCA (../pca/pca) are skipped: pca() at 64 components takes over a
 * second on mnist-10k, this about a third of one. An orthogonal projection never lengthens a
 * difference, so projected distances are lower bounds of the true ones.
 * Columns are centred at the end (distances unchanged) to keep |p|^2 + |q|^2 - 2 p.q accurate.
 */
import type { Tensor } from '../../../data/types';
import type { Metric } from '../types';
import { inverseNorms, type Rows } from '../metric';
import { compressedMatrix, compressedRowsTimes, dataMatrix, denseMatrix, type DataMatrix } from '../../kernels/matrix';
import { MAX_SPARSE_DENSITY, type CompressedRows } from '../../../data/compressed-rows';
import { orthonormalizeColumns } from '../../kernels/orthonormal';
import type { Random } from '../../random';
import { sampleIndicesFrom } from '../../sample';

export interface SearchSpace {
  X: Float64Array;
  m: number;
  /** Share of the (sampled, centred) variance the search space keeps: 1 when not projected. */
  variance: number;
}

export interface SpaceOptions {
  /** Data with at most this many columns is searched in full. */
  projectAbove: number;
  /** Dimensions of the projection. */
  dims: number;
  /**
   * When the projection keeps less than this share of the (sampled, centred) variance, the data
   * is searched in full if d <= fullUpTo, else projected on wideDims dimensions instead.
   */
  minVariance: number;
  fullUpTo: number;
  wideDims: number;
  /** Power iterations of the subspace search (each one pass of the sample and one of its transpose). */
  powerIterations: number;
  /** Rows the subspace is searched on. */
  sampleRows: number;
  rng: Random;
}

/**
 * How the search space maps the rows: either the finished space (all columns), or a basis to
 * project on (projectRows, then centreColumns). Split from the projection itself so that threads
 * can share that (its rows are independent).
 */
export type SearchBasis =
  | { kind: 'full'; space: SearchSpace }
  | { kind: 'project'; V: Float64Array; m: number; variance: number; scale: Float64Array | null };

export function searchBasis(rows: Rows, metric: Metric, o: SpaceOptions): SearchBasis {
  const { t } = rows;
  const { n, d } = t;
  const scale = metric === 'cosine' ? inverseNorms(rows) : null;
  if (d <= o.projectAbove || d <= o.dims) return { kind: 'full', space: fullSpace(t, scale) };
  // The subspace is searched on a sample of rows (the top principal directions of a few thousand
  // rows are nearly those of all), then every row is projected once.
  const sample = sampleIndicesFrom(n, o.sampleRows, o.rng);
  const S = sampleMatrix(rows, sample, scale);
  const { mean, sumSquares } = S.columnMoments();
  let total = 0;
  for (let j = 0; j < d; j++) total += sumSquares[j];
  let m = o.dims;
  let V = subspace(S, m, o);
  let variance = capturedVariance(S, V, m, mean, total);
  if (variance < o.minVariance) {
    if (d <= o.fullUpTo) return { kind: 'full', space: fullSpace(t, scale) };
    if (o.wideDims > m) {
      m = Math.min(d, o.wideDims);
      V = subspace(S, m, o);
      variance = capturedVariance(S, V, m, mean, total);
    }
  }
  return { kind: 'project', V, m, variance, scale };
}

/** All d columns (rows scaled to unit length for cosine), centred. */
function fullSpace(t: Tensor, scale: Float64Array | null): SearchSpace {
  const { n, d, data } = t;
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const s = scale ? scale[i] : 1;
    for (let j = 0; j < d; j++) X[i * d + j] = data[i * d + j] * s;
  }
  centreColumns(X, n, d);
  return { X, m: d, variance: 1 };
}

/**
 * An orthonormal d x l basis near the sample's top principal subspace: S^T Omega (Omega s x l
 * Gaussian: random combinations of rows, already weighted towards the high-variance directions),
 * then powerIterations steps of S^T S.
 */
function subspace(S: DataMatrix, l: number, o: SpaceOptions): Float64Array {
  const { n: ns, d } = S;
  const W = new Float64Array(ns * l);
  for (let i = 0; i < W.length; i++) W[i] = o.rng.gaussian();
  const V = new Float64Array(d * l);
  S.transposeTimes(W, l, V);
  orthonormalizeColumns(V, d, l, o.rng, 'neighbour search');
  for (let it = 0; it < o.powerIterations; it++) {
    S.times(V, l, W);
    S.transposeTimes(W, l, V);
    orthonormalizeColumns(V, d, l, o.rng, 'neighbour search');
  }
  return V;
}

/**
 * Share of the centred sample's variance (total = its sum of squared deviations) inside span(V):
 * |(S - 1 mu^T) V|^2 / total, V orthonormal.
 */
function capturedVariance(S: DataMatrix, V: Float64Array, l: number, mu: Float64Array, total: number): number {
  if (!(total > 0)) return 1;
  const { n: ns, d } = S;
  const W = new Float64Array(ns * l);
  S.times(V, l, W);
  const muV = new Float64Array(l);
  for (let j = 0; j < d; j++) {
    const mj = mu[j];
    if (mj === 0) continue;
    for (let c = 0; c < l; c++) muV[c] += mj * V[j * l + c];
  }
  let kept = 0;
  for (let i = 0; i < ns; i++) {
    for (let c = 0; c < l; c++) {
      const x = W[i * l + c] - muV[c];
      kept += x * x;
    }
  }
  return Math.min(1, kept / total);
}

/**
 * Subtracts each column's mean: distances stay the same, but |p|^2 + |q|^2 - 2 p.q (how the
 * search computes them) no longer cancels away the digits of data far from the origin.
 */
export function centreColumns(X: Float64Array, n: number, m: number): void {
  const mean = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) mean[j] += X[i * m + j];
  for (let j = 0; j < m; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) X[i * m + j] -= mean[j];
}

/**
 * The sampled rows (each times scale[row] when given) as a matrix: taken from the compressed rows
 * when there are, with the entries, and so the products, that compressing the gathered rows would
 * give (dataMatrix), without a dense copy to scan.
 */
function sampleMatrix(rows: Rows, sample: Int32Array, scale: Float64Array | null): DataMatrix {
  const { t, csr } = rows;
  if (!csr) return dataMatrix(gatherRows(t, sample, scale));
  const ptr = new Int32Array(sample.length + 1);
  let nnz = 0;
  for (let r = 0; r < sample.length; r++) nnz += csr.ptr[sample[r] + 1] - csr.ptr[sample[r]];
  const col = new Int32Array(nnz);
  const val = new Float32Array(nnz);
  let at = 0;
  for (let r = 0; r < sample.length; r++) {
    const i = sample[r];
    const s = scale ? scale[i] : 1;
    for (let p = csr.ptr[i]; p < csr.ptr[i + 1]; p++) {
      // As the gathered Float32 value: one that scales to zero is left out.
      const x = Math.fround(csr.val[p] * s);
      if (x === 0) continue;
      col[at] = csr.col[p];
      val[at++] = x;
    }
    ptr[r + 1] = at;
  }
  // dataMatrix keeps a sample denser than this dense.
  if (at > MAX_SPARSE_DENSITY * sample.length * t.d) return dataMatrix(gatherRows(t, sample, scale));
  const compressed: CompressedRows = at === nnz ? { ptr, col, val } : { ptr, col: col.slice(0, at), val: val.slice(0, at) };
  return compressedMatrix(compressed, sample.length, t.d);
}

/** The given rows, each times scale[row] when given. */
function gatherRows(t: Tensor, rows: Int32Array, scale: Float64Array | null): Tensor {
  const { d, data } = t;
  const out = new Float32Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) {
    const o = rows[r] * d;
    const s = scale ? scale[rows[r]] : 1;
    for (let j = 0; j < d; j++) out[r * d + j] = data[o + j] * s;
  }
  return { data: out, n: rows.length, d };
}

/**
 * Rows [from, to) of Y (n x m) = diag(scale) X V, V d x m row-major: compressed rows when there
 * are, else dense. Each row's values depend on that row only.
 */
export function projectRows(
  rows: Rows, b: { V: Float64Array; m: number; scale: Float64Array | null }, Y: Float64Array, from: number, to: number,
): void {
  const { V, m, scale } = b;
  const { d, data } = rows.t;
  if (rows.csr) compressedRowsTimes(rows.csr, V, m, Y, from, to);
  else denseMatrix({ data: data.subarray(from * d, to * d), n: to - from, d }).times(V, m, Y.subarray(from * m, to * m));
  if (scale) {
    for (let i = from; i < to; i++) {
      const s = scale[i];
      for (let c = i * m; c < (i + 1) * m; c++) Y[c] *= s;
    }
  }
}
