/**
 * Bench-only exact nearest neighbours: the fallback graph for the UMAP bench while no
 * src/reduce/knn is passed in, and the ground truth of the neighbour-preservation measure.
 * Euclidean, the point itself excluded, ties by index. O(n^2 d): for benches, not the app.
 */
import type { Tensor } from '../src/data/types';
import type { NeighborGraph } from '../src/reduce/umap-graph';

/** Keeps each row's k smallest (distance, id) pairs, sorted, in flat typed arrays. */
class TopK {
  readonly ids: Int32Array;
  readonly d2: Float64Array;
  constructor(readonly n: number, readonly k: number) {
    this.ids = new Int32Array(n * k).fill(-1);
    this.d2 = new Float64Array(n * k).fill(Infinity);
  }
  offer(i: number, j: number, d: number): void {
    const k = this.k;
    const o = i * k;
    const d2 = this.d2;
    if (d >= d2[o + k - 1]) return;
    let p = o + k - 1;
    while (p > o && d2[p - 1] > d) {
      d2[p] = d2[p - 1];
      this.ids[p] = this.ids[p - 1];
      p--;
    }
    d2[p] = d;
    this.ids[p] = j;
  }
  graph(): NeighborGraph {
    const distances = new Float32Array(this.n * this.k);
    for (let p = 0; p < distances.length; p++) distances[p] = Math.sqrt(Math.max(0, this.d2[p]));
    return { n: this.n, k: this.k, indices: this.ids, distances };
  }
}

/**
 * Exact kNN of dense rows by ||x||^2 + ||y||^2 - 2 x.y, each pair computed once. Rows with
 * equal distances keep the lower id first (pairs are visited in id order).
 */
export function bruteForceKnn(t: Tensor, k: number, rows?: ArrayLike<number>): NeighborGraph {
  const { data, d } = t;
  const ids = rows ?? Array.from({ length: t.n }, (_, i) => i);
  const n = ids.length;
  const X = new Float64Array(n * d);
  const norms = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    let s = 0;
    for (let c = 0; c < d; c++) {
      const v = data[ids[a] * d + c];
      X[a * d + c] = v;
      s += v * v;
    }
    norms[a] = s;
  }
  const top = new TopK(n, Math.min(k, n - 1));
  for (let a = 0; a < n; a++) {
    const ao = a * d;
    const na = norms[a];
    for (let b = a + 1; b < n; b++) {
      const bo = b * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let c = 0;
      for (; c + 4 <= d; c += 4) {
        s0 += X[ao + c] * X[bo + c];
        s1 += X[ao + c + 1] * X[bo + c + 1];
        s2 += X[ao + c + 2] * X[bo + c + 2];
        s3 += X[ao + c + 3] * X[bo + c + 3];
      }
      for (; c < d; c++) s0 += X[ao + c] * X[bo + c];
      const dist = na + norms[b] - 2 * (s0 + s1 + s2 + s3);
      top.offer(a, b, dist);
      top.offer(b, a, dist);
    }
  }
  const g = top.graph();
  if (rows) for (let p = 0; p < g.indices.length; p++) if (g.indices[p] >= 0) g.indices[p] = ids[g.indices[p]];
  return g;
}

/**
 * Exact kNN of mostly-zero rows (MNIST pixels): each pair's dot product runs over one row's
 * non-zeros against the other scattered densely. Distances are exact up to rounding.
 */
export function sparseBruteForceKnn(t: Tensor, k: number): NeighborGraph {
  const { data, n, d } = t;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let j = 0; j < d; j++) if (data[i * d + j] !== 0) c++;
    start[i + 1] = start[i] + c;
  }
  const cols = new Int32Array(start[n]);
  const vals = new Float64Array(start[n]);
  const norms = new Float64Array(n);
  for (let i = 0, p = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j];
      if (v === 0) continue;
      cols[p] = j;
      vals[p++] = v;
      norms[i] += v * v;
    }
  }
  const top = new TopK(n, Math.min(k, n - 1));
  const dense = new Float64Array(d);
  for (let a = 0; a < n; a++) {
    dense.fill(0);
    for (let p = start[a]; p < start[a + 1]; p++) dense[cols[p]] = vals[p];
    const na = norms[a];
    for (let b = a + 1; b < n; b++) {
      let s = 0;
      for (let p = start[b], e = start[b + 1]; p < e; p++) s += vals[p] * dense[cols[p]];
      const dist = na + norms[b] - 2 * s;
      top.offer(a, b, dist);
      top.offer(b, a, dist);
    }
  }
  return top.graph();
}

/**
 * Mean share of each point's `k` nearest neighbours in `truth` (a graph with >= k columns) that
 * are among its k nearest in the layout (exact, n x dim).
 */
export function neighbourPreservation(truth: NeighborGraph, layout: Float32Array, dim: number, k: number): number {
  const n = truth.n;
  const g = bruteForceKnn({ data: layout, n, d: dim }, k);
  let kept = 0;
  const mark = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) mark[truth.indices[i * truth.k + r]] = i;
    for (let r = 0; r < k; r++) if (mark[g.indices[i * k + r]] === i) kept++;
  }
  return kept / (n * k);
}

/** Share of points whose k nearest layout neighbours' majority label is their own. */
export function labelKnnAccuracy(layout: Float32Array, dim: number, labels: ArrayLike<string | number>, k = 10): number {
  const n = labels.length;
  const g = bruteForceKnn({ data: layout, n, d: dim }, k);
  let right = 0;
  const votes = new Map<string | number, number>();
  for (let i = 0; i < n; i++) {
    votes.clear();
    let best: string | number | null = null;
    let most = 0;
    for (let r = 0; r < k; r++) {
      const l = labels[g.indices[i * k + r]];
      const c = (votes.get(l) ?? 0) + 1;
      votes.set(l, c);
      if (c > most) [best, most] = [l, c];
    }
    if (best === labels[i]) right++;
  }
  return right / n;
}
