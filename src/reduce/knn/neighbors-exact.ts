/**
 * Exact nearest neighbours of ONE row by brute force: the inspector's neighbour list, and the
 * same list in a layout (a Tensor over the positions, d = 2 or 3, euclidean, eligible = placed
 * rows) to see which neighbours a projection kept. Pure and worker-safe: typed arrays only.
 *
 * One pass over the rows: the query is copied once into doubles, each row's distance comes from
 * four running sums (for cosine the row's norm is summed in the same pass as the dot product, so
 * nothing O(n d) is precomputed) and is offered at once to a bounded max-heap keyed (distance,
 * index): no n-sized scratch, and ties go to the lower index. The k kept are heap-sorted.
 *
 *   cosine:    1 - a.b / sqrt(|a|^2 |b|^2), clamped to [0, 2]. A zero vector has no direction: its
 *              distance to anything (and anything's to it) is exactly 1, as in ./metric. The
 *              norms are summed like the dot products, so a copy of the query is at exactly 0.
 *   euclidean: sqrt(sum (a_j - b_j)^2), not squared.
 * Rows whose distance is not finite (NaN or infinite coordinates: a layout's unplaced rows) are
 * skipped; a query row that is not finite has no neighbours.
 */
import type { Tensor } from '../../data/types';
import type { Metric } from './types';
import { simdKernels, type SimdKernels } from '../kernels/simd';
import { replaceRoot } from './metric';

/**
 * Below this many columns the SIMD kernel's copy and call cost more than they save (a layout's
 * 2 or 3 columns stay in JavaScript).
 */
const SIMD_MIN_D = 16;
/** Bytes of rows copied into the SIMD kernel's memory per call: they stay in L2 for it. */
const SIMD_CHUNK_BYTES = 1 << 18;

export interface Neighbors {
  /** Nearest first; ties by the lower index. */
  indices: Int32Array;
  distances: Float32Array;
}

/**
 * The k rows nearest to row `query`, never the query itself nor rows with eligible[i] === 0
 * (eligible null or undefined: every row). k is clamped to the number of candidates; k < 1 gives
 * an empty result. Throws RangeError when query is not a row index.
 */
export function nearestNeighbors(
  t: Tensor, query: number, k: number, metric: Metric, eligible?: Uint8Array | null,
): Neighbors {
  const { data, n, d } = t;
  if (!Number.isInteger(query) || query < 0 || query >= n) {
    throw new RangeError(`nearestNeighbors: query ${query} is not a row of ${n}`);
  }
  const cap = Math.min(Math.floor(k), n - 1);
  if (!(cap >= 1)) return empty();

  const q = new Float64Array(d);
  for (let c = 0; c < d; c++) q[c] = data[query * d + c];
  const qn = selfDot(q, d);
  if (!(qn < Infinity)) return empty();

  const heap: Heap = { dist: new Float64Array(cap), idx: new Int32Array(cap), size: 0, cap };
  const mask = eligible ?? null;
  if (metric !== 'cosine' && metric !== 'euclidean') throw new RangeError(`nearestNeighbors: unknown metric ${String(metric)}`);
  const simd = d >= SIMD_MIN_D ? simdKernels() : null;
  if (simd) scanSimd(simd, data, n, d, q, qn, query, mask, heap, metric === 'cosine');
  else if (metric === 'cosine') scanCosine(data, n, d, q, qn, query, mask, heap);
  else scanEuclidean(data, n, d, q, query, mask, heap);
  return drain(heap);
}

/** How many indices of a are in b (a layout's neighbours kept from the original space's). */
export function keptNeighbors(a: Int32Array, b: Int32Array): number {
  // Lists are ~100 long: a linear scan of b beats building a Set below a few dozen.
  if (b.length <= 32) {
    let kept = 0;
    for (let i = 0; i < a.length; i++) if (b.includes(a[i])) kept++;
    return kept;
  }
  const inB = new Set(b);
  let kept = 0;
  for (let i = 0; i < a.length; i++) if (inB.has(a[i])) kept++;
  return kept;
}

function empty(): Neighbors {
  return { indices: new Int32Array(0), distances: new Float32Array(0) };
}

/** The same four-sum pairing as the row norms in scanCosine: a copy of the query matches exactly. */
function selfDot(q: Float64Array, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let c = 0;
  for (; c + 4 <= d; c += 4) {
    s0 += q[c] * q[c];
    s1 += q[c + 1] * q[c + 1];
    s2 += q[c + 2] * q[c + 2];
    s3 += q[c + 3] * q[c + 3];
  }
  for (; c < d; c++) s0 += q[c] * q[c];
  return s0 + s1 + s2 + s3;
}

function scanCosine(
  data: Float32Array, n: number, d: number, q: Float64Array, qn: number, query: number,
  mask: Uint8Array | null, heap: Heap,
): void {
  for (let i = 0; i < n; i++) {
    if (i === query || (mask !== null && mask[i] === 0)) continue;
    const o = i * d;
    let p0 = 0, p1 = 0, p2 = 0, p3 = 0, r0 = 0, r1 = 0, r2 = 0, r3 = 0;
    let c = 0;
    for (; c + 4 <= d; c += 4) {
      const y0 = data[o + c], y1 = data[o + c + 1], y2 = data[o + c + 2], y3 = data[o + c + 3];
      p0 += q[c] * y0;
      p1 += q[c + 1] * y1;
      p2 += q[c + 2] * y2;
      p3 += q[c + 3] * y3;
      r0 += y0 * y0;
      r1 += y1 * y1;
      r2 += y2 * y2;
      r3 += y3 * y3;
    }
    for (; c < d; c++) {
      const y = data[o + c];
      p0 += q[c] * y;
      r0 += y * y;
    }
    const rn = r0 + r1 + r2 + r3;
    // NaN or infinite coordinates: checked on the norm, before the zero-vector rule could hide them.
    if (!(rn < Infinity)) continue;
    let dist = 1;
    if (rn !== 0 && qn !== 0) {
      dist = 1 - (p0 + p1 + p2 + p3) / Math.sqrt(qn * rn);
      dist = dist < 0 ? 0 : dist > 2 ? 2 : dist;
    }
    if (heap.size < heap.cap || dist < heap.dist[0] || (dist === heap.dist[0] && i < heap.idx[0])) offer(heap, dist, i);
  }
}

