/**
 * UMAP's fuzzy simplicial set from a precomputed kNN graph (McInnes, Healy & Melville 2018, §3;
 * umap-learn's fuzzy_simplicial_set). Pure and worker-safe: typed arrays only.
 *
 *   rho_i   = distance to the nearest neighbour at a non-zero distance (local connectivity 1)
 *   sigma_i : sum_j exp(-max(0, d_ij - rho_i) / sigma_i) = log2(nNeighbors), by bisection
 *   w_ij    = exp(-max(0, d_ij - rho_i) / sigma_i)                       (directed memberships)
 *   W       = w + w^T - w o w^T                                          (fuzzy union, symmetric)
 *
 * Neighbour counting follows umap-learn and umap-js, whose kNN lists start with the point itself:
 * `nNeighbors` counts the point, so the first nNeighbors - 1 columns of the (self-free) graph are
 * used and the bisection targets log2(nNeighbors). nNeighbors = 15 here is n_neighbors = 15 there.
 * Results depend only on those columns: a graph with more is fine.
 */

/** What the fuzzy set needs of a kNN graph; src/reduce/knn's KnnGraph satisfies it. */
export interface NeighborGraph {
  n: number;
  /** Columns per row. */
  k: number;
  /** n*k neighbour ids, nearest first, the point itself excluded; -1 marks a missing neighbour. */
  indices: Int32Array;
  /** n*k distances, ascending per row. */
  distances: Float32Array;
}

/** A symmetric sparse matrix in compressed rows, column ids ascending within each row. */
export interface FuzzyGraph {
  n: number;
  /** n + 1 offsets into indices/weights. */
  indptr: Int32Array;
  indices: Int32Array;
  /** Membership strengths in (0, 1]. */
  weights: Float64Array;
}

export interface SmoothKnn {
  sigmas: Float64Array;
  rhos: Float64Array;
}

export interface FuzzyOptions {
  /** Neighbours assumed connected at the local level (rho interpolates between them). Default 1. */
  localConnectivity?: number;
  /** 1: fuzzy union (default); 0: fuzzy intersection; between: a mix, as umap-learn. */
  setOpMixRatio?: number;
}

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
const BISECTION_STEPS = 64;

/**
 * The neighbourhood size actually used, counting the point itself: nNeighbors, or n when the
 * graph already holds every other point and nNeighbors exceeds that (as umap-learn truncates
 * n_neighbors on tiny data). Checks the graph's shape.
 */
export function effectiveNeighbors(graph: NeighborGraph, nNeighbors: number): number {
  if (!Number.isInteger(nNeighbors) || nNeighbors < 2) {
    throw new RangeError(`umap: nNeighbors must be an integer >= 2, got ${nNeighbors}`);
  }
  if (graph.indices.length < graph.n * graph.k || graph.distances.length < graph.n * graph.k) {
    throw new RangeError(`umap: the kNN graph's arrays are shorter than n*k = ${graph.n * graph.k}`);
  }
  if (graph.k >= nNeighbors - 1) return nNeighbors;
  if (graph.k >= graph.n - 1) return Math.max(1, graph.n);
  throw new RangeError(`umap: nNeighbors = ${nNeighbors} needs a kNN graph with k >= ${nNeighbors - 1}, got k = ${graph.k}`);
}

/**
 * Per point rho (distance to the nearest non-coincident neighbour) and sigma (the bandwidth that
 * makes the fuzzy set's cardinality log2(nNeighbors)), as umap-learn's smooth_knn_dist with the
 * point itself at distance 0 in front of the first `cols` graph columns.
 */
export function smoothKnnDistances(graph: NeighborGraph, neighbors: number, localConnectivity = 1): SmoothKnn {
  const nNeighbors = effectiveNeighbors(graph, neighbors);
  const cols = nNeighbors - 1;
  const { n, k, distances, indices } = graph;
  const target = Math.log2(nNeighbors);
  const sigmas = new Float64Array(n);
  const rhos = new Float64Array(n);
  const row = new Float64Array(cols);

  // The mean of all distances (the self zeros included), for points whose neighbours all coincide.
  let globalMean = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) if (indices[i * k + j] >= 0) s += distances[i * k + j];
    globalMean += s / nNeighbors;
  }
  globalMean /= Math.max(1, n);

  for (let i = 0; i < n; i++) {
    // Valid neighbours of row i (missing ones, -1, are dropped like umap-learn's non-finite ones).
    let m = 0;
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      if (indices[i * k + j] < 0) continue;
      const d = distances[i * k + j];
      row[m++] = d;
      sum += d;
    }

    // rho: the localConnectivity-th non-zero distance, interpolated.
    let rho = 0;
    let nonZero = 0;
    for (let j = 0; j < m; j++) if (row[j] > 0) nonZero++;
    if (nonZero >= localConnectivity) {
      const index = Math.floor(localConnectivity);
      const interpolation = localConnectivity - index;
      const nz = (t: number): number => {
        for (let j = 0, c = 0; j < m; j++) if (row[j] > 0 && c++ === t) return row[j];
        return 0;
      };
      if (index > 0) {
        rho = nz(index - 1);
        if (interpolation > SMOOTH_K_TOLERANCE) rho += interpolation * (nz(index) - rho);
      } else {
        rho = interpolation * nz(0);
      }
    } else if (nonZero > 0) {
      for (let j = 0; j < m; j++) if (row[j] > rho) rho = row[j];
    }

    // sigma by bisection (doubling while unbounded above).
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < BISECTION_STEPS; it++) {
      let psum = 0;
      for (let j = 0; j < m; j++) {
        const d = row[j] - rho;
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }

    // Keep sigma off zero: a floor at 1e-3 of the mean neighbour distance.
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? sum / nNeighbors : globalMean);
    sigmas[i] = mid < floor ? floor : mid;
    rhos[i] = rho;
  }
  return { sigmas, rhos };
}

