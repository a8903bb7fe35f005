/**
 * Distances in the original space for the k-nearest-neighbour search, and the final re-ranking of
 * candidate lists with them. Pure and worker-safe: typed arrays only, no DOM.
 *
 * All arithmetic is in doubles from the Float32 data:
 *   cosine:    1 - (a . b) / sqrt(|a|^2 |b|^2), clamped to [0, 2]; a zero row is at distance 1
 *              from everything. The squared norms are summed exactly as the dot products are, so
 *              a row and its copy are at distance 0 exactly;
 *   euclidean: sqrt(sum (a_j - b_j)^2); for compressed rows sqrt(|a|^2 + |b|^2 - 2 a.b) with
 *              the same pairings (a row and its copy are at 0 exactly).
 * Mostly-zero data (MNIST: ~80% zeros) is kept once as compressed rows (CSR), shared by the
 * distances here and the search-space projection (./approx/space).
 */
import type { Tensor } from '../../data/types';
import type { Metric } from './types';
import { simdKernels, type SimdKernels } from '../kernels/simd';
import { compressRows, fitsShape, MAX_SPARSE_DENSITY, type CompressedRows } from '../../data/compressed-rows';

/**
 * Compressed rows (../kernels/matrix, as the PCA keeps them). The values stay Float32, as in the
 * data (the sums are in doubles all the same): half the memory traffic of the scans.
 */
export type Csr = CompressedRows;

/** The data with what every distance needs: compressed rows when mostly zero, and squared norms. */
export interface Rows {
  t: Tensor;
  csr: Csr | null;
  /** |row|^2, summed in the order the distance kernels sum dot products. */
  sqNorms: Float64Array;
}

/** `compressed`: t's non-zeros already compressed (as the parse worker hands them over), used as they are. */
export function rowsOf(t: Tensor, compressed?: CompressedRows | null): Rows {
  const { data, n, d } = t;
  let csr: Csr | null;
  if (compressed && fitsShape(compressed, n, d)) csr = compressed;
  else {
    let nonZeros = 0;
    for (let p = 0; p < n * d; p++) if (data[p] !== 0) nonZeros++;
    csr = nonZeros <= MAX_SPARSE_DENSITY * n * d ? compressRows(t, nonZeros) : null;
  }
  const sqNorms = new Float64Array(n);
  if (csr) {
    for (let i = 0; i < n; i++) sqNorms[i] = sparseDot(csr.val, csr.col, csr.ptr[i], csr.ptr[i + 1], null, csr.val, csr.ptr[i]);
  } else {
    for (let i = 0; i < n; i++) sqNorms[i] = denseSelfDot(data, i * d, d);
  }
  return { t, csr, sqNorms };
}

/** Per row, 1 / |row| (0 for a zero row). */
export function inverseNorms(rows: Rows): Float64Array {
  return Float64Array.from(rows.sqNorms, (s) => (s > 0 ? 1 / Math.sqrt(s) : 0));
}

/**
 * sum over p in [p0, p1) of a[col[p]] * val[p] — or, with a null, of val[p] * b[q] for the
 * matching q from q0 (a row with itself) — with two running sums.
 */
function sparseDot(
  val: Float32Array, col: Int32Array, p0: number, p1: number, a: Float64Array | null, b: Float32Array, q0: number,
): number {
  let s0 = 0, s1 = 0;
  let p = p0;
  if (a) {
    for (; p + 2 <= p1; p += 2) {
      s0 += a[col[p]] * val[p];
      s1 += a[col[p + 1]] * val[p + 1];
    }
    if (p < p1) s0 += a[col[p]] * val[p];
  } else {
    let q = q0;
    for (; p + 2 <= p1; p += 2, q += 2) {
      s0 += b[q] * val[p];
      s1 += b[q + 1] * val[p + 1];
    }
    if (p < p1) s0 += b[q] * val[p];
  }
  return s0 + s1;
}

/** |row|^2 for the dense kernel: the same four running sums as to() below. */
function denseSelfDot(data: Float32Array, o: number, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let c = 0;
  for (; c + 4 <= d; c += 4) {
    const x0 = data[o + c], x1 = data[o + c + 1], x2 = data[o + c + 2], x3 = data[o + c + 3];
    s0 += x0 * x0;
    s1 += x1 * x1;
    s2 += x2 * x2;
    s3 += x3 * x3;
  }
  for (; c < d; c++) s0 += data[o + c] * data[o + c];
  return s0 + s1 + s2 + s3;
}

