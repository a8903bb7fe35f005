/**
 * PCA by randomized subspace iteration (Halko, Martinsson & Tropp 2011, §4.5) with a final
 * Rayleigh–Ritz step. Pure and worker-safe: typed arrays only, no DOM.
 *
 * Never forms the d x d covariance nor calls a full SVD. With l = k + oversample columns:
 *   V = orth(Omega)                                     d x l, Gaussian start
 *   repeat: V = orth(Xc^T (Xc V))                       two passes over X; stop once the
 *                                                       top-k eigenvalues of V^T C V settle
 *   W = Xc V;  W^T W = U diag(lambda) U^T               l x l, cyclic Jacobi
 *   components = (V U)^T, projections = W U, variance = lambda / (n - 1)
 * Xc = X - 1 mu^T is never materialised: Xc V = X V - 1 (mu^T V), Xc^T Q = X^T Q - mu (1^T Q).
 * The products with X live in ../kernels/matrix (compressed storage for mostly-zero data).
 */
import type { Tensor } from '../../data/types';
import type { CompressedRows } from '../../data/compressed-rows';
import { dataMatrix, type DataMatrix } from '../kernels/matrix';
import { orthonormalizeColumns } from '../kernels/orthonormal';
import { createRandom, type Random } from '../random';

export interface PcaOptions {
  /** Seed of the random start; the same seed gives identical output. Default 42. */
  seed?: number;
  /** Called a handful of times with the fraction done (increasing), ending with 1. */
  onProgress?: (fraction: number) => void;
  /** Most power iterations (one X and one X^T pass each). Default 10. */
  maxIterations?: number;
  /**
   * Stop (after 2 iterations at least) once no top-k variance estimate moves by more than this,
   * relatively, in an iteration. Default 1e-3: the top components are then far more exact.
   */
  tolerance?: number;
  /** Extra columns beyond k in the random subspace. Default 10. */
  oversample?: number;
  /** t's non-zeros, already compressed (as the parse worker hands them over): not compressed again. */
  compressed?: CompressedRows | null;
}

export interface PcaResult {
  /** Number of components computed: min(requested k, d). */
  k: number;
  n: number;
  /** n*k row-major: the centred data projected on the components. */
  projections: Float32Array;
  /** k*d row-major: unit-length principal axes, by decreasing variance. */
  components: Float32Array;
  /** Per component, the sample variance (divided by n - 1) of its projections. */
  variance: Float64Array;
  /** Sum over all d columns of their sample variance (so variance[i] / totalVariance is the explained share). */
  totalVariance: number;
  /** Power iterations run (0 when the subspace spans all d dimensions). */
  iterations: number;
}

const DEFAULTS = { seed: 42, maxIterations: 10, minIterations: 2, tolerance: 1e-3, oversample: 10 };

export function pca(t: Tensor, k: number, opts: PcaOptions = {}): PcaResult {
  const { n, d } = t;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`pca: k must be a positive integer, got ${k}`);
  if (n < 1 || d < 1) throw new RangeError(`pca: need at least one row and one column, got ${n} x ${d}`);
  if (t.data.length < n * d) throw new RangeError(`pca: data has ${t.data.length} values, expected ${n * d}`);

  const kk = Math.min(k, d);
  const l = Math.min(d, kk + Math.max(0, opts.oversample ?? DEFAULTS.oversample));
  // With l = d the start block already spans R^d: no iteration is needed, the result is exact.
  const maxIterations = l === d ? 0 : Math.max(0, Math.floor(opts.maxIterations ?? DEFAULTS.maxIterations));
  const report = (fraction: number) => opts.onProgress?.(fraction);

  const X = dataMatrix(t, opts.compressed);
  const { mean: mu, sumSquares } = X.columnMoments();
  if (!mu.every(Number.isFinite)) throw new RangeError('pca: the data contains NaN or infinite values');
  const denom = Math.max(1, n - 1);
  let totalVariance = 0;
  for (let j = 0; j < d; j++) totalVariance += sumSquares[j] / denom;
  report(0.05);

  const rng = createRandom(opts.seed ?? DEFAULTS.seed);
  const { V, iterations } = subspaceIteration(X, mu, l, kk, {
    maxIterations,
    tolerance: opts.tolerance ?? DEFAULTS.tolerance,
    rng,
    report: (it) => report(0.05 + (0.9 * it) / Math.max(1, maxIterations)),
  });

  // Rayleigh–Ritz: the eigenvectors of W^T W, W = Xc V, rotate V onto the principal axes.
  const W = new Float64Array(n * l);
  multiplyCentred(X, mu, V, l, W);
  const { values, vectors } = jacobiEigen(gramMatrix(W, n, l), l);
  const order = topIndices(values, kk);
  const variance = new Float64Array(kk);
  for (let r = 0; r < kk; r++) variance[r] = Math.max(0, values[order[r]]) / denom;

  const components = transpose(combineColumns(V, d, l, vectors, order), d, kk);
  const projections = combineColumns(W, n, l, vectors, order);
  fixSigns(components, projections, d, n, kk);

  report(1);
  return {
    k: kk,
    n,
    projections: Float32Array.from(projections),
    components: Float32Array.from(components),
    variance,
    totalVariance,
    iterations,
  };
}

