/**
 * The data matrix X (n x d, row-major Float32) as an operator for block products with a thin
 * Float64 block of l columns — the only way the randomized PCA touches X. Worker-safe, no DOM.
 *
 * Mostly-zero data (MNIST pixels are ~80% zeros) is converted once to compressed rows (for X B)
 * and compressed columns (for X^T B); other data is used in place. Either way the kernels keep l
 * running sums in locals (8 or 4 block columns at a time) so the inner loop only loads.
 */
import type { Tensor } from '../../data/types';
import { compressRows, fitsShape, MAX_SPARSE_DENSITY, type CompressedRows } from '../../data/compressed-rows';
import { simdKernels } from './simd';

export interface DataMatrix {
  readonly n: number;
  readonly d: number;
  /** out (n x l) = X B, with B d x l row-major. */
  times(B: Float64Array, l: number, out: Float64Array): void;
  /** out (d x l) = X^T B, with B n x l row-major. */
  transposeTimes(B: Float64Array, l: number, out: Float64Array): void;
  /** Per column: the mean, and the sum of squared deviations from it (two-pass, in Float64). */
  columnMoments(): { mean: Float64Array; sumSquares: Float64Array };
}

/**
 * Picks the compressed form for mostly-zero data (above MAX_SPARSE_DENSITY non-zeros the
 * compressed forms stop paying for their memory), the dense one otherwise. `rows`: t's non-zeros
 * already compressed (../../data/compressed-rows, while the file was read), used as they are.
 */
export function dataMatrix(t: Tensor, rows?: CompressedRows | null): DataMatrix {
  if (rows && fitsShape(rows, t.n, t.d)) return sparseMatrix(t, countColumns(rows, t.d), rows);
  const columnCounts = countColumnNonZeros(t);
  let nonZeros = 0;
  for (let j = 0; j < t.d; j++) nonZeros += columnCounts[j];
  return nonZeros <= MAX_SPARSE_DENSITY * t.n * t.d ? sparseMatrix(t, columnCounts) : denseMatrix(t);
}

// ---------------------------------------------------------------------------------------------
// Dense

export function denseMatrix(t: Tensor): DataMatrix {
  const { data, n, d } = t;
  return {
    n,
    d,
    times: (B, l, out) => (simdDenseTimes(data, n, d, B, l, out) ? undefined : denseTimes(data, n, d, B, l, out)),
    transposeTimes: (B, l, out) =>
      simdDenseTransposeTimes(data, n, d, B, l, out) ? undefined : denseTransposeTimes(data, n, d, B, l, out),
    columnMoments: () => denseColumnMoments(data, n, d),
  };
}

/** Rows of X copied into the kernels' memory at a time: a few MB, so the data is never held twice. */
const chunkRows = (d: number, l: number) => Math.max(4, Math.floor((4 << 20) / (d * 4 + l * 8) / 4) * 4);

/** denseTimes by the SIMD kernel, chunk by chunk (the same sums: bit for bit). False: not done. */
function simdDenseTimes(data: Float32Array, n: number, d: number, B: Float64Array, l: number, out: Float64Array): boolean {
  const simd = l % 2 === 0 ? simdKernels() : null;
  if (!simd) return false;
  const rows = Math.min(n, chunkRows(d, l));
  const dataAt = align16(d * l * 8);
  const outAt = dataAt + align16(rows * d * 4);
  const buffer = simd.reserve(outAt + rows * l * 8);
  new Float64Array(buffer, 0, d * l).set(B);
  const chunk = new Float32Array(buffer, dataAt, rows * d);
  const result = new Float64Array(buffer, outAt, rows * l);
  for (let r0 = 0; r0 < n; r0 += rows) {
    const r1 = Math.min(n, r0 + rows);
    chunk.set(data.subarray(r0 * d, r1 * d));
    simd.denseTimes(dataAt, 0, r1 - r0, d, 0, l, outAt);
    out.set(result.subarray(0, (r1 - r0) * l), r0 * l);
  }
  return true;
}

/**
 * denseTransposeTimes by the SIMD kernel: chunks of a multiple of 4 rows, so the rows are
 * grouped in fours exactly as the JavaScript kernel groups them (bit for bit). False: not done.
 */