/**
 * Exact distances from one row to others: from(i) selects row i, then to(j) is the distance
 * from i to j. With compressed rows only the non-zeros of j are visited (and, for euclidean,
 * those of i that j lacks), with the same terms as the dense sum.
 */
export interface RowDistances {
  from(i: number): void;
  to(j: number): number;
  /**
   * Where there is one: the distances from the row selected to list[0 .. count) at once, into
   * the returned array (valid until the next call), the same numbers to(j) gives.
   */
  batch?(list: Int32Array, count: number): Float64Array;
}

export function rowDistances(rows: Rows, metric: Metric): RowDistances {
  const cosine = metric === 'cosine';
  if (!rows.csr) return denseDistances(rows, cosine);
  const simd = simdKernels();
  return (simd && sparseSimdDistances(rows, rows.csr, cosine, simd)) || sparseDistances(rows, rows.csr, cosine);
}

function cosineDistance(dot: number, ni: number, nj: number): number {
  if (ni === 0 || nj === 0) return 1;
  const c = 1 - dot / Math.sqrt(ni * nj);
  return c < 0 ? 0 : c > 2 ? 2 : c;
}

function denseDistances(rows: Rows, cosine: boolean): RowDistances {
  const { data, d } = rows.t;
  const norms = rows.sqNorms;
  const a = new Float64Array(d);
  let si = 0;
  return {
    from(i) {
      for (let j = 0; j < d; j++) a[j] = data[i * d + j];
      si = norms[i];
    },
    to(j) {
      const o = j * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let c = 0;
      if (cosine) {
        for (; c + 4 <= d; c += 4) {
          s0 += a[c] * data[o + c];
          s1 += a[c + 1] * data[o + c + 1];
          s2 += a[c + 2] * data[o + c + 2];
          s3 += a[c + 3] * data[o + c + 3];
        }
        for (; c < d; c++) s0 += a[c] * data[o + c];
        return cosineDistance(s0 + s1 + s2 + s3, si, norms[j]);
      }
      for (; c + 4 <= d; c += 4) {
        const x0 = a[c] - data[o + c];
        const x1 = a[c + 1] - data[o + c + 1];
        const x2 = a[c + 2] - data[o + c + 2];
        const x3 = a[c + 3] - data[o + c + 3];
        s0 += x0 * x0;
        s1 += x1 * x1;
        s2 += x2 * x2;
        s3 += x3 * x3;
      }
      for (; c < d; c++) {
        const x = a[c] - data[o + c];
        s0 += x * x;
      }
      return Math.sqrt(s0 + s1 + s2 + s3);
    },
  };
}

function sparseDistances(rows: Rows, csr: Csr, cosine: boolean): RowDistances {
  const { d } = rows.t;
  const { ptr, col, val } = csr;
  const norms = rows.sqNorms;
  /** Row i scattered densely (zero elsewhere). */
  const a = new Float64Array(d);
  let current = -1;
  let si = 0;
  return {
    from(i) {
      if (current >= 0) for (let p = ptr[current]; p < ptr[current + 1]; p++) a[col[p]] = 0;
      for (let p = ptr[i]; p < ptr[i + 1]; p++) a[col[p]] = val[p];
      current = i;
      si = norms[i];
    },
    to(j) {
      // The same pairing of terms as the norms: a copy of row i gives exactly its norm, so
      // cosine 0 and euclidean |a|^2 + |b|^2 - 2 a.b = 0 exactly. Euclidean in this form visits j's
      // non-zeros only (walking i's too, to add the columns j lacks, cost 3.5x as much).
      const dot = sparseDot(val, col, ptr[j], ptr[j + 1], a, val, 0);
      if (cosine) return cosineDistance(dot, si, norms[j]);
      const d2 = si + norms[j] - 2 * dot;
      return d2 > 0 ? Math.sqrt(d2) : 0;
    },
  };
}

/** Compressed rows this large and beyond stay in JavaScript: each thread's kernel holds a copy. */
const SIMD_MAX_CSR_BYTES = 32 * 1024 * 1024;