/**
 * The symmetric fuzzy graph W of the first nNeighbors - 1 columns of the kNN graph (see the file
 * comment). Zero memberships and missing neighbours (-1) are left out.
 */
export function fuzzySimplicialSet(graph: NeighborGraph, nNeighbors: number, opts: FuzzyOptions = {}): FuzzyGraph {
  const cols = effectiveNeighbors(graph, nNeighbors) - 1;
  const mix = opts.setOpMixRatio ?? 1;
  if (!(mix >= 0 && mix <= 1)) throw new RangeError(`umap: setOpMixRatio must be in [0, 1], got ${mix}`);
  const { n, k, indices, distances } = graph;
  const { sigmas, rhos } = smoothKnnDistances(graph, nNeighbors, opts.localConnectivity ?? 1);

  // Directed memberships, and each entry mirrored: rows of (w + w^T) before merging duplicates.
  const degree = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) {
      const c = indices[i * k + j];
      if (c < 0 || c === i) continue;
      if (c >= n) throw new RangeError(`umap: neighbour id ${c} out of range (n = ${n})`);
      degree[i + 1]++;
      degree[c + 1]++;
    }
  }
  for (let i = 0; i < n; i++) degree[i + 1] += degree[i];
  const total = degree[n];
  const rawCols = new Int32Array(total);
  const rawVals = new Float64Array(total);
  // 1 marks a value from w (row i's own list), 0 one from w^T.
  const rawOwn = new Uint8Array(total);
  const fill = degree.slice(0, n);
  for (let i = 0; i < n; i++) {
    const rho = rhos[i];
    const sigma = sigmas[i];
    for (let j = 0; j < cols; j++) {
      const c = indices[i * k + j];
      if (c < 0 || c === i) continue;
      const d = distances[i * k + j] - rho;
      const w = d <= 0 || sigma === 0 ? 1 : Math.exp(-(d / sigma));
      let at = fill[i]++;
      rawCols[at] = c;
      rawVals[at] = w;
      rawOwn[at] = 1;
      at = fill[c]++;
      rawCols[at] = i;
      rawVals[at] = w;
      rawOwn[at] = 0;
    }
  }

  // Per row: sort by column, merge (i, c) from w with (i, c) from w^T.
  const indptr = new Int32Array(n + 1);
  const outCols = new Int32Array(total);
  const outVals = new Float64Array(total);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const start = degree[i];
    const end = degree[i + 1];
    sortSegment(rawCols, rawVals, rawOwn, start, end);
    for (let p = start; p < end; ) {
      const c = rawCols[p];
      let own = 0;
      let other = 0;
      // Duplicate neighbour ids in a row would give more than one of each; keep the largest.
      while (p < end && rawCols[p] === c) {
        if (rawOwn[p]) own = Math.max(own, rawVals[p]);
        else other = Math.max(other, rawVals[p]);
        p++;
      }
      const prod = own * other;
      const v = mix * (own + other - prod) + (1 - mix) * prod;
      if (v > 0) {
        outCols[nnz] = c;
        outVals[nnz] = v;
        nnz++;
      }
    }
    indptr[i + 1] = nnz;
  }
  return { n, indptr, indices: outCols.slice(0, nnz), weights: outVals.slice(0, nnz) };
}

/** Sorts a row segment by column id, the two payloads moved alongside (stable). */
function sortSegment(cols: Int32Array, vals: Float64Array, own: Uint8Array, start: number, end: number): void {
  const len = end - start;
  if (len > 64) {
    // A hub (a neighbour of many points): sort packed keys column * len + offset, then permute.
    const keys = new Float64Array(len);
    for (let p = 0; p < len; p++) keys[p] = cols[start + p] * len + p;
    keys.sort();
    const c2 = cols.slice(start, end);
    const v2 = vals.slice(start, end);
    const o2 = own.slice(start, end);
    for (let p = 0; p < len; p++) {
      const from = keys[p] % len;
      cols[start + p] = c2[from];
      vals[start + p] = v2[from];
      own[start + p] = o2[from];
    }
    return;
  }
  for (let p = start + 1; p < end; p++) {
    const c = cols[p];
    const v = vals[p];
    const o = own[p];
    let q = p - 1;
    while (q >= start && cols[q] > c) {
      cols[q + 1] = cols[q];
      vals[q + 1] = vals[q];
      own[q + 1] = own[q];
      q--;
    }
    cols[q + 1] = c;
    vals[q + 1] = v;
    own[q + 1] = o;
  }
}
