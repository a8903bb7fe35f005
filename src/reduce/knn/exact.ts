/**
 * Exact k nearest neighbours by blocked brute force. Pure and worker-safe: typed arrays only.
 *
 * Dense data: rows are copied BLOCK at a time into Float64 scratch (scaled to unit length for
 * cosine: V8 is about twice as fast on Float64 loads as on Float32 ones), and each pair of blocks
 * gives a tile of dot products from a 2 x 4 register kernel. Mostly-zero data (MNIST) instead
 * multiplies each row's non-zeros against a dense transposed block of query rows: about five
 * times less work there. For all rows, each pair is computed once and feeds both rows' bounded
 * max-heaps (half the work). The selection uses the dot products (cosine 1 - a.b, euclidean
 * |a|^2 + |b|^2 - 2 a.b), ties by index; the k chosen are then given their exact distances
 * (./metric) and sorted.
 *
 * Where WebAssembly SIMD runs (../kernels/simd) both tiles come from it: two f64 lanes per
 * instruction, each lane the same running sum as here, so the selection is the same bit for bit.
 */
import type { CompressedRows } from '../../data/compressed-rows';
import type { Tensor } from '../../data/types';
import type { Metric } from './types';
import { simdKernels, type SimdKernels } from '../kernels/simd';
import { inverseNorms, rerank, rowDistances, rowsOf, type Csr } from './metric';

/** Rows per block (a multiple of 4): two Float64 blocks of mnist's 784 columns fit in L2. */
const BLOCK = 32;

export interface ExactResult {
  /** rows x k, nearest first. */
  indices: Int32Array;
  distances: Float32Array;
}

/**
 * The exact k nearest neighbours (k <= n - 1) of every row (queries null) or of the given rows
 * only (then row r of the result belongs to queries[r]). Never the row itself.
 */
export function exactSearch(
  t: Tensor, k: number, metric: Metric, queries: Int32Array | null,
  report: (fraction: number) => void = () => {}, compressed?: CompressedRows | null,
): ExactResult {
  const { n } = t;
  const rows = rowsOf(t, compressed);
  const nq = queries ? queries.length : n;
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const scan: Scan = {
    t,
    qids: queries ?? all,
    all,
    symmetric: !queries,
    inv: metric === 'cosine' ? inverseNorms(rows) : null,
    sq: metric === 'euclidean' ? rows.sqNorms : null,
    k,
    heapDist: new Float64Array(nq * k).fill(Infinity),
    heapIdx: new Int32Array(nq * k).fill(-1),
    report,
  };
  if (rows.csr) sparseScan(scan, rows.csr);
  else denseScan(scan);
  const result = rerank(nq, scan.heapIdx, k, k, rowDistances(rows, metric), undefined, queries ?? undefined);
  report(1);
  return result;
}

interface Scan {
  t: Tensor;
  /** Data row of each heap row. */
  qids: Int32Array;
  /** 0 .. n-1. */
  all: Int32Array;
  /** All rows against all: each pair once, feeding both heaps (qids is then `all`). */
  symmetric: boolean;
  /** Cosine: 1 / |row|. */
  inv: Float64Array | null;
  /** Euclidean: |row|^2. */
  sq: Float64Array | null;
  k: number;
  heapDist: Float64Array;
  heapIdx: Int32Array;
  report: (fraction: number) => void;
}

/** Offers the pair (heap row qi = data row gi, data row gj) with dot product g of the (scaled) rows. */
function offer(s: Scan, qi: number, gi: number, gj: number, g: number): void {
  let key: number;
  if (s.sq) {
    key = s.sq[gi] + s.sq[gj] - 2 * g;
    if (key < 0) key = 0;
  } else {
    key = 1 - g;
  }
  pushExact(s.heapDist, s.heapIdx, qi * s.k, s.k, key, gj);
  if (s.symmetric) pushExact(s.heapDist, s.heapIdx, gj * s.k, s.k, key, gi);
}

