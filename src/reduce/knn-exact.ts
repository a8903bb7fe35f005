/**
 * Exact k nearest neighbours by blocked brute force. Pure and worker-safe: typed arrays only.
 *
 * Rows are copied BLOCK at a time into Float64 scratch (scaled to unit length for cosine: V8 is
 * about twice as fast on Float64 loads as on Float32 ones), and each pair of blocks gives a tile
 * of dot products from a 2 x 4 register kernel. All rows: only blocks J >= I are visited and each
 * pair feeds both rows' bounded max-heaps (half the work). The selection uses the dot products
 * (cosine 1 - a.b, euclidean |a|^2 + |b|^2 - 2 a.b), ties by index; the k chosen are then given
 * their exact distances (./knn-metric) and sorted.
 */
import type { Tensor } from '../data/types';
import type { Metric } from './knn';
import { inverseNorms, rerank, rowDistances, squaredNorms } from './knn-metric';

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
  report: (fraction: number) => void = () => {},
): ExactResult {
  const { n, d, data } = t;
  const inv = metric === 'cosine' ? inverseNorms(t) : null;
  const sq = metric === 'euclidean' ? squaredNorms(t) : null;
  const rows = queries ? queries.length : n;
  const heapDist = new Float64Array(rows * k).fill(Infinity);
  const heapIdx = new Int32Array(rows * k).fill(-1);

  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const qids = queries ?? all;
  const A = new Float64Array(BLOCK * d);
  const B = new Float64Array(BLOCK * d);
  const G = new Float64Array(BLOCK * BLOCK);
  const blocksA = Math.ceil(rows / BLOCK);
  const blocksB = Math.ceil(n / BLOCK);
  const totalTiles = queries ? blocksA * blocksB : (blocksA * (blocksA + 1)) / 2;
  let tiles = 0;
  let lastReport = 0;

  for (let I = 0; I < blocksA; I++) {
    const a0 = I * BLOCK;
    const na = Math.min(BLOCK, rows - a0);
    loadBlock(data, d, qids, a0, na, inv, A);
    for (let J = queries ? 0 : I; J < blocksB; J++) {
      const b0 = J * BLOCK;
      const nb = Math.min(BLOCK, n - b0);
      const same = !queries && J === I;
      if (!same) loadBlock(data, d, all, b0, nb, inv, B);
      gramTile(A, na, same ? A : B, nb, d, G);
      for (let a = 0; a < na; a++) {
        const qi = a0 + a; // heap row
        const gi = qids[qi]; // data row
        const ha = qi * k;
        for (let b = same ? a + 1 : 0; b < nb; b++) {
          const gj = b0 + b;
          if (gj === gi) continue;
          const g = G[a * BLOCK + b];
          let key: number;
          if (sq) {
            key = sq[gi] + sq[gj] - 2 * g;
            if (key < 0) key = 0;
          } else {
            key = 1 - g;
          }
          pushExact(heapDist, heapIdx, ha, k, key, gj);
          if (!queries) pushExact(heapDist, heapIdx, gj * k, k, key, gi);
        }
      }
      tiles++;
    }
    const f = tiles / totalTiles;
    if (f - lastReport >= 0.01) {
      report(0.95 * f);
      lastReport = f;
    }
  }

  const result = rerank(rows, heapIdx, k, k, rowDistances(t, metric), undefined, queries ?? undefined);
  report(1);
  return result;
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
