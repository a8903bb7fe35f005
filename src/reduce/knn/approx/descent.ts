/**
 * Approximate k nearest neighbours by NN-descent (Dong, Moses & Li 2011) started from
 * random-projection tree leaves, in the style of PyNNDescent. Pure and worker-safe.
 *
 * Works on a dense Float64 matrix X (n x m, m small: the reduced search space, centred) with
 * squared euclidean distances |p|^2 + |q|^2 - 2 p.q. Each row keeps a bounded max-heap of K
 * neighbours with a "new" flag. Every iteration samples (by a priority hashed from the iteration's
 * seed and the heap slot, so that rows can be sampled on any thread) up to maxCandidates
 * new and old neighbours per row, forward and reverse, and compares the new-new and new-old pairs
 * of each row's sample: a neighbour of my neighbour is likely my neighbour. It stops when an
 * iteration changes fewer than delta * K * n heap entries, or after maxIterations.
 *
 * A row's sample (and a tree leaf) is compared all-pairs at once, as a tile of dot products from
 * a 2 x 4 register kernel: in V8 that is about three times faster than pair-by-pair distances.
 * The joins run in blocks (./search-pool): heap offers found against the heaps as they stood when
 * the block began, then made stripe of rows by stripe in a fixed order, so threads can share a
 * block and the graph depends only on the input and the seed, never on the thread count.
 */
import type { Random } from '../../random';
import type { StripeSets } from './stripe-sets';
import { simdKernels, type SimdKernels } from '../../kernels/simd';

/** Each row's squared length, into out (n). */
export function rowSquaredNorms(X: Float64Array, n: number, m: number, out: Float64Array = new Float64Array(n)): Float64Array {
  const sq = out;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * m; j < (i + 1) * m; j++) s += X[j] * X[j];
    sq[i] = s;
  }
  return sq;
}

/** Tiles of up to this many rows run in the SIMD kernel, whose G block is 32 x 32. */
const SIMD_ROWS = 32;
/** Larger search spaces stay in JavaScript: each thread's kernels hold a copy of X (8 threads, 256 MB at most). */
const SIMD_MAX_ROWS_BYTES = 32 * 1024 * 1024;

/**
 * X copied into the SIMD kernels' memory (this thread's; kept there while no other kernel takes
 * the memory, and X, one search's rows, does not change), with `scratch` bytes free after it, at
 * byte `at`; null where it does not fit.
 */
function residentRows(k: SimdKernels, X: Float64Array, scratch: number): { buffer: ArrayBuffer; at: number } | null {
  const at = X.length * 8;
  if (at > SIMD_MAX_ROWS_BYTES) return null;
  const r = k.reserveFor(X, at + scratch);
  if (!r) return null;
  if (!r.resident) new Float64Array(r.buffer, 0, X.length).set(X);
  return { buffer: r.buffer, at };
}

/**
 * All-pairs dot products of up to `capacity` rows of X, listed by index in `ids`: dot(a, b) for
 * a < rows, b < cols. Only b >= a rounded down to 4 need be filled (the callers need b > a).
 *
 * Up to 32 columns, with WebAssembly SIMD where it runs (../../kernels/simd's gramIds, on a copy of X
 * in its memory, up to 32 MB; the whole rows x cols rectangle), else a 2 x 4 register kernel in
 * JavaScript (its padding slots point at the first row and are never read back). Both add each
 * pair's products in the same order, so the dots are the same bit for bit.
 */
export class Tile {
  readonly ids: Int32Array;
  private readonly offsets: Int32Array;
  private readonly dots: Float64Array;
  private readonly stride: number;
  private readonly simd: SimdKernels | null = simdKernels();
  private memory: ArrayBuffer | null = null;
  private idsIn: Int32Array = new Int32Array(0);
  private gram: Float64Array = new Float64Array(0);
  /** Where dot() reads the last compute's products, and its row stride. */
  private out: Float64Array;
  private outStride: number;

