/**
 * Brute-force neighbours and layout quality measures, for tests, the bench and small data.
 * O(N^2 d): no index, exact. Pure and worker-safe.
 */

export interface ExactNeighbours {
  n: number;
  k: number;
  /** n*k, nearest first, no self; ties broken by the lower index. */
  indices: Int32Array;
  /** n*k euclidean (L2) distances, ascending. */
  distances: Float32Array;
}

/** The k nearest other rows of each row of an n x d row-major matrix, by euclidean distance. */
export function exactNeighbours(data: ArrayLike<number>, n: number, d: number, k: number): ExactNeighbours {
  const kk = Math.max(0, Math.min(k, n - 1));
  const indices = new Int32Array(n * kk);
  const distances = new Float32Array(n * kk);
  if (kk === 0) return { n, k: kk, indices, distances };
  const rows = Float64Array.from({ length: n * d }, (_, e) => data[e]);
  // Max-heap of the best kk so far, keyed by (distance, index).
  const heapD = new Float64Array(kk);
  const heapI = new Int32Array(kk);
  const worse = (da: number, ia: number, db: number, ib: number) => da > db || (da === db && ia > ib);
  for (let i = 0; i < n; i++) {
    let size = 0;
    const oi = i * d;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const oj = j * d;
      let s = 0;
      for (let a = 0; a < d; a++) {
        const v = rows[oi + a] - rows[oj + a];
        s += v * v;
      }
      if (size < kk) {
        // Sift up.
        let c = size++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (!worse(s, j, heapD[p], heapI[p])) break;
          heapD[c] = heapD[p];
          heapI[c] = heapI[p];
          c = p;
        }
        heapD[c] = s;
        heapI[c] = j;
      } else if (worse(heapD[0], heapI[0], s, j)) {
        // Replace the root and sift down.
        let c = 0;
        for (;;) {
          const l = 2 * c + 1;
          if (l >= kk) break;
          const r = l + 1;
          const m = r < kk && worse(heapD[r], heapI[r], heapD[l], heapI[l]) ? r : l;
          if (!worse(heapD[m], heapI[m], s, j)) break;
          heapD[c] = heapD[m];
          heapI[c] = heapI[m];
          c = m;
        }
        heapD[c] = s;
        heapI[c] = j;
      }
    }
    // Pop the heap from worst to best into the row, back to front.
    for (let slot = kk - 1; slot >= 0; slot--) {
      indices[i * kk + slot] = heapI[0];
      distances[i * kk + slot] = Math.sqrt(heapD[0]);
      const lastD = heapD[slot];
      const lastI = heapI[slot];
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= slot) break;
        const r = l + 1;
        const m = r < slot && worse(heapD[r], heapI[r], heapD[l], heapI[l]) ? r : l;
        if (!worse(heapD[m], heapI[m], lastD, lastI)) break;
        heapD[c] = heapD[m];
        heapI[c] = heapI[m];
        c = m;
      }
      heapD[c] = lastD;
      heapI[c] = lastI;
    }
  }
  return { n, k: kk, indices, distances };
}

/**
 * Mean share of each point's k nearest neighbours in the reference (the first k columns of
 * `reference`, a row-major n x referenceK index table) that are also among its k nearest in
 * the layout (n x dim). 1 is perfect; random layouts score about k / n.
 */
export function neighbourPreservation(
  reference: Int32Array,
  referenceK: number,
  layout: ArrayLike<number>,
  n: number,
  dim: number,
  k: number,
): number {
  if (k > referenceK) throw new RangeError(`neighbourPreservation: k ${k} exceeds the reference's ${referenceK}`);
  const layoutNn = exactNeighbours(layout, n, dim, k);
  const kk = layoutNn.k;
  const mark = new Int32Array(n).fill(-1);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < kk; s++) mark[layoutNn.indices[i * kk + s]] = i;
    for (let s = 0; s < kk; s++) if (mark[reference[i * referenceK + s]] === i) kept++;
  }
  return n * kk > 0 ? kept / (n * kk) : 1;
}

/**
 * Leave-one-out k-NN classification accuracy in the layout: the share of points whose label
 * is the most common among their k nearest layout neighbours (a tie goes to the label that reached the count first, nearest first).
 */
export function knnLabelAccuracy(layout: ArrayLike<number>, n: number, dim: number, labels: ArrayLike<number>, k: number): number {
  const nn = exactNeighbours(layout, n, dim, k);
  const votes = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    votes.clear();
    let best = labels[nn.indices[i * nn.k]];
    let bestVotes = 0;
    for (let s = 0; s < nn.k; s++) {
      const label = labels[nn.indices[i * nn.k + s]];
      const v = (votes.get(label) ?? 0) + 1;
      votes.set(label, v);
      if (v > bestVotes) {
        bestVotes = v;
        best = label;
      }
    }
    if (best === labels[i]) correct++;
  }
  return n > 0 ? correct / n : 1;
}