/** Dense data: tiles of dot products between blocks of rows (J >= I only when symmetric). */
function denseScan(s: Scan): void {
  const { t, qids, all, inv } = s;
  const { d, data } = t;
  const simd = simdKernels();
  if (simd) {
    denseScanSimd(s, simd);
    return;
  }
  const A = new Float64Array(BLOCK * d);
  const B = new Float64Array(BLOCK * d);
  const G = new Float64Array(BLOCK * BLOCK);
  walkTiles(s, G, (a0, na) => loadBlock(data, d, qids, a0, na, inv, A), (na, b0, nb, same) => {
    if (!same) loadBlock(data, d, all, b0, nb, inv, B);
    gramTile(A, na, same ? A : B, nb, d, G);
  });
}

/**
 * The tiles of a dense scan, query block by query block: `queries` readies block [a0, a0 + na)
 * of the query rows, `tile` fills G with its dot products against data block [b0, b0 + nb)
 * (`same`: the query block itself); every pair is then offered and progress reported.
 */
function walkTiles(
  s: Scan, G: Float64Array, queries: (a0: number, na: number) => void, tile: (na: number, b0: number, nb: number, same: boolean) => void,
): void {
  const { t, qids, symmetric } = s;
  const { n } = t;
  const nq = qids.length;
  const blocksA = Math.ceil(nq / BLOCK);
  const blocksB = Math.ceil(n / BLOCK);
  const totalTiles = symmetric ? (blocksA * (blocksA + 1)) / 2 : blocksA * blocksB;
  let tiles = 0;
  let lastReport = 0;
  for (let I = 0; I < blocksA; I++) {
    const a0 = I * BLOCK;
    const na = Math.min(BLOCK, nq - a0);
    queries(a0, na);
    for (let J = symmetric ? I : 0; J < blocksB; J++) {
      const b0 = J * BLOCK;
      const nb = Math.min(BLOCK, n - b0);
      const same = symmetric && J === I;
      tile(na, b0, nb, same);
      for (let a = 0; a < na; a++) {
        const gi = qids[a0 + a];
        for (let b = same ? a + 1 : 0; b < nb; b++) {
          const gj = b0 + b;
          if (gj !== gi) offer(s, a0 + a, gi, gj, G[a * BLOCK + b]);
        }
      }
      tiles++;
    }
    const f = tiles / totalTiles;
    if (f - lastReport >= 0.01) {
      s.report(0.95 * f);
      lastReport = f;
    }
  }
}

/**
 * denseScan with the SIMD kernel: all rows are copied once (scaled as loadBlock does) into its
 * memory, four rows interleaved, so a tile needs no copy; a block of query rows that are not
 * in order (queries given) is copied the same way per block.
 */
function denseScanSimd(s: Scan, simd: SimdKernels): void {
  const { t, qids, all, symmetric, inv } = s;
  const { n, d } = t;
  const nPad = Math.ceil(n / BLOCK) * BLOCK;
  // Layout: all rows, the query block, G.
  const qOff = nPad * d * 8;
  const gOff = qOff + BLOCK * d * 8;
  const buf = simd.reserve(gOff + BLOCK * BLOCK * 8);
  const X = new Float64Array(buf, 0, nPad * d);
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    loadInterleaved(t.data, d, all, b0, Math.min(BLOCK, n - b0), inv, X.subarray(b0 * d, (b0 + BLOCK) * d));
  }
  const Q = new Float64Array(buf, qOff, BLOCK * d);
  const G = new Float64Array(buf, gOff, BLOCK * BLOCK);
  let aOff = 0;
  walkTiles(
    s, G,
    (a0, na) => {
      if (symmetric) aOff = a0 * d * 8;
      else {
        loadInterleaved(t.data, d, qids, a0, na, inv, Q);
        aOff = qOff;
      }
    },
    (na, b0, nb) => simd.gram(aOff, b0 * d * 8, na, nb, d, gOff),
  );
}

/**
 * Mostly-zero data: a block of query rows is scattered, transposed, into a dense d x BLOCK
 * array; each data row then needs only its non-zeros (~1/5 of mnist's columns), eight query
 * rows at a time in local sums. When symmetric, data rows from the block's first row on only.
 */
