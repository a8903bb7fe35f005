/**
 * Orthonormal columns for the randomized subspace searches (the PCA's, ../pca, and the
 * neighbour search's projection, ../knn/approx/space). Pure and worker-safe.
 */
import type { Random } from '../random';
import { simdInstance, simdKernels, type SimdKernels } from './simd';

/** A column whose norm drops below this fraction of its norm before orthogonalisation is treated as dependent. */
const COLLAPSE_RATIO = 1e-12;

/**
 * Kernels with a memory of their own: the products this sits between (the PCA's, the search
 * subspace's) keep their matrix resident in the shared instance's memory, which a block written
 * there would overwrite (and each product would copy its matrix in again).
 */
let own: SimdKernels | null | undefined;
function kernels(): SimdKernels | null {
  // simdKernels() is null while the kernels are turned off (tests, the bench) or unavailable.
  if (!simdKernels()) return null;
  if (own === undefined) own = simdInstance();
  return own;
}

/**
 * Orthonormalises the l columns of the row-major rows x l block in place: classical Gram–Schmidt
 * applied twice per column ("twice is enough"), as stable as modified Gram–Schmidt and walking
 * the rows in order. A dependent column is replaced by a fresh random direction (always possible,
 * as l <= rows here), so the result always has l orthonormal columns.
 */
export function orthonormalizeColumns(A: Float64Array, rows: number, l: number, rng: Random, what: string): void {
  const simd = l > 1 ? kernels() : null;
  // In the kernels' memory: the block, then the dots (null when the memory cannot grow that far).
  const at = rows * l * 8;
  const buffer = simd?.reserveFor(simd, at + l * 8)?.buffer;
  if (!simd || !buffer) {
    const dots = new Float64Array(l);
    eachColumn(A, rows, l, rng, what, (c) => project(A, rows, l, c, dots));
    return;
  }
  const M = new Float64Array(buffer, 0, rows * l);
  M.set(A);
  eachColumn(M, rows, l, rng, what, (c) => simd.orthoPass(0, rows, l, c, at));
  A.set(M);
}

/** Each column in turn, with `pass` one Gram–Schmidt pass of column c against those before it. */
function eachColumn(A: Float64Array, rows: number, l: number, rng: Random, what: string, pass: (c: number) => void): void {
  for (let c = 0; c < l; c++) {
    let ok = orthonormalizeColumn(A, rows, l, c, pass);
    for (let attempt = 0; !ok && attempt < 8; attempt++) {
      for (let i = 0; i < rows; i++) A[i * l + c] = rng.gaussian();
      ok = orthonormalizeColumn(A, rows, l, c, pass);
    }
    if (!ok) throw new Error(`${what}: could not complete an orthonormal basis`);
  }
}

/** Orthogonalises column c against columns 0..c-1 (twice) and normalises it; false if it collapsed. */
function orthonormalizeColumn(A: Float64Array, rows: number, l: number, c: number, pass: (c: number) => void): boolean {
  const before = columnNorm(A, rows, l, c);
  if (!(before > 0) || !Number.isFinite(before)) return false;
  if (c > 0) {
    pass(c);
    pass(c);
  }
  const after = columnNorm(A, rows, l, c);
  if (!(after > before * COLLAPSE_RATIO)) return false;
  const inv = 1 / after;
  for (let i = 0; i < rows; i++) A[i * l + c] *= inv;
  return true;
}

/** One pass (the JavaScript kernel; simd.wat's orthoPass makes the same sums): column c minus its projection on columns 0..c-1. */
function project(A: Float64Array, rows: number, l: number, c: number, dots: Float64Array): void {
  dots.fill(0, 0, c);
  for (let i = 0; i < rows; i++) {
    const o = i * l;
    const a = A[o + c];
    for (let p = 0; p < c; p++) dots[p] += A[o + p] * a;
  }
  for (let i = 0; i < rows; i++) {
    const o = i * l;
    let s = 0;
    for (let p = 0; p < c; p++) s += dots[p] * A[o + p];
    A[o + c] -= s;
  }
}

function columnNorm(A: Float64Array, rows: number, l: number, c: number): number {
  let s = 0;
  for (let i = 0; i < rows; i++) {
    const v = A[i * l + c];
    s += v * v;
  }
  return Math.sqrt(s);
}
