/**
 * Approximate k nearest neighbours by NN-descent (Dong, Moses & Li 2011) started from
 * random-projection tree leaves, in the style of PyNNDescent. Pure and worker-safe.
 *
 * Works on a dense Float64 matrix X (n x m, m small: the reduced search space) with squared
 * euclidean distances. Each row keeps a bounded max-heap of K candidates with a "new" flag. Every
 * iteration samples (by random priority) up to maxCandidates new and old neighbours per row,
 * forward and reverse, and compares new-new and new-old pairs of each row's sample: a neighbour
 * of my neighbour is likely my neighbour. It stops when an iteration changes fewer than
 * delta * K * n heap entries, or after maxIterations. Single-threaded with a seeded generator, so
 * the result depends only on the input and the seed.
 */
import type { Random } from './random';
import { forEachLeaf } from './rp-trees';

export interface DescentOptions {
  /** Neighbours kept per row (<= n - 1). */
  K: number;
  /** Candidates sampled per row and iteration, for new and for old ones each. */
  maxCandidates: number;
  maxIterations: number;
  /** Stop once an iteration updates at most delta * K * n heap entries. */
  delta: number;
  nTrees: number;
  leafSize: number;
  rng: Random;
  /** Called with the fraction done, increasing. */
  report?: (fraction: number) => void;
}

export interface DescentResult {
  /** n x K candidate neighbours per row (unordered; never the row itself). */
  indices: Int32Array;
  /** Iterations of the descent run. */
  iterations: number;
  /** Wall time of the tree initialisation (and random fill), ms. */
  treesMs: number;
}

export function nnDescent(X: Float64Array, n: number, m: number, o: DescentOptions): DescentResult {
  const { K, rng } = o;
  const report = o.report ?? (() => {});
  const heap = newHeap(n, K);
  const t0 = performance.now();

  // 1. Leaves of random-projection trees: every pair in a leaf is a candidate.
  let treesDone = 0;
  forEachLeaf(X, n, m, o.nTrees, o.leafSize, rng, (perm, start, end) => {
    for (let a = start; a < end; a++) {
      const p = perm[a];
      for (let b = a + 1; b < end; b++) {
        const q = perm[b];
        const key = Math.fround(squaredDistance(X, p * m, q * m, m));
        if (key < heap.dist[p * K]) push(heap, p * K, K, key, q, 1);
        if (key < heap.dist[q * K]) push(heap, q * K, K, key, p, 1);
      }
    }
    if (end === n) report((0.2 * ++treesDone) / o.nTrees);
  });

  // 2. Rows whose heap is not yet full get random points.
  for (let i = 0; i < n; i++) fillRandom(X, m, heap, i, n, K, rng);
  report(0.2);
  const treesMs = performance.now() - t0;

  // 3. NN-descent iterations.
  const C = o.maxCandidates;
  const newIdx = new Int32Array(n * C);
  const newPri = new Float32Array(n * C);
  const oldIdx = new Int32Array(n * C);
  const oldPri = new Float32Array(n * C);
  let iterations = 0;
  for (let it = 0; it < o.maxIterations; it++) {
    buildCandidates(heap, n, K, C, rng, newIdx, newPri, oldIdx, oldPri);
    const updates = localJoin(X, m, heap, n, K, C, newIdx, oldIdx);
    iterations++;
    report(0.2 + (0.8 * iterations) / o.maxIterations);
    if (updates <= o.delta * K * n) break;
  }
  report(1);
  return { indices: heap.idx, iterations, treesMs };
}

interface Heap {
  /** n x K keys (squared distances), root of each row = the largest. Empty slots: Infinity. */
  dist: Float32Array;
  /** n x K neighbours; -1 in empty slots. */
  idx: Int32Array;
  /** n x K: 1 while the entry has not yet taken part in a local join. */
  flag: Uint8Array;
}

function newHeap(n: number, K: number): Heap {
  return {
    dist: new Float32Array(n * K).fill(Infinity),
    idx: new Int32Array(n * K).fill(-1),
    flag: new Uint8Array(n * K),
  };
}

function squaredDistance(X: Float64Array, a: number, b: number, m: number): number {
  let s0 = 0, s1 = 0;
  let j = 0;
  for (; j + 2 <= m; j += 2) {
    const x0 = X[a + j] - X[b + j];
    const x1 = X[a + j + 1] - X[b + j + 1];
    s0 += x0 * x0;
    s1 += x1 * x1;
  }
  if (j < m) {
    const x = X[a + j] - X[b + j];
    s0 += x * x;
  }
  return s0 + s1;
}

/**
 * Squared distance, abandoned (returning a value >= bound) as soon as a partial sum over the
 * leading coordinates reaches bound. The search space puts the widest-spread coordinates first.
 */
