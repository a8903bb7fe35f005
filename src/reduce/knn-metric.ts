/**
 * Distances in the original space for the k-nearest-neighbour search, and the final re-ranking of
 * candidate lists with them. Pure and worker-safe: typed arrays only, no DOM.
 *
 * All arithmetic is in doubles from the Float32 data:
 *   cosine:    1 - (a . b) / (|a| |b|), clamped to [0, 2]; a zero row is at distance 1 from everything;
 *   euclidean: sqrt(sum (a_j - b_j)^2).
 */
import type { Tensor } from '../data/types';
import type { Metric } from './knn';

/** Per row, 1 / |row| (0 for a zero row): cosine works on the rows scaled by this. */
export function inverseNorms(t: Tensor): Float64Array {
  const { data, n, d } = t;
  const inv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = dotRows(data, i * d, data, i * d, d);
    inv[i] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  return inv;
}

/** Per row, |row|^2. */
export function squaredNorms(t: Tensor): Float64Array {
  const { data, n, d } = t;
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) sq[i] = dotRows(data, i * d, data, i * d, d);
  return sq;
}

/** a . b over d values starting at offsets oa and ob (four running sums, so the adds overlap). */
export function dotRows(a: Float32Array, oa: number, b: Float32Array, ob: number, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    s0 += a[oa + j] * b[ob + j];
    s1 += a[oa + j + 1] * b[ob + j + 1];
    s2 += a[oa + j + 2] * b[ob + j + 2];
    s3 += a[oa + j + 3] * b[ob + j + 3];
  }
  for (; j < d; j++) s0 += a[oa + j] * b[ob + j];
  return s0 + s1 + s2 + s3;
}

/**
 * Exact distances from one row to others: from(i) selects row i, then to(j) is the distance
 * from i to j. Mostly-zero data (MNIST: ~80% zeros) uses compressed rows: only the non-zeros of j
 * are visited (and, for euclidean, those of i that j lacks), with the same terms as the dense sum.
 */
export interface RowDistances {
  from(i: number): void;
  to(j: number): number;
}

/** Above this share of non-zeros the compressed rows stop paying. */
const MAX_SPARSE_DENSITY = 1 / 3;

export function rowDistances(t: Tensor, metric: Metric): RowDistances {
  const { data, n, d } = t;
  let nonZeros = 0;
  for (let p = 0; p < n * d; p++) if (data[p] !== 0) nonZeros++;
  const cosine = metric === 'cosine';
  return nonZeros <= MAX_SPARSE_DENSITY * n * d
    ? sparseDistances(t, nonZeros, cosine)
    : denseDistances(t, cosine);
}

/**
 * Cosine from the dot product and the squared norms. The norms are summed exactly as the dot
 * products are, so a row and its copy (or a positive multiple with exact arithmetic) are at 0.
 */
function cosineDistance(dot: number, ni: number, nj: number): number {
  if (ni === 0 || nj === 0) return 1;
  const c = 1 - dot / Math.sqrt(ni * nj);
  return c < 0 ? 0 : c > 2 ? 2 : c;
}

function denseDistances(t: Tensor, cosine: boolean): RowDistances {
  const { data, d } = t;
  const a = new Float64Array(d);
  // dotRows sums in the same order as to() below.
  const norms = cosine ? squaredNorms(t) : null;
  let si = 0;
  return {
    from(i) {
      for (let j = 0; j < d; j++) a[j] = data[i * d + j];
      si = norms ? norms[i] : 0;
    },
    to(j) {
      const o = j * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let c = 0;
      if (norms) {
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

function sparseDistances(t: Tensor, nonZeros: number, cosine: boolean): RowDistances {
  const { data, n, d } = t;
  const ptr = new Int32Array(n + 1);
  const col = new Int32Array(nonZeros);
  const val = new Float64Array(nonZeros);
  let at = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j];
      if (v !== 0) {
        col[at] = j;
        val[at] = v;
        at++;
      }
    }
    ptr[i + 1] = at;
  }
  // Squared norms summed in the order of to()'s dot products.
  const norms = cosine ? new Float64Array(n) : null;
  if (norms) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = ptr[i]; p < ptr[i + 1]; p++) s += val[p] * val[p];
      norms[i] = s;
    }
  }
  /** Row i scattered densely (zero elsewhere), and for euclidean when each column was last matched. */
  const a = new Float64Array(d);
  const seen = new Int32Array(d).fill(-1);
  let stamp = 0;
  let current = -1;
  let si = 0;
  return {
    from(i) {
      if (current >= 0) for (let p = ptr[current]; p < ptr[current + 1]; p++) a[col[p]] = 0;
      for (let p = ptr[i]; p < ptr[i + 1]; p++) a[col[p]] = val[p];
      current = i;
      si = norms ? norms[i] : 0;
    },
    to(j) {
      const p0 = ptr[j];
      const p1 = ptr[j + 1];
      if (norms) {
        let s = 0;
        for (let p = p0; p < p1; p++) s += a[col[p]] * val[p];
        return cosineDistance(s, si, norms[j]);
      }
      // sum over j's non-zeros of (a - b)^2, plus a^2 over i's non-zeros that j lacks.
      stamp = stamp === 0x7fffffff ? 0 : stamp + 1;
      if (stamp === 0) seen.fill(-1);
      let s = 0;
      for (let p = p0; p < p1; p++) {
        const c = col[p];
        const x = a[c] - val[p];
        s += x * x;
        seen[c] = stamp;
      }
      for (let p = ptr[current]; p < ptr[current + 1]; p++) {
        const c = col[p];
        if (seen[c] !== stamp) s += val[p] * val[p];
      }
      return Math.sqrt(s);
    },
  };
}

/**
 * For each row i, the k candidates of cand[i*K .. (i+1)*K) nearest to data row self[i] (i when
 * self is not given), nearest first, ties by index. Entries < 0, repeats and the row itself are
 * skipped. Every row must have at least k usable candidates.
 */
export function rerank(
  n: number, cand: Int32Array, K: number, k: number, dist: RowDistances,
  onRow?: (i: number) => void, self?: Int32Array,
): { indices: Int32Array; distances: Float32Array } {
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  const ids = new Int32Array(K);
  const ds = new Float64Array(K);
  const order = new Int32Array(K);
  for (let i = 0; i < n; i++) {
    const me = self ? self[i] : i;
    dist.from(me);
    let m = 0;
    for (let c = 0; c < K; c++) {
      const j = cand[i * K + c];
      if (j < 0 || j === me) continue;
      let seen = false;
      for (let e = 0; e < m; e++) if (ids[e] === j) { seen = true; break; }
      if (seen) continue;
      ids[m] = j;
      ds[m] = dist.to(j);
      m++;
    }
    if (m < k) throw new Error(`knn: row ${me} has ${m} candidates, fewer than k = ${k}`);
    sortByDistance(ds, ids, order, m);
    const o = i * k;
    for (let r = 0; r < k; r++) {
      indices[o + r] = ids[order[r]];
      distances[o + r] = ds[order[r]];
    }
    onRow?.(i);
  }
  return { indices, distances };
}

/** Fills order[0..m) with 0..m-1 sorted by (ds, ids) ascending (insertion sort: m is small). */
function sortByDistance(ds: Float64Array, ids: Int32Array, order: Int32Array, m: number): void {
  for (let a = 0; a < m; a++) {
    const dv = ds[a];
    const iv = ids[a];
    let p = a;
    while (p > 0) {
      const q = order[p - 1];
      if (ds[q] < dv || (ds[q] === dv && ids[q] < iv)) break;
      order[p] = q;
      p--;
    }
    order[p] = a;
  }
}