/**
 * sparseDistances' numbers with the SIMD kernel (sparseRowIds: each lane one of sparseDot's two
 * running sums): the compressed rows copied once into this thread's kernel memory (kept there
 * while no other kernel takes it), row i scattered there, a row's candidates in one call.
 * Null where the rows do not fit.
 */
function sparseSimdDistances(rows: Rows, csr: Csr, cosine: boolean, k: SimdKernels): RowDistances | null {
  const { d } = rows.t;
  const { ptr, col, val } = csr;
  const n = ptr.length - 1;
  const nnz = ptr[n];
  const norms = rows.sqNorms;
  // Layout: val, col, ptr, a (8-aligned), then the candidates' distances and ids.
  const colAt = nnz * 4;
  const ptrAt = colAt + nnz * 4;
  const aAt = Math.ceil((ptrAt + (n + 1) * 4) / 8) * 8;
  const outAt = aAt + d * 8;
  if (outAt > SIMD_MAX_CSR_BYTES) return null;
  let cap = 0;
  let a = new Float64Array(0);
  let out = new Float64Array(0);
  let ids = new Int32Array(0);
  let current = -1;
  let si = 0;
  const scatter = (i: number, value: boolean) => {
    for (let p = ptr[i]; p < ptr[i + 1]; p++) a[col[p]] = value ? val[p] : 0;
  };
  /** Makes the memory hold the rows and room for `count` candidates, row `current` scattered. */
  const ready = (count: number): boolean => {
    const want = Math.max(cap, Math.ceil(count / 64) * 64);
    const r = k.reserveFor(csr, outAt + want * 12);
    if (!r) return false;
    if (!r.resident) {
      new Float32Array(r.buffer, 0, nnz).set(val.subarray(0, nnz));
      new Int32Array(r.buffer, colAt, nnz).set(col.subarray(0, nnz));
      new Int32Array(r.buffer, ptrAt, n + 1).set(ptr);
    }
    if (!r.resident || r.buffer !== a.buffer || want !== cap) {
      cap = want;
      a = new Float64Array(r.buffer, aAt, d).fill(0);
      out = new Float64Array(r.buffer, outAt, cap);
      ids = new Int32Array(r.buffer, outAt + cap * 8, cap);
      if (current >= 0) scatter(current, true);
    }
    return true;
  };
  if (!ready(256)) return null;
  const batch = (list: Int32Array, count: number): Float64Array => {
    if (!ready(count)) throw new Error('knn: the SIMD kernels could not keep the rows in their memory');
    ids.set(list.subarray(0, count));
    k.sparseRowIds(aAt, 0, colAt, ptrAt, outAt + cap * 8, count, outAt);
    for (let c = 0; c < count; c++) {
      const j = list[c];
      if (cosine) out[c] = cosineDistance(out[c], si, norms[j]);
      else {
        const d2 = si + norms[j] - 2 * out[c];
        out[c] = d2 > 0 ? Math.sqrt(d2) : 0;
      }
    }
    return out;
  };
  return {
    from(i) {
      if (!ready(cap)) throw new Error('knn: the SIMD kernels could not keep the rows in their memory');
      if (current >= 0) scatter(current, false);
      scatter(i, true);
      current = i;
      si = norms[i];
    },
    to(j) {
      return batch(Int32Array.of(j), 1)[0];
    },
    batch,
  };
}

/**
 * One thread's share of a re-rank: the visits [from, to), written into the whole n x k outputs
 * (each row's slot is its own, so threads sharing them never write the same place).
 */
export interface RerankPart {
  from: number;
  to: number;
  indices: Int32Array;
  distances: Float32Array;
  /**
   * Scratch of n stamps, -1 at first, kept by a caller that re-ranks its rows in several calls
   * (each row is stamped with its own number, so stamps left by earlier rows never match).
   */
  seen?: Int32Array;
}

/** Extra candidates per row, compressed: row i's are idx[ptr[i] .. ptr[i+1]). */
export interface ExtraCandidates {
  ptr: Int32Array;
  idx: Int32Array;
}

/**
 * For each row i, the k candidates of cand[i*K .. (i+1)*K) (and of extra, when given) nearest to
 * data row self[i] (i when self is not given), nearest first, ties by index. Entries < 0,
 * repeats and the row itself are skipped. Every row must have at least k usable candidates.
 * Rows are visited in visitOrder when given (an order that keeps neighbours together reuses the
 * cache); onRow gets the count of rows done.
 */