  constructor(capacity: number) {
    this.stride = roundUp(capacity, 4);
    this.ids = new Int32Array(this.stride);
    this.offsets = new Int32Array(this.stride);
    this.dots = new Float64Array(this.stride * this.stride);
    this.out = this.dots;
    this.outStride = this.stride;
  }

  dot(a: number, b: number): number {
    return this.out[a * this.outStride + b];
  }

  compute(X: Float64Array, m: number, rows: number, cols: number): void {
    if (!(this.simd && cols <= SIMD_ROWS && this.computeSimd(this.simd, X, m, rows, cols))) this.computeJs(X, m, rows, cols);
  }

  private computeSimd(k: SimdKernels, X: Float64Array, m: number, rows: number, cols: number): boolean {
    // The kernel reads each tile's rows where they lie in its copy of X, from their ids.
    const r = residentRows(k, X, SIMD_ROWS * 4 + SIMD_ROWS * SIMD_ROWS * 8);
    if (!r) return false;
    if (r.buffer !== this.memory || this.idsIn.byteOffset !== r.at) {
      this.memory = r.buffer;
      this.idsIn = new Int32Array(r.buffer, r.at, SIMD_ROWS);
      this.gram = new Float64Array(r.buffer, r.at + SIMD_ROWS * 4, SIMD_ROWS * SIMD_ROWS);
    }
    const nb = roundUp(cols, 4);
    this.idsIn.set(this.ids.subarray(0, cols));
    // Padding columns read row ids[0]; their products are never read back.
    this.idsIn.fill(this.ids[0], cols, nb);
    k.gramIds(0, r.at, roundUp(rows, 4), nb, m, r.at + SIMD_ROWS * 4);
    this.out = this.gram;
    this.outStride = SIMD_ROWS;
    return true;
  }

  private computeJs(X: Float64Array, m: number, rows: number, cols: number): void {
    const { ids, offsets, dots, stride } = this;
    this.out = dots;
    this.outStride = stride;
    const padded = roundUp(cols, 4);
    for (let c = 0; c < padded; c++) offsets[c] = (c < cols ? ids[c] : ids[0]) * m;
    for (let a = 0; a < rows; a += 2) {
      const x0o = offsets[a];
      const x1o = offsets[a + 1 < padded ? a + 1 : a];
      for (let b = a & ~3; b < cols; b += 4) {
        const y0o = offsets[b];
        const y1o = offsets[b + 1];
        const y2o = offsets[b + 2];
        const y3o = offsets[b + 3];
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (let j = 0; j < m; j++) {
          const x0 = X[x0o + j];
          const x1 = X[x1o + j];
          const y0 = X[y0o + j];
          const y1 = X[y1o + j];
          const y2 = X[y2o + j];
          const y3 = X[y3o + j];
          s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
          s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        }
        const g0 = a * stride + b;
        dots[g0] = s00; dots[g0 + 1] = s01; dots[g0 + 2] = s02; dots[g0 + 3] = s03;
        if (a + 1 < stride) {
          const g1 = g0 + stride;
          dots[g1] = s10; dots[g1 + 1] = s11; dots[g1 + 2] = s12; dots[g1 + 3] = s13;
        }
      }
    }
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(Math.max(1, x) / to) * to;
}

/** The float32 key of the pair from the norms and the dot product (clamped: rounding can go below 0). */
export function pairKey(sq: Float64Array, p: number, q: number, dot: number): number {
  const s = sq[p] + sq[q] - 2 * dot;
  return s > 0 ? Math.fround(s) : 0;
}

export interface Heap {
  /** n x K keys (squared distances), root of each row = the largest. Empty slots: Infinity. */
  dist: Float32Array;
  /** n x K neighbours; -1 in empty slots. */
  idx: Int32Array;
  /** n x K: 1 while the entry has not yet taken part in a local join. */
  flag: Uint8Array;
  /** Per row, its heap's root key (dist[i*K]), kept compact: the joins read it for every pair. */
  root: Float32Array;
}

/** Empties a heap (whichever memory it lives in). */
export function clearHeap(h: Heap): void {
  h.dist.fill(Infinity);
  h.idx.fill(-1);
  h.flag.fill(0);
  h.root.fill(Infinity);
}

/**
 * Offers (key, j) to the row heap at base; returns 1 when it was taken (key below the root and j
 * not already there), else 0. key must already be a float32 value.
 */
export function push(h: Heap, row: number, K: number, key: number, j: number, flag: number): number {
  const base = row * K;
  if (!(key < h.dist[base])) return 0;
  const idx = h.idx;
  for (let c = base; c < base + K; c++) if (idx[c] === j) return 0;
  siftIn(h, row, K, key, j, flag);
  return 1;
}

/** Puts (key, j, flag) in place of the row heap's root (its farthest entry), keeping it a heap. */
export function siftIn(h: Heap, row: number, K: number, key: number, j: number, flag: number): void {
  const base = row * K;
  siftDown(h, base, K, key, j, flag);
  h.root[row] = h.dist[base];
}

/** Sifts (key, j, flag) down from the root of the max-heap of `size` entries at `base`. */
function siftDown(h: Heap, base: number, size: number, key: number, j: number, flag: number): void {
  const { dist, idx, flag: flags } = h;
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= size) break;
    let c = l;
    if (l + 1 < size && dist[base + l + 1] > dist[base + l]) c = l + 1;
    if (dist[base + c] > key) {
      dist[base + pos] = dist[base + c];
      idx[base + pos] = idx[base + c];
      flags[base + pos] = flags[base + c];
      pos = c;
    } else {
      break;
    }
  }
  dist[base + pos] = key;
  idx[base + pos] = j;
  flags[base + pos] = flag;
}