function simdDenseTransposeTimes(data: Float32Array, n: number, d: number, Q: Float64Array, l: number, out: Float64Array): boolean {
  const simd = l % 2 === 0 ? simdKernels() : null;
  if (!simd) return false;
  const rows = Math.min(n, chunkRows(d, l));
  const qAt = align16(d * l * 8);
  const dataAt = qAt + align16(rows * l * 8);
  const buffer = simd.reserve(dataAt + rows * d * 4);
  const sums = new Float64Array(buffer, 0, d * l);
  sums.fill(0);
  const q = new Float64Array(buffer, qAt, rows * l);
  const chunk = new Float32Array(buffer, dataAt, rows * d);
  for (let r0 = 0; r0 < n; r0 += rows) {
    const r1 = Math.min(n, r0 + rows);
    q.set(Q.subarray(r0 * l, r1 * l));
    chunk.set(data.subarray(r0 * d, r1 * d));
    simd.denseTransposeTimes(dataAt, r1 - r0, d, qAt, l, 0);
  }
  out.set(sums);
  return true;
}

function denseTimes(data: Float32Array, n: number, d: number, B: Float64Array, l: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const row = i * d;
    const o = i * l;
    let cb = 0;
    for (; cb + 8 <= l; cb += 8) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let j = 0; j < d; j++) {
        const v = data[row + j];
        const b = j * l + cb;
        s0 += v * B[b]; s1 += v * B[b + 1]; s2 += v * B[b + 2]; s3 += v * B[b + 3];
        s4 += v * B[b + 4]; s5 += v * B[b + 5]; s6 += v * B[b + 6]; s7 += v * B[b + 7];
      }
      out[o + cb] = s0; out[o + cb + 1] = s1; out[o + cb + 2] = s2; out[o + cb + 3] = s3;
      out[o + cb + 4] = s4; out[o + cb + 5] = s5; out[o + cb + 6] = s6; out[o + cb + 7] = s7;
    }
    for (; cb + 4 <= l; cb += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < d; j++) {
        const v = data[row + j];
        const b = j * l + cb;
        s0 += v * B[b]; s1 += v * B[b + 1]; s2 += v * B[b + 2]; s3 += v * B[b + 3];
      }
      out[o + cb] = s0; out[o + cb + 1] = s1; out[o + cb + 2] = s2; out[o + cb + 3] = s3;
    }
    for (; cb < l; cb++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += data[row + j] * B[j * l + cb];
      out[o + cb] = s;
    }
  }
}

/** Scatters four rows at a time into out, so each out element is loaded and stored a quarter as often. */
function denseTransposeTimes(
  data: Float32Array, n: number, d: number, B: Float64Array, l: number, out: Float64Array,
): void {
  out.fill(0, 0, d * l);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = i * d, r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
    const q0 = i * l, q1 = q0 + l, q2 = q1 + l, q3 = q2 + l;
    for (let j = 0; j < d; j++) {
      const x0 = data[r0 + j], x1 = data[r1 + j], x2 = data[r2 + j], x3 = data[r3 + j];
      const o = j * l;
      for (let c = 0; c < l; c++) out[o + c] += x0 * B[q0 + c] + x1 * B[q1 + c] + x2 * B[q2 + c] + x3 * B[q3 + c];
    }
  }
  for (; i < n; i++) {
    const row = i * d;
    const q = i * l;
    for (let j = 0; j < d; j++) {
      const x = data[row + j];
      const o = j * l;
      for (let c = 0; c < l; c++) out[o + c] += x * B[q + c];
    }
  }
}

function denseColumnMoments(data: Float32Array, n: number, d: number): { mean: Float64Array; sumSquares: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) mean[j] += data[row + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const sumSquares = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const dev = data[row + j] - mean[j];
      sumSquares[j] += dev * dev;
    }
  }
  return { mean, sumSquares };
}

// ---------------------------------------------------------------------------------------------
// Sparse (compressed rows: shared with the neighbour searches, ../knn/metric)

interface Compressed extends CompressedRows {
  rows: number;
}

/**
 * Rows [from, to) of A B for compressed rows A (B: one row of l per column of A) into the same
 * rows of out: by the SIMD kernel where it loads and l is even (those rows' entries and B copied
 * in), else in JavaScript — the same numbers either way.
 */