interface IterationOptions {
  maxIterations: number;
  tolerance: number;
  rng: Random;
  report: (iteration: number) => void;
}

/**
 * Orthogonal iteration on C = Xc^T Xc, applied as two passes over X and never formed: returns an
 * orthonormal d x l basis V whose span approximates the top principal subspace. V is
 * re-orthonormalised after every application of C, so C's condition is never compounded. Each
 * iteration's Rayleigh quotient V^T C V (l x l) gives the top-k variance estimates that decide
 * when to stop.
 */
function subspaceIteration(
  X: DataMatrix, mu: Float64Array, l: number, k: number, o: IterationOptions,
): { V: Float64Array; iterations: number } {
  const { n, d } = X;
  let V: Float64Array = gaussianBlock(d, l, o.rng);
  orthonormalizeColumns(V, d, l, o.rng, 'pca');
  const Y = new Float64Array(n * l);
  let Z: Float64Array = new Float64Array(d * l);
  let previous: Float64Array | null = null;
  let it = 0;
  while (it < o.maxIterations) {
    multiplyCentred(X, mu, V, l, Y);
    multiplyCentredTransposed(X, mu, Y, l, Z);
    const estimates = topValues(jacobiEigen(crossProduct(V, Z, d, l), l).values, k);
    [V, Z] = [Z, V];
    orthonormalizeColumns(V, d, l, o.rng, 'pca');
    it++;
    o.report(it);
    if (it >= DEFAULTS.minIterations && previous && settled(previous, estimates, o.tolerance)) break;
    previous = estimates;
  }
  return { V, iterations: it };
}

function settled(previous: Float64Array, current: Float64Array, tolerance: number): boolean {
  const scale = Math.abs(current[0]);
  for (let r = 0; r < current.length; r++) {
    // Directions with (numerically) no variance have nothing left to converge.
    if (Math.abs(current[r]) <= 1e-12 * scale) break;
    if (Math.abs(current[r] - previous[r]) > tolerance * Math.abs(current[r])) return false;
  }
  return true;
}

function gaussianBlock(rows: number, l: number, rng: Random): Float64Array {
  const a = new Float64Array(rows * l);
  for (let i = 0; i < a.length; i++) a[i] = rng.gaussian();
  return a;
}

/** out (n x l) = (X - 1 mu^T) V, with V d x l. */
function multiplyCentred(X: DataMatrix, mu: Float64Array, V: Float64Array, l: number, out: Float64Array): void {
  X.times(V, l, out);
  const muV = new Float64Array(l);
  for (let j = 0; j < X.d; j++) {
    const m = mu[j];
    for (let c = 0; c < l; c++) muV[c] += m * V[j * l + c];
  }
  subtractFromRows(out, X.n, l, muV, 1);
}

/** out (d x l) = (X - 1 mu^T)^T Q = X^T Q - mu (1^T Q), with Q n x l. */
function multiplyCentredTransposed(X: DataMatrix, mu: Float64Array, Q: Float64Array, l: number, out: Float64Array): void {
  X.transposeTimes(Q, l, out);
  const colSum = new Float64Array(l);
  for (let i = 0; i < X.n; i++) for (let c = 0; c < l; c++) colSum[c] += Q[i * l + c];
  for (let j = 0; j < X.d; j++) subtractFromRows(out, 1, l, colSum, mu[j], j);
}

/** Subtracts scale * v from each of `rows` rows of A starting at row `from`. */
function subtractFromRows(A: Float64Array, rows: number, l: number, v: Float64Array, scale: number, from = 0): void {
  if (scale === 0) return;
  for (let i = from; i < from + rows; i++) {
    const o = i * l;
    for (let c = 0; c < l; c++) A[o + c] -= scale * v[c];
  }
}