/** Heap sort of one row in place: ascending keys (the flags move with their entries). */
export function sortRow(h: Heap, base: number, K: number): void {
  const { dist, idx, flag } = h;
  for (let end = K - 1; end > 0; end--) {
    const key = dist[base + end];
    const j = idx[base + end];
    const f = flag[base + end];
    dist[base + end] = dist[base];
    idx[base + end] = idx[base];
    flag[base + end] = flag[base];
    siftDown(h, base, end, key, j, f);
  }
}

function dotRows(X: Float64Array, a: number, b: number, m: number): number {
  let s0 = 0, s1 = 0;
  let j = 0;
  for (; j + 2 <= m; j += 2) {
    s0 += X[a + j] * X[b + j];
    s1 += X[a + j + 1] * X[b + j + 1];
  }
  if (j < m) s0 += X[a + j] * X[b + j];
  return s0 + s1;
}

/** Tops up row i's heap with random other rows (a sweep from a random start if draws keep missing). */
export function fillRandom(
  X: Float64Array, m: number, sq: Float64Array, h: Heap, i: number, n: number, K: number, rng: Random,
): void {
  const base = i * K;
  const offer = (j: number) => {
    if (j !== i) push(h, i, K, pairKey(sq, i, j, dotRows(X, i * m, j * m, m)), j, 1);
  };
  for (let tries = 0; h.idx[base] < 0 && tries < 4 * K; tries++) offer(Math.floor(rng.next() * n));
  if (h.idx[base] < 0) {
    const from = Math.floor(rng.next() * n);
    for (let s = 0; s < n && h.idx[base] < 0; s++) offer((from + s) % n);
  }
}

export interface Candidates {
  /** n x C sampled new / old neighbours per row (-1: none), with their random priorities. */
  newIdx: Int32Array;
  newPri: Float32Array;
  oldIdx: Int32Array;
  oldPri: Float32Array;
}

