/**
 * Mostly-zero vectors (MNIST's pixels: ~80% zeros) as compressed rows, built while the file is
 * still being read. Pure, no DOM.
 *
 * The PCA and the neighbour search work on the non-zeros alone; compressing 10,000 x 784 values
 * takes them ~60 ms before their first product. The parse worker instead compresses each batch of
 * rows as it is parsed, in the gaps while it waits for the network, and hands the result over with
 * the vectors. The entries are exactly those of compressing the finished tensor in one pass
 * (row by row, columns ascending), so every result computed from them is the same.
 */
import type { Tensor } from './types';

/** Compressed rows: row i's entries are col/val[ptr[i] .. ptr[i+1]). */
export interface CompressedRows {
  ptr: Int32Array;
  col: Int32Array;
  val: Float32Array;
}

/**
 * The share of non-zeros at or under which the compressed form is used: above it, dense kernels
 * are faster. Compression stops as soon as the rows so far are clearly denser than this.
 */
export const MAX_SPARSE_DENSITY = 1 / 3;

/** Appends the non-zeros of the d values at data[row..] to col/val from `at`; returns the new end. */
function appendRow(data: Float32Array, row: number, d: number, col: Int32Array, val: Float32Array, at: number): number {
  for (let j = 0; j < d; j++) {
    const x = data[row + j];
    if (x !== 0) {
      col[at] = j;
      val[at] = x;
      at++;
    }
  }
  return at;
}

/** The non-zeros of a finished tensor, row by row, in one pass (nonZeros: their count). */
export function compressRows(t: Tensor, nonZeros: number): CompressedRows {
  const { data, n, d } = t;
  const ptr = new Int32Array(n + 1);
  const col = new Int32Array(nonZeros);
  const val = new Float32Array(nonZeros);
  for (let i = 0; i < n; i++) ptr[i + 1] = appendRow(data, i * d, d, col, val, ptr[i]);
  return { ptr, col, val };
}

/** Rows looked at before a dense start ends the compression. */
const DECIDE_AFTER_ROWS = 256;

export class RowCompressor {
  private readonly d: number;
  private rows = 0;
  private count = 0;
  private ptr: Int32Array;
  private col: Int32Array;
  private val: Float32Array;
  private dense = false;

  /** d values per row; `expectedRows` sizes the row pointers (grown when more come). */
  constructor(d: number, expectedRows = 1024) {
    this.d = d;
    this.ptr = new Int32Array(Math.max(1, expectedRows) + 1);
    this.col = new Int32Array(1024);
    this.val = new Float32Array(1024);
  }

  /** Rows compressed so far (0 once the data proved dense). */
  get rowCount(): number {
    return this.dense ? 0 : this.rows;
  }

  /** Compresses rows [rowCount, upTo) of `data` (row-major, d per row). */
  addRows(data: Float32Array, upTo: number): void {
    if (this.dense || upTo <= this.rows) return;
    const d = this.d;
    if (this.ptr.length < upTo + 1) this.ptr = grownInts(this.ptr, Math.max(upTo + 1, this.ptr.length * 2));
    let { col, val, count } = this;
    for (let i = this.rows; i < upTo; i++) {
      if (count + d > col.length) {
        // Grown ahead of the rows still to come at the density seen so far.
        const want = Math.max(count + d, Math.ceil((count / Math.max(1, i)) * upTo * 1.1), col.length * 2);
        col = grownInts(col, want);
        const v = new Float32Array(want);
        v.set(val.subarray(0, count));
        val = v;
      }
      count = appendRow(data, i * d, d, col, val, count);
      this.ptr[i + 1] = count;
    }
    this.col = col;
    this.val = val;
    this.count = count;
    this.rows = upTo;
    // Clearly dense (GloVe, most embeddings): no point holding a second copy.
    if (upTo >= DECIDE_AFTER_ROWS && count > 1.5 * MAX_SPARSE_DENSITY * upTo * d) this.drop();
  }

  /**
   * The compressed form of all n rows (addRows must have covered them), copied into arrays from
   * `allocate`; null when the data is denser than MAX_SPARSE_DENSITY.
   */
  finish(n: number, allocate: Allocate = plainArrays): CompressedRows | null {
    if (this.dense || this.rows !== n || this.count > MAX_SPARSE_DENSITY * n * this.d) {
      this.drop();
      return null;
    }
    const out = allocate(n + 1, this.count);
    out.ptr.set(this.ptr.subarray(0, n + 1));
    out.col.set(this.col.subarray(0, this.count));
    out.val.set(this.val.subarray(0, this.count));
    this.drop();
    return out;
  }

  private drop(): void {
    this.dense = true;
    this.ptr = new Int32Array(1);
    this.col = new Int32Array(0);
    this.val = new Float32Array(0);
  }
}

/** Makes empty arrays of these lengths (a worker passes one that uses shared memory). */
export type Allocate = (ptrLength: number, nonZeros: number) => CompressedRows;

const plainArrays: Allocate = (ptrLength, nonZeros) => ({
  ptr: new Int32Array(ptrLength),
  col: new Int32Array(nonZeros),
  val: new Float32Array(nonZeros),
});

function grownInts(a: Int32Array, length: number): Int32Array {
  const out = new Int32Array(length);
  out.set(a);
  return out;
}

/** Whether `rows` can stand for an n x d tensor's non-zeros (the shape checks, not the values). */
export function fitsShape(rows: CompressedRows, n: number, d: number): boolean {
  const nnz = rows.ptr[rows.ptr.length - 1];
  return rows.ptr.length === n + 1 && rows.col.length === nnz && rows.val.length === nnz && nnz <= n * d;
}