function sparseScan(s: Scan, csr: Csr): void {
  const { t, qids, symmetric, inv } = s;
  const { n, d } = t;
  const { ptr, col, val } = csr;
  const nq = qids.length;
  const simd = simdKernels();
  if (simd) {
    sparseScanSimd(s, csr, simd);
    return;
  }
  const At = new Float64Array(d * BLOCK);
  const g = new Float64Array(BLOCK);
  const blocks = Math.ceil(nq / BLOCK);
  const totalWork = symmetric ? (n * (n + 1)) / 2 : nq * n;
  let work = 0;
  let lastReport = 0;
  for (let I = 0; I < blocks; I++) {
    const a0 = I * BLOCK;
    const na = Math.min(BLOCK, nq - a0);
    const chunks = Math.ceil(na / 8) * 8;
    At.fill(0);
    for (let a = 0; a < na; a++) {
      const id = qids[a0 + a];
      const sc = inv ? inv[id] : 1;
      for (let p = ptr[id]; p < ptr[id + 1]; p++) At[col[p] * BLOCK + a] = val[p] * sc;
    }
    const rStart = symmetric ? a0 : 0;
    for (let r = rStart; r < n; r++) {
      const p0 = ptr[r];
      const p1 = ptr[r + 1];
      for (let cb = 0; cb < chunks; cb += 8) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (let p = p0; p < p1; p++) {
          const v = val[p];
          const b = col[p] * BLOCK + cb;
          s0 += v * At[b]; s1 += v * At[b + 1]; s2 += v * At[b + 2]; s3 += v * At[b + 3];
          s4 += v * At[b + 4]; s5 += v * At[b + 5]; s6 += v * At[b + 6]; s7 += v * At[b + 7];
        }
        g[cb] = s0; g[cb + 1] = s1; g[cb + 2] = s2; g[cb + 3] = s3;
        g[cb + 4] = s4; g[cb + 5] = s5; g[cb + 6] = s6; g[cb + 7] = s7;
      }
      const sr = inv ? inv[r] : 1;
      for (let a = 0; a < na; a++) {
        const gi = qids[a0 + a];
        if (symmetric ? r <= gi : r === gi) continue;
        offer(s, a0 + a, gi, r, g[a] * sr);
      }
    }
    work += symmetric ? n - a0 : n;
    const f = (work * BLOCK) / totalWork;
    if (f - lastReport >= 0.01) {
      s.report(0.95 * Math.min(1, f));
      lastReport = f;
    }
  }
}

/** Rows per call of the SIMD sparse kernel: its dot products (32 per row) stay in L2. */
const SIMD_ROWS = 256;

/**
 * sparseScan with the SIMD kernel: the compressed rows are copied once into its memory, and each
 * call gives SIMD_ROWS rows' dot products with the block, offered exactly as sparseScan does.
 */
function sparseScanSimd(s: Scan, csr: Csr, simd: SimdKernels): void {
  const { t, qids, symmetric, inv } = s;
  const { n, d } = t;
  const { ptr, col, val } = csr;
  const nq = qids.length;
  const nnz = val.length;
  // Layout (8-byte aligned): val, At, g, col, ptr.
  const valOff = 0;
  const atOff = valOff + nnz * 8;
  const gOff = atOff + d * BLOCK * 8;
  const colOff = gOff + SIMD_ROWS * BLOCK * 8;
  const ptrOff = colOff + Math.ceil(nnz / 2) * 8;
  const buf = simd.reserve(ptrOff + (n + 1) * 4);
  new Float64Array(buf, valOff, nnz).set(val);
  new Int32Array(buf, colOff, nnz).set(col);
  new Int32Array(buf, ptrOff, n + 1).set(ptr);
  const At = new Float64Array(buf, atOff, d * BLOCK);
  const g = new Float64Array(buf, gOff, SIMD_ROWS * BLOCK);
  const blocks = Math.ceil(nq / BLOCK);
  const totalWork = symmetric ? (n * (n + 1)) / 2 : nq * n;
  let work = 0;
  let lastReport = 0;
  for (let I = 0; I < blocks; I++) {
    const a0 = I * BLOCK;
    const na = Math.min(BLOCK, nq - a0);
    const lanes = Math.ceil(na / 16) * 16;
    At.fill(0);
    for (let a = 0; a < na; a++) {
      const id = qids[a0 + a];
      const sc = inv ? inv[id] : 1;
      for (let p = ptr[id]; p < ptr[id + 1]; p++) At[col[p] * BLOCK + a] = val[p] * sc;
    }
    for (let r0 = symmetric ? a0 : 0; r0 < n; r0 += SIMD_ROWS) {
      const r1 = Math.min(n, r0 + SIMD_ROWS);
      simd.sparse(valOff, colOff, ptrOff, r0, r1, atOff, lanes, gOff);
      for (let r = r0; r < r1; r++) {
        const sr = inv ? inv[r] : 1;
        const go = (r - r0) * BLOCK;
        for (let a = 0; a < na; a++) {
          const gi = qids[a0 + a];
          if (symmetric ? r <= gi : r === gi) continue;
          offer(s, a0 + a, gi, r, g[go + a] * sr);
        }
      }
    }
    work += symmetric ? n - a0 : n;
    const f = (work * BLOCK) / totalWork;
    if (f - lastReport >= 0.01) {
      s.report(0.95 * Math.min(1, f));
      lastReport = f;
    }
  }
}