/**
 * Samples, for rows [lo, hi), up to C new and C old neighbours (their own and reverse ones) by a
 * priority hashed from (salt, heap slot): every heap entry is looked at, those aimed at other rows
 * skipped, so any split of the rows gives the same samples.
 */
export function sampleRows(h: Heap, n: number, K: number, C: number, salt: number, cand: Candidates, lo: number, hi: number): void {
  const { newIdx, newPri, oldIdx, oldPri } = cand;
  newIdx.fill(-1, lo * C, hi * C);
  oldIdx.fill(-1, lo * C, hi * C);
  newPri.fill(Infinity, lo * C, hi * C);
  oldPri.fill(Infinity, lo * C, hi * C);
  const { idx, flag } = h;
  for (let i = 0; i < n; i++) {
    const base = i * K;
    const mine = i >= lo && i < hi;
    for (let c = base; c < base + K; c++) {
      const j = idx[c];
      if (j < 0 || (!mine && (j < lo || j >= hi))) continue;
      const pri = Math.fround(rowHash(salt, c) / 4294967296);
      if (flag[c]) {
        if (mine) pushCandidate(newIdx, newPri, i * C, C, pri, j);
        if (j >= lo && j < hi) pushCandidate(newIdx, newPri, j * C, C, pri, i);
      } else {
        if (mine) pushCandidate(oldIdx, oldPri, i * C, C, pri, j);
        if (j >= lo && j < hi) pushCandidate(oldIdx, oldPri, j * C, C, pri, i);
      }
    }
  }
}

/**
 * Clears, for rows [lo, hi), the "new" flag of the row's own neighbours that its sample took
 * (after every row's sample is complete). mark: n scratch stamps, -1 or a row number.
 */
export function unflagRows(h: Heap, K: number, C: number, newIdx: Int32Array, mark: Int32Array, lo: number, hi: number): void {
  const { idx, flag } = h;
  for (let i = lo; i < hi; i++) {
    const base = i * K;
    const cb = i * C;
    for (let e = cb; e < cb + C; e++) if (newIdx[e] >= 0) mark[newIdx[e]] = i;
    for (let c = base; c < base + K; c++) if (flag[c] && mark[idx[c]] === i) flag[c] = 0;
    // Cleared again, so that no stamp outlives its row: which thread saw which row never matters.
    for (let e = cb; e < cb + C; e++) if (newIdx[e] >= 0) mark[newIdx[e]] = -1;
  }
}

/** Bounded max-heap on priority (keeps the C smallest), skipping repeats. */
function pushCandidate(ids: Int32Array, pri: Float32Array, base: number, C: number, p: number, j: number): void {
  if (!(p < pri[base])) return;
  for (let c = base; c < base + C; c++) if (ids[c] === j) return;
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= C) break;
    let c = l;
    if (l + 1 < C && pri[base + l + 1] > pri[base + l]) c = l + 1;
    if (pri[base + c] > p) {
      pri[base + pos] = pri[base + c];
      ids[base + pos] = ids[base + c];
      pos = c;
    } else {
      break;
    }
  }
  pri[base + pos] = p;
  ids[base + pos] = j;
}

/**
 * Heap offers found in one chunk of a block: (row, other, key), kept when the key beats the row's
 * heap root as it stood when the block began. A thread fills its chunks without touching the
 * heaps, each chunk's offers sorted by stripe of rows (a fixed cut of the rows, whatever the
 * threads); applyStripe then makes one stripe's offers in chunk order, so the heaps do not depend
 * on who found what, and stripes can be applied by any thread.
 */
export interface PairBuffer {
  row: Int32Array;
  other: Int32Array;
  key: Float32Array;
  /** Per chunk, stripes + 1 offsets: stripe s of chunk c is [offsets[c (S + 1) + s], offsets[c (S + 1) + s + 1]). */
  offsets: Int32Array;
  /** Offers a chunk can hold. */
  capacity: number;
  stripes: number;
  stripeRows: number;
}