export function compressedRowsTimes(A: CompressedRows, B: Float64Array, l: number, out: Float64Array, from: number, to: number): void {
  if (!simdRowsTimes(A, B, l, out, from, to)) compressedTimes(A, B, l, out, from, to);
}

function simdRowsTimes(A: CompressedRows, B: Float64Array, l: number, out: Float64Array, from: number, to: number): boolean {
  const simd = l % 2 === 0 && to > from ? simdKernels() : null;
  if (!simd) return false;
  const p0 = A.ptr[from];
  const nnz = A.ptr[to] - p0;
  const rows = to - from;
  const colAt = nnz * 8;
  const ptrAt = colAt + nnz * 4;
  const blockAt = align16(ptrAt + (rows + 1) * 4);
  const outAt = blockAt + align16(B.length * 8);
  const buffer = simd.reserve(outAt + rows * l * 8);
  const val = new Float64Array(buffer, 0, nnz);
  for (let p = 0; p < nnz; p++) val[p] = A.val[p0 + p];
  new Int32Array(buffer, colAt, nnz).set(A.col.subarray(p0, p0 + nnz));
  const ptr = new Int32Array(buffer, ptrAt, rows + 1);
  for (let r = 0; r <= rows; r++) ptr[r] = A.ptr[from + r] - p0;
  new Float64Array(buffer, blockAt, B.length).set(B);
  simd.csrTimes(0, colAt, ptrAt, 0, rows, blockAt, l, outAt);
  out.set(new Float64Array(buffer, outAt, rows * l), from * l);
  return true;
}

/** An n x d matrix held only as compressed rows (no dense copy exists). */
export function compressedMatrix(rows: CompressedRows, n: number, d: number): DataMatrix {
  return sparseMatrix({ data: new Float32Array(0), n, d }, countColumns(rows, d), rows);
}

export function sparseMatrix(t: Tensor, columnCounts = countColumnNonZeros(t), rows?: CompressedRows): DataMatrix {
  const { n, d } = t;
  let nonZeros = 0;
  for (let j = 0; j < d; j++) nonZeros += columnCounts[j];
  const byRow: Compressed = { rows: n, ...(rows ?? compressRows(t, nonZeros)) };
  const byColumn = transposeCompressed(byRow, d, columnCounts);
  const simd = simdProducts(byRow, byColumn);
  return {
    n,
    d,
    times: (B, l, out) => (simd?.(byRow, B, l, out) ? undefined : compressedTimes(byRow, B, l, out, 0, n)),
    transposeTimes: (B, l, out) => (simd?.(byColumn, B, l, out) ? undefined : compressedTimes(byColumn, B, l, out, 0, d)),
    columnMoments: () => compressedColumnMoments(byColumn, n),
  };
}

/**
 * compressedTimes by the WebAssembly SIMD kernel (two columns per f64x2, the same sums in the
 * same order: bit for bit the JavaScript result, ~2x faster). Both compressed forms are copied
 * into the kernel's memory once and stay there while no other caller takes it, so the PCA's
 * dozen products copy only their blocks. Returns false (nothing done) where the kernels are
 * unavailable, l is odd, or the memory cannot grow that far.
 */
function simdProducts(byRow: Compressed, byColumn: Compressed): ((m: Compressed, B: Float64Array, l: number, out: Float64Array) => boolean) | null {
  const simd = simdKernels();
  if (!simd) return null;
  const nnz = byRow.val.length;
  const formBytes = (m: Compressed) => nnz * 12 + (m.rows + 1) * 4;
  const rowAt = 0;
  const columnAt = align16(formBytes(byRow));
  const blockAt = columnAt + align16(formBytes(byColumn));
  const owner = {};
  return (m, B, l, out) => {
    if (l % 2 !== 0) return false;
    const bRows = B.length / l;
    const outAt = blockAt + align16(B.length * 8);
    const got = simd.reserveFor(owner, outAt + m.rows * l * 8);
    if (!got) return false;
    const { buffer, resident } = got;
    if (!resident) {
      for (const [form, at] of [[byRow, rowAt], [byColumn, columnAt]] as const) {
        new Float64Array(buffer, at, nnz).set(form.val);
        new Int32Array(buffer, at + nnz * 8, nnz).set(form.col);
        new Int32Array(buffer, at + nnz * 12, form.rows + 1).set(form.ptr);
      }
    }
    const at = m === byRow ? rowAt : columnAt;
    new Float64Array(buffer, blockAt, bRows * l).set(B);
    simd.csrTimes(at, at + nnz * 8, at + nnz * 12, 0, m.rows, blockAt, l, outAt);
    out.set(new Float64Array(buffer, outAt, m.rows * l));
    return true;
  };
}

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