/** The symmetric part of A^T B (l x l) for row-major rows x l blocks A and B. */
function crossProduct(A: Float64Array, B: Float64Array, rows: number, l: number): Float64Array {
  const H = new Float64Array(l * l);
  for (let i = 0; i < rows; i++) {
    const o = i * l;
    for (let a = 0; a < l; a++) {
      const x = A[o + a];
      const ho = a * l;
      for (let b = 0; b < l; b++) H[ho + b] += x * B[o + b];
    }
  }
  for (let a = 0; a < l; a++) {
    for (let b = 0; b < a; b++) {
      const m = 0.5 * (H[a * l + b] + H[b * l + a]);
      H[a * l + b] = m;
      H[b * l + a] = m;
    }
  }
  return H;
}

/** G = W^T W (l x l, symmetric) for the row-major n x l block W. */
function gramMatrix(W: Float64Array, n: number, l: number): Float64Array {
  const G = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let a = 0; a < l; a++) {
      const wa = W[o + a];
      if (wa === 0) continue;
      const go = a * l;
      for (let b = a; b < l; b++) G[go + b] += wa * W[o + b];
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) G[a * l + b] = G[b * l + a];
  return G;
}

/**
 * Cyclic Jacobi eigen-decomposition of a small symmetric matrix (row-major m x m, consumed).
 * Returns the eigenvalues and the eigenvectors as the columns of a row-major m x m matrix.
 */
export function jacobiEigen(S: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const A = S;
  const U = new Float64Array(m * m);
  for (let i = 0; i < m; i++) U[i * m + i] = 1;
  let scale = 0;
  for (let i = 0; i < m * m; i++) scale += A[i] * A[i];
  const tolerance = 1e-30 * scale;

  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let r = p + 1; r < m; r++) off += A[p * m + r] * A[p * m + r];
    if (off <= tolerance) break;
    for (let p = 0; p < m - 1; p++) {
      for (let r = p + 1; r < m; r++) rotate(A, U, m, p, r);
    }
  }
  const values = new Float64Array(m);
  for (let i = 0; i < m; i++) values[i] = A[i * m + i];
  return { values, vectors: U };
}

/** One Jacobi rotation zeroing A[p][r] (A symmetric, both triangles kept), accumulated into U. */
function rotate(A: Float64Array, U: Float64Array, m: number, p: number, r: number): void {
  const apr = A[p * m + r];
  if (apr === 0) return;
  const app = A[p * m + p];
  const arr = A[r * m + r];
  const theta = (arr - app) / (2 * apr);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let i = 0; i < m; i++) {
    const aip = A[i * m + p];
    const air = A[i * m + r];
    A[i * m + p] = c * aip - s * air;
    A[i * m + r] = s * aip + c * air;
  }
  for (let i = 0; i < m; i++) {
    const api = A[p * m + i];
    const ari = A[r * m + i];
    A[p * m + i] = c * api - s * ari;
    A[r * m + i] = s * api + c * ari;
  }
  for (let i = 0; i < m; i++) {
    const uip = U[i * m + p];
    const uir = U[i * m + r];
    U[i * m + p] = c * uip - s * uir;
    U[i * m + r] = s * uip + c * uir;
  }
}

function topValues(values: Float64Array, k: number): Float64Array {
  return Float64Array.from(topIndices(values, k), (i) => values[i]);
}

/** Indices of the k largest values, largest first (ties by index, for determinism). */
function topIndices(values: Float64Array, k: number): number[] {
  const idx = Array.from(values, (_, i) => i);
  idx.sort((a, b) => values[b] - values[a] || a - b);
  return idx.slice(0, k);
}

/** (B U[:, order]) as a row-major rows x order.length matrix; B is row-major rows x l, U's columns are eigenvectors. */
function combineColumns(B: Float64Array, rows: number, l: number, U: Float64Array, order: number[]): Float64Array {
  const k = order.length;
  const out = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const bo = i * l;
    for (let r = 0; r < k; r++) {
      const col = order[r];
      let s = 0;
      for (let c = 0; c < l; c++) s += B[bo + c] * U[c * l + col];
      out[i * k + r] = s;
    }
  }
  return out;
}

function transpose(A: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = A[i * cols + j];
  return out;
}

/**
 * Makes each component's (k x d, row-major) largest-magnitude loading positive — the first one on
 * ties — and flips that component's column of the n x k projections with it.
 */
function fixSigns(components: Float64Array, projections: Float64Array, d: number, n: number, k: number): void {
  for (let r = 0; r < k; r++) {
    const row = r * d;
    let best = row;
    for (let j = row + 1; j < row + d; j++) if (Math.abs(components[j]) > Math.abs(components[best])) best = j;
    if (components[best] >= 0) continue;
    // 0 - x rather than -x, so that zeros stay +0.
    for (let j = row; j < row + d; j++) components[j] = 0 - components[j];
    for (let i = 0; i < n; i++) projections[i * k + r] = 0 - projections[i * k + r];
  }
}