/** Most pairs a row's sample gives: new-new plus new-old, for C of each. */
export const pairsPerRow = (C: number) => C * (2 * C - 1) - (C * (C - 1)) / 2;

/** One thread's staging for a chunk of offers, sorted by stripe into the shared buffer once complete. */
export class OfferSink {
  private readonly row: Int32Array;
  private readonly other: Int32Array;
  private readonly key: Float32Array;
  private readonly counts: Int32Array;
  private size = 0;

  constructor(private readonly buf: PairBuffer) {
    this.row = new Int32Array(buf.capacity);
    this.other = new Int32Array(buf.capacity);
    this.key = new Float32Array(buf.capacity);
    this.counts = new Int32Array(buf.stripes);
  }

  add(row: number, other: number, key: number): void {
    const at = this.size++;
    this.row[at] = row;
    this.other[at] = other;
    this.key[at] = key;
  }

  /** Offers p and q to each other when the key beats their roots. */
  pair(root: Float32Array, p: number, q: number, key: number): void {
    if (key < root[p]) this.add(p, q, key);
    if (key < root[q]) this.add(q, p, key);
  }

  /** Writes the staged offers as chunk `chunk`, stripe by stripe (a stable counting sort). */
  flush(chunk: number): void {
    const { buf, counts, size } = this;
    const S = buf.stripes;
    counts.fill(0);
    for (let e = 0; e < size; e++) counts[Math.floor(this.row[e] / buf.stripeRows)]++;
    const base = chunk * buf.capacity;
    const off = buf.offsets;
    const o = chunk * (S + 1);
    let at = base;
    for (let s = 0; s < S; s++) {
      off[o + s] = at;
      const c = counts[s];
      counts[s] = at;
      at += c;
    }
    off[o + S] = at;
    for (let e = 0; e < size; e++) {
      const d = counts[Math.floor(this.row[e] / buf.stripeRows)]++;
      buf.row[d] = this.row[e];
      buf.other[d] = this.other[e];
      buf.key[d] = this.key[e];
    }
    this.size = 0;
  }
}

/**
 * Local joins of rows [from, to): for each row, the new-new and new-old pairs of its sample, as
 * one tile (the new ones are the tile's first rows, the old ones follow).
 */
export function joinRows(
  X: Float64Array, m: number, sq: Float64Array, root: Float32Array, C: number, cand: Pick<Candidates, 'newIdx' | 'oldIdx'>,
  tile: Tile, from: number, to: number, sink: OfferSink,
): void {
  const { newIdx, oldIdx } = cand;
  const ids = tile.ids;
  for (let i = from; i < to; i++) {
    const cb = i * C;
    let nNew = 0;
    for (let c = cb; c < cb + C; c++) if (newIdx[c] >= 0) ids[nNew++] = newIdx[c];
    if (nNew === 0) continue;
    let all = nNew;
    for (let c = cb; c < cb + C; c++) if (oldIdx[c] >= 0) ids[all++] = oldIdx[c];
    tile.compute(X, m, nNew, all);
    for (let a = 0; a < nNew; a++) {
      const p = ids[a];
      for (let b = a + 1; b < all; b++) {
        const q = ids[b];
        if (q !== p) sink.pair(root, p, q, pairKey(sq, p, q, tile.dot(a, b)));
      }
    }
  }
}

/** All pairs of the leaves [from, to) of one tree (perm, starts: see ./rp-trees' leafStarts). */
export function joinLeaves(
  X: Float64Array, m: number, sq: Float64Array, root: Float32Array, perm: Int32Array, starts: Int32Array,
  tile: Tile, from: number, to: number, sink: OfferSink,
): void {
  const ids = tile.ids;
  for (let l = from; l < to; l++) {
    const start = starts[l];
    const size = starts[l + 1] - start;
    for (let a = 0; a < size; a++) ids[a] = perm[start + a];
    tile.compute(X, m, size, size);
    for (let a = 0; a < size; a++) {
      const p = ids[a];
      for (let b = a + 1; b < size; b++) sink.pair(root, p, ids[b], pairKey(sq, p, ids[b], tile.dot(a, b)));
    }
  }
}