function countColumnNonZeros(t: Tensor): Int32Array {
  const { data, n, d } = t;
  const counts = new Int32Array(d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) if (data[row + j] !== 0) counts[j]++;
  }
  return counts;
}

function countColumns(rows: CompressedRows, d: number): Int32Array {
  const counts = new Int32Array(d);
  const { col } = rows;
  for (let p = 0; p < col.length; p++) counts[col[p]]++;
  return counts;
}

/** Counting sort of the entries by column; each column's entries stay in row order. */
function transposeCompressed(m: Compressed, cols: number, columnCounts: Int32Array): Compressed {
  const ptr = new Int32Array(cols + 1);
  for (let j = 0; j < cols; j++) ptr[j + 1] = ptr[j] + columnCounts[j];
  const next = ptr.slice(0, cols);
  const col = new Int32Array(m.col.length);
  const val = new Float32Array(m.val.length);
  for (let i = 0; i < m.rows; i++) {
    for (let p = m.ptr[i]; p < m.ptr[i + 1]; p++) {
      const at = next[m.col[p]]++;
      col[at] = i;
      val[at] = m.val[p];
    }
  }
  return { rows: cols, ptr, col, val };
}

/** Rows [from, to) of M B into out, B having one row of l per column index of M. */
function compressedTimes(m: CompressedRows, B: Float64Array, l: number, out: Float64Array, from: number, to: number): void {
  const { ptr, col, val } = m;
  for (let i = from; i < to; i++) {
    const o = i * l;
    const p0 = ptr[i];
    const p1 = ptr[i + 1];
    let cb = 0;
    for (; cb + 8 <= l; cb += 8) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let p = p0; p < p1; p++) {
        const v = val[p];
        const b = col[p] * l + cb;
        s0 += v * B[b]; s1 += v * B[b + 1]; s2 += v * B[b + 2]; s3 += v * B[b + 3];
        s4 += v * B[b + 4]; s5 += v * B[b + 5]; s6 += v * B[b + 6]; s7 += v * B[b + 7];
      }
      out[o + cb] = s0; out[o + cb + 1] = s1; out[o + cb + 2] = s2; out[o + cb + 3] = s3;
      out[o + cb + 4] = s4; out[o + cb + 5] = s5; out[o + cb + 6] = s6; out[o + cb + 7] = s7;
    }
    for (; cb + 4 <= l; cb += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = p0; p < p1; p++) {
        const v = val[p];
        const b = col[p] * l + cb;
        s0 += v * B[b]; s1 += v * B[b + 1]; s2 += v * B[b + 2]; s3 += v * B[b + 3];
      }
      out[o + cb] = s0; out[o + cb + 1] = s1; out[o + cb + 2] = s2; out[o + cb + 3] = s3;
    }
    for (; cb < l; cb++) {
      let s = 0;
      for (let p = p0; p < p1; p++) s += val[p] * B[col[p] * l + cb];
      out[o + cb] = s;
    }
  }
}

function compressedColumnMoments(byColumn: Compressed, n: number): { mean: Float64Array; sumSquares: Float64Array } {
  const { rows: d, ptr, val } = byColumn;
  const mean = new Float64Array(d);
  const sumSquares = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let p = ptr[j]; p < ptr[j + 1]; p++) s += val[p];
    const m = s / n;
    // The column's zeros each contribute m^2.
    let ss = (n - (ptr[j + 1] - ptr[j])) * m * m;
    for (let p = ptr[j]; p < ptr[j + 1]; p++) {
      const dev = val[p] - m;
      ss += dev * dev;
    }
    mean[j] = m;
    sumSquares[j] = ss;
  }
  return { mean, sumSquares };
}