/** -1 for every id the candidates name. */
function stamps(cand: Int32Array, extra?: ExtraCandidates): Int32Array {
  let maxId = 0;
  for (let c = 0; c < cand.length; c++) if (cand[c] > maxId) maxId = cand[c];
  if (extra) for (let c = 0; c < extra.idx.length; c++) if (extra.idx[c] > maxId) maxId = extra.idx[c];
  return new Int32Array(maxId + 1).fill(-1);
}

export function rerank(
  n: number, cand: Int32Array, K: number, k: number, dist: RowDistances,
  onRow?: (done: number) => void, self?: Int32Array, extra?: ExtraCandidates, visitOrder?: Int32Array,
  part?: RerankPart,
): { indices: Int32Array; distances: Float32Array } {
  const indices = part?.indices ?? new Int32Array(n * k);
  const distances = part?.distances ?? new Float32Array(n * k);
  const hd = new Float64Array(k);
  const hi = new Int32Array(k);
  // Repeats are found by stamping each candidate with the row it was last seen for.
  const seen = part?.seen ?? stamps(cand, extra);
  let m = 0;
  let me = 0;
  const offer = (i: number, j: number) => {
    if (j < 0 || j === me || seen[j] === i) return;
    seen[j] = i;
    m++;
    const dj = dist.to(j);
    if (dj < hd[0] || (dj === hd[0] && j < hi[0])) replaceRoot(hd, hi, k, dj, j);
  };
  // With a batch, a row's usable candidates are listed first, then measured at once.
  const batch = dist.batch;
  let list = new Int32Array(batch ? K : 0);
  const listed = (i: number, j: number) => {
    if (j < 0 || j === me || seen[j] === i) return;
    seen[j] = i;
    if (m === list.length) {
      const longer = new Int32Array(Math.max(16, 2 * m));
      longer.set(list);
      list = longer;
    }
    list[m++] = j;
  };
  for (let r = part?.from ?? 0, end = part?.to ?? n; r < end; r++) {
    const i = visitOrder ? visitOrder[r] : r;
    me = self ? self[i] : i;
    dist.from(me);
    hd.fill(Infinity);
    hi.fill(-1);
    m = 0;
    if (batch) {
      for (let c = i * K; c < (i + 1) * K; c++) listed(i, cand[c]);
      if (extra) for (let c = extra.ptr[i]; c < extra.ptr[i + 1]; c++) listed(i, extra.idx[c]);
      const dj = batch(list, m);
      for (let c = 0; c < m; c++) {
        const j = list[c];
        if (dj[c] < hd[0] || (dj[c] === hd[0] && j < hi[0])) replaceRoot(hd, hi, k, dj[c], j);
      }
    } else {
      for (let c = i * K; c < (i + 1) * K; c++) offer(i, cand[c]);
      if (extra) for (let c = extra.ptr[i]; c < extra.ptr[i + 1]; c++) offer(i, extra.idx[c]);
    }
    if (m < k) throw new Error(`knn: row ${me} has ${m} candidates, fewer than k = ${k}`);
    // Heap sort: repeatedly move the largest to the end.
    const o = i * k;
    for (let end = k - 1; end >= 0; end--) {
      indices[o + end] = hi[0];
      distances[o + end] = hd[0];
      if (end > 0) {
        const lastD = hd[end];
        const lastI = hi[end];
        replaceRoot(hd, hi, end, lastD, lastI);
      }
    }
    onRow?.(r + 1);
  }
  return { indices, distances };
}

/**
 * Replaces the root of the max-heap (hd, hi)[0 .. size) — ordered by distance, then index — by
 * (d, j) and sifts it down.
 */
export function replaceRoot(hd: Float64Array, hi: Int32Array, size: number, d: number, j: number): void {
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= size) break;
    let c = l;
    const r = l + 1;
    if (r < size && (hd[r] > hd[l] || (hd[r] === hd[l] && hi[r] > hi[l]))) c = r;
    if (hd[c] > d || (hd[c] === d && hi[c] > j)) {
      hd[pos] = hd[c];
      hi[pos] = hi[c];
      pos = c;
    } else {
      break;
    }
  }
  hd[pos] = d;
  hi[pos] = j;
}