/**
 * Makes stripe s's offers of chunks [0, chunks) to the heaps, in chunk order; returns the updates.
 * The same as push for each offer, with sets (sized for the stripe's rows) for the repeat check.
 */
export function applyStripe(h: Heap, K: number, buf: PairBuffer, chunks: number, s: number, sets: StripeSets): number {
  const { row, other, key, offsets } = buf;
  const S1 = buf.stripes + 1;
  const root = h.root;
  const first = s * buf.stripeRows;
  sets.begin();
  let updates = 0;
  for (let c = 0; c < chunks; c++) {
    for (let e = offsets[c * S1 + s], end = offsets[c * S1 + s + 1]; e < end; e++) {
      const p = row[e];
      if (!(key[e] < root[p])) continue;
      const j = other[e];
      const local = p - first;
      if (sets.has(local, h.idx, p * K, K, j)) continue;
      sets.replace(local, h.idx[p * K], j);
      siftIn(h, p, K, key[e], j, 1);
      updates++;
    }
  }
  return updates;
}

/** Scratch of one thread for expandRows. */
export interface ExpandScratch {
  mark: Int32Array;
  list: Int32Array;
  hd: Float64Array;
  hi: Int32Array;
  simd: SimdKernels | null;
  /** The list and the products in the kernels' memory, and the memory they are views of. */
  idsIn: Int32Array;
  dotsIn: Float64Array;
  memory: ArrayBuffer | null;
}

export function expandScratch(n: number, Kd: number, K: number, fanout: number): ExpandScratch {
  const f = Math.min(Kd, fanout);
  return {
    mark: new Int32Array(n).fill(-1), list: new Int32Array(roundUp(Kd + Kd * f + 4, 4)), hd: new Float64Array(K), hi: new Int32Array(K),
    simd: simdKernels(), idsIn: new Int32Array(0), dotsIn: new Float64Array(0), memory: null,
  };
}

/**
 * Widens rows [from, to) of a graph of Kd neighbours per row (nearest first) to K > Kd: each row's
 * K nearest (in X) among its neighbours and the first `fanout` neighbours of each of them, topped
 * up with other rows from a start drawn from (seed, row) in the rare case that gives fewer than K.
 * Cheaper than NN-descent at large K, whose heaps' repeat checks grow with K; a neighbour of a
 * neighbour is where the next-nearest points are. Each row depends on nothing but the graph.
 */
export function expandRows(
  X: Float64Array, n: number, m: number, sq: Float64Array, graph: Int32Array, Kd: number, K: number, fanout: number,
  seed: number, out: Int32Array, from: number, to: number, s: ExpandScratch,
): void {
  const { mark, list, hd, hi } = s;
  const f = Math.min(Kd, fanout);
  for (let i = from; i < to; i++) {
    mark[i] = i;
    let count = 0;
    const gi = i * Kd;
    for (let a = gi; a < gi + Kd; a++) {
      const l = graph[a];
      if (mark[l] !== i) {
        mark[l] = i;
        list[count++] = l;
      }
    }
    for (let a = gi; a < gi + Kd; a++) {
      const gj = graph[a] * Kd;
      for (let b = gj; b < gj + f; b++) {
        const l = graph[b];
        if (mark[l] !== i) {
          mark[l] = i;
          list[count++] = l;
        }
      }
    }
    if (count < K) {
      // Fewer than K distinct rows two steps away: any others will do.
      const start = rowHash(seed, i) % n;
      for (let s2 = 0; s2 < n && count < K; s2++) {
        const l = (start + s2) % n;
        if (mark[l] !== i) {
          mark[l] = i;
          list[count++] = l;
        }
      }
    }
    nearestOf(X, m, sq, i, list, count, hd, hi, K, s);
    out.set(hi, i * K);
  }
}