function scanEuclidean(
  data: Float32Array, n: number, d: number, q: Float64Array, query: number, mask: Uint8Array | null, heap: Heap,
): void {
  for (let i = 0; i < n; i++) {
    if (i === query || (mask !== null && mask[i] === 0)) continue;
    const o = i * d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let c = 0;
    for (; c + 4 <= d; c += 4) {
      const x0 = q[c] - data[o + c];
      const x1 = q[c + 1] - data[o + c + 1];
      const x2 = q[c + 2] - data[o + c + 2];
      const x3 = q[c + 3] - data[o + c + 3];
      s0 += x0 * x0;
      s1 += x1 * x1;
      s2 += x2 * x2;
      s3 += x3 * x3;
    }
    for (; c < d; c++) {
      const x = q[c] - data[o + c];
      s0 += x * x;
    }
    // Compared after the sqrt, not squared: two squares can round to one distance, which must
    // then be ordered by index.
    const dist = Math.sqrt(s0 + s1 + s2 + s3);
    if (!(dist < Infinity)) continue;
    if (heap.size < heap.cap || dist < heap.dist[0] || (dist === heap.dist[0] && i < heap.idx[0])) offer(heap, dist, i);
  }
}

/**
 * scanCosine / scanEuclidean with the SIMD kernel (the same sums, bit for bit): rows are copied
 * into its memory a chunk at a time (the tensor may be shared or replaced between queries, so
 * no copy is kept), and each row's sums are then turned into a distance and offered as there.
 */
function scanSimd(
  simd: SimdKernels, data: Float32Array, n: number, d: number, q: Float64Array, qn: number, query: number,
  mask: Uint8Array | null, heap: Heap, cosine: boolean,
): void {
  const rowsPer = Math.max(1, Math.floor(SIMD_CHUNK_BYTES / (d * 4)));
  const per = cosine ? 2 : 1;
  // Layout: q, the rows' sums, the rows.
  const outOff = d * 8;
  const rowsOff = outOff + rowsPer * per * 8;
  const buf = simd.reserve(rowsOff + rowsPer * d * 4);
  new Float64Array(buf, 0, d).set(q);
  const out = new Float64Array(buf, outOff, rowsPer * per);
  const rows = new Float32Array(buf, rowsOff, rowsPer * d);
  for (let i0 = 0; i0 < n; i0 += rowsPer) {
    const m = Math.min(rowsPer, n - i0);
    rows.set(data.subarray(i0 * d, (i0 + m) * d));
    if (cosine) simd.rowCos(0, rowsOff, m, d, outOff);
    else simd.rowEuc(0, rowsOff, m, d, outOff);
    for (let r = 0; r < m; r++) {
      const i = i0 + r;
      if (i === query || (mask !== null && mask[i] === 0)) continue;
      let dist: number;
      if (cosine) {
        const rn = out[2 * r + 1];
        if (!(rn < Infinity)) continue;
        dist = 1;
        if (rn !== 0 && qn !== 0) {
          dist = 1 - out[2 * r] / Math.sqrt(qn * rn);
          dist = dist < 0 ? 0 : dist > 2 ? 2 : dist;
        }
      } else {
        dist = Math.sqrt(out[r]);
        if (!(dist < Infinity)) continue;
      }
      if (heap.size < heap.cap || dist < heap.dist[0] || (dist === heap.dist[0] && i < heap.idx[0])) offer(heap, dist, i);
    }
  }
}

/** Max-heap of the best `cap` seen so far; the root is the worst kept, by distance then index. */
interface Heap {
  dist: Float64Array;
  idx: Int32Array;
  size: number;
  cap: number;
}

/** Adds (dist, j) while not full, else replaces the root; callers have checked it belongs. */
function offer(h: Heap, dist: number, j: number): void {
  const hd = h.dist;
  const hi = h.idx;
  if (h.size < h.cap) {
    let pos = h.size++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pd = hd[parent];
      if (pd > dist || (pd === dist && hi[parent] > j)) break;
      hd[pos] = pd;
      hi[pos] = hi[parent];
      pos = parent;
    }
    hd[pos] = dist;
    hi[pos] = j;
    return;
  }
  replaceRoot(hd, hi, h.size, dist, j);
}

/** Heap sort: the root (worst) goes to the end, nearest first in the result. */
function drain(h: Heap): Neighbors {
  const { dist: hd, idx: hi } = h;
  const size = h.size;
  const indices = new Int32Array(size);
  const distances = new Float32Array(size);
  for (let end = size - 1; end >= 0; end--) {
    indices[end] = hi[0];
    distances[end] = hd[0];
    if (end > 0) replaceRoot(hd, hi, end, hd[end], hi[end]);
  }
  return { indices, distances };
}