/**
 * As loadBlock, laid out for the SIMD kernel: rows in groups of four, group q at q*4*d, entry
 * (row 4q + l, column j) at + j*4 + l.
 */
function loadInterleaved(
  data: Float32Array, d: number, ids: Int32Array, from: number, count: number,
  scale: Float64Array | null, out: Float64Array,
): void {
  if (count < BLOCK) out.fill(0);
  for (let r = 0; r < count; r++) {
    const id = ids[from + r];
    const src = id * d;
    const o = (r >> 2) * 4 * d + (r & 3);
    // x * 1 is x exactly: one loop serves both.
    const sc = scale ? scale[id] : 1;
    for (let j = 0; j < d; j++) out[o + 4 * j] = data[src + j] * sc;
  }
}

/** Copies rows ids[from .. from+count) (times scale[id] when given) into out; the rest of out is zeroed. */
function loadBlock(
  data: Float32Array, d: number, ids: Int32Array, from: number, count: number,
  scale: Float64Array | null, out: Float64Array,
): void {
  for (let r = 0; r < count; r++) {
    const id = ids[from + r];
    const src = id * d;
    const o = r * d;
    if (scale) {
      const s = scale[id];
      for (let j = 0; j < d; j++) out[o + j] = data[src + j] * s;
    } else {
      for (let j = 0; j < d; j++) out[o + j] = data[src + j];
    }
  }
  if (count < BLOCK) out.fill(0, count * d);
}

/** G[a*BLOCK + b] = A_a . B_b for a < na, b < nb (rounded up to 2 and 4; the padding rows are zero). */
function gramTile(A: Float64Array, na: number, B: Float64Array, nb: number, d: number, G: Float64Array): void {
  for (let a = 0; a < na; a += 2) {
    const x0o = a * d;
    const x1o = x0o + d;
    for (let b = 0; b < nb; b += 4) {
      const y0o = b * d;
      const y1o = y0o + d;
      const y2o = y1o + d;
      const y3o = y2o + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let j = 0; j < d; j++) {
        const x0 = A[x0o + j];
        const x1 = A[x1o + j];
        const y0 = B[y0o + j];
        const y1 = B[y1o + j];
        const y2 = B[y2o + j];
        const y3 = B[y3o + j];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      const g0 = a * BLOCK + b;
      const g1 = g0 + BLOCK;
      G[g0] = s00; G[g0 + 1] = s01; G[g0 + 2] = s02; G[g0 + 3] = s03;
      G[g1] = s10; G[g1 + 1] = s11; G[g1 + 2] = s12; G[g1 + 3] = s13;
    }
  }
}

/**
 * Offers (key, j) to the bounded max-heap of k entries at base (root = the worst kept, ordered by
 * key then index). Empty slots hold (Infinity, -1). Each pair is offered once, so no repeat check.
 */
function pushExact(hd: Float64Array, hi: Int32Array, base: number, k: number, key: number, j: number): void {
  const rootKey = hd[base];
  if (key > rootKey || (key === rootKey && j > hi[base])) return;
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= k) break;
    let c = l;
    const r = l + 1;
    if (r < k) {
      const dl = hd[base + l];
      const dr = hd[base + r];
      if (dr > dl || (dr === dl && hi[base + r] > hi[base + l])) c = r;
    }
    const dc = hd[base + c];
    if (dc > key || (dc === key && hi[base + c] > j)) {
      hd[base + pos] = dc;
      hi[base + pos] = hi[base + c];
      pos = c;
    } else {
      break;
    }
  }
  hd[base + pos] = key;
  hi[base + pos] = j;
}