/** A well-mixed unsigned 32-bit value of (seed, row). */
function rowHash(seed: number, row: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(row + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The K of list[0 .. count) nearest to row i (count >= K) into hi, via a max-heap; 1 x 4 dot kernel. */
function nearestOf(
  X: Float64Array, m: number, sq: Float64Array, i: number, list: Int32Array, count: number,
  hd: Float64Array, hi: Int32Array, K: number, s: ExpandScratch,
): void {
  hd.fill(Infinity);
  hi.fill(-1);
  const io = i * m;
  const si = sq[i];
  const dots = s.simd ? listDotsSimd(s.simd, X, m, i, list, count, s) : null;
  let c = 0;
  for (; c + 4 <= count; c += 4) {
    const l0 = list[c], l1 = list[c + 1], l2 = list[c + 2], l3 = list[c + 3];
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    if (dots) {
      s0 = dots[c];
      s1 = dots[c + 1];
      s2 = dots[c + 2];
      s3 = dots[c + 3];
    } else {
      const o0 = l0 * m, o1 = l1 * m, o2 = l2 * m, o3 = l3 * m;
      for (let j = 0; j < m; j++) {
        const x = X[io + j];
        s0 += x * X[o0 + j];
        s1 += x * X[o1 + j];
        s2 += x * X[o2 + j];
        s3 += x * X[o3 + j];
      }
    }
    const k0 = si + sq[l0] - 2 * s0;
    if (k0 < hd[0]) siftDownRoot(hd, hi, K, k0, l0);
    const k1 = si + sq[l1] - 2 * s1;
    if (k1 < hd[0]) siftDownRoot(hd, hi, K, k1, l1);
    const k2 = si + sq[l2] - 2 * s2;
    if (k2 < hd[0]) siftDownRoot(hd, hi, K, k2, l2);
    const k3 = si + sq[l3] - 2 * s3;
    if (k3 < hd[0]) siftDownRoot(hd, hi, K, k3, l3);
  }
  for (; c < count; c++) {
    const l = list[c];
    const key = si + sq[l] - 2 * dotRows(X, io, l * m, m);
    if (key < hd[0]) siftDownRoot(hd, hi, K, key, l);
  }
}

/**
 * Row i's products with list[c] for c < count rounded down to 4, from the SIMD kernel (each one
 * running sum in column order, as the JavaScript 1 x 4 kernel adds them); null where it cannot run.
 */
function listDotsSimd(k: SimdKernels, X: Float64Array, m: number, i: number, list: Int32Array, count: number, s: ExpandScratch): Float64Array | null {
  const cap = list.length;
  const r = residentRows(k, X, cap * 4 + cap * 8);
  if (!r) return null;
  if (r.buffer !== s.memory || s.idsIn.byteOffset !== r.at || s.idsIn.length !== cap) {
    s.memory = r.buffer;
    s.idsIn = new Int32Array(r.buffer, r.at, cap);
    s.dotsIn = new Float64Array(r.buffer, r.at + cap * 4, cap);
  }
  const c4 = count & ~3;
  s.idsIn.set(list.subarray(0, c4));
  k.rowIds(0, i, r.at, c4, m, r.at + cap * 4);
  return s.dotsIn;
}

/** Replaces the root of a max-heap (hd, hi) of K entries by (key, j) and restores the order. */
function siftDownRoot(hd: Float64Array, hi: Int32Array, K: number, key: number, j: number): void {
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= K) break;
    let c = l;
    if (l + 1 < K && hd[l + 1] > hd[l]) c = l + 1;
    if (hd[c] > key) {
      hd[pos] = hd[c];
      hi[pos] = hi[c];
      pos = c;
    } else {
      break;
    }
  }
  hd[pos] = key;
  hi[pos] = j;
}