function boundedSquaredDistance(X: Float64Array, a: number, b: number, m: number, bound: number): number {
  let s = 0;
  let j = 0;
  while (j + 8 <= m) {
    const x0 = X[a + j] - X[b + j];
    const x1 = X[a + j + 1] - X[b + j + 1];
    const x2 = X[a + j + 2] - X[b + j + 2];
    const x3 = X[a + j + 3] - X[b + j + 3];
    const x4 = X[a + j + 4] - X[b + j + 4];
    const x5 = X[a + j + 5] - X[b + j + 5];
    const x6 = X[a + j + 6] - X[b + j + 6];
    const x7 = X[a + j + 7] - X[b + j + 7];
    s += (x0 * x0 + x1 * x1) + (x2 * x2 + x3 * x3) + ((x4 * x4 + x5 * x5) + (x6 * x6 + x7 * x7));
    j += 8;
    if (s >= bound) return s;
  }
  for (; j < m; j++) {
    const x = X[a + j] - X[b + j];
    s += x * x;
  }
  return s;
}

/**
 * Offers (key, j) to the row heap at base; returns 1 when it was taken (key below the root and j
 * not already there), else 0. key must already be a float32 value.
 */
function push(h: Heap, base: number, K: number, key: number, j: number, flag: number): number {
  const dist = h.dist;
  const idx = h.idx;
  const flags = h.flag;
  if (!(key < dist[base])) return 0;
  for (let c = base; c < base + K; c++) if (idx[c] === j) return 0;
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= K) break;
    let c = l;
    if (l + 1 < K && dist[base + l + 1] > dist[base + l]) c = l + 1;
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
  return 1;
}

/** Tops up row i's heap with random other rows (a sweep from a random start if draws keep missing). */
function fillRandom(X: Float64Array, m: number, h: Heap, i: number, n: number, K: number, rng: Random): void {
  const base = i * K;
  const offer = (j: number) => {
    if (j !== i) push(h, base, K, Math.fround(squaredDistance(X, i * m, j * m, m)), j, 1);
  };
  for (let tries = 0; h.idx[base] < 0 && tries < 4 * K; tries++) offer(Math.floor(rng.next() * n));
  if (h.idx[base] < 0) {
    const from = Math.floor(rng.next() * n);
    for (let s = 0; s < n && h.idx[base] < 0; s++) offer((from + s) % n);
  }
}

/**
 * Samples, per row, up to C new and C old neighbours (its own and reverse ones) by random
 * priority, then clears the "new" flag of the row's own new neighbours that were sampled.
 */
function buildCandidates(
  h: Heap, n: number, K: number, C: number, rng: Random,
  newIdx: Int32Array, newPri: Float32Array, oldIdx: Int32Array, oldPri: Float32Array,
): void {
  newIdx.fill(-1);
  oldIdx.fill(-1);
  newPri.fill(Infinity);
  oldPri.fill(Infinity);
  const { idx, flag } = h;
  for (let i = 0; i < n; i++) {
    const base = i * K;
    for (let c = base; c < base + K; c++) {
      const j = idx[c];
      if (j < 0) continue;
      const pri = Math.fround(rng.next());
      if (flag[c]) {
        pushCandidate(newIdx, newPri, i * C, C, pri, j);
        pushCandidate(newIdx, newPri, j * C, C, pri, i);
      } else {
        pushCandidate(oldIdx, oldPri, i * C, C, pri, j);
        pushCandidate(oldIdx, oldPri, j * C, C, pri, i);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const base = i * K;
    const cb = i * C;
    for (let c = base; c < base + K; c++) {
      if (!flag[c]) continue;
      const j = idx[c];
      for (let e = cb; e < cb + C; e++) {
        if (newIdx[e] === j) {
          flag[c] = 0;
          break;
        }
      }
    }
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

/** Offers p and q to each other's heaps; returns the updates made (0 to 2). */
function tryPair(X: Float64Array, m: number, h: Heap, K: number, p: number, q: number): number {
  const dist = h.dist;
  const pb = p * K;
  const qb = q * K;
  const dp = dist[pb];
  const dq = dist[qb];
  const key = Math.fround(boundedSquaredDistance(X, p * m, q * m, m, dp > dq ? dp : dq));
  let updates = 0;
  if (key < dp) updates += push(h, pb, K, key, q, 1);
  if (key < dq) updates += push(h, qb, K, key, p, 1);
  return updates;
}

/** Compares the new-new and new-old pairs of each row's sample; returns the heap updates made. */
function localJoin(
  X: Float64Array, m: number, h: Heap, n: number, K: number, C: number,
  newIdx: Int32Array, oldIdx: Int32Array,
): number {
  let updates = 0;
  for (let i = 0; i < n; i++) {
    const cb = i * C;
    for (let a = cb; a < cb + C; a++) {
      const p = newIdx[a];
      if (p < 0) continue;
      for (let b = a + 1; b < cb + C; b++) {
        const q = newIdx[b];
        if (q < 0) continue;
        updates += tryPair(X, m, h, K, p, q);
      }
      for (let b = cb; b < cb + C; b++) {
        const q = oldIdx[b];
        if (q < 0 || q === p) continue;
        updates += tryPair(X, m, h, K, p, q);
      }
    }
  }
  return updates;
}
