/**
 * t-SNE input affinities P from a k-nearest-neighbour graph, as a sparse symmetric matrix in
 * compressed rows (CSR). Pure and worker-safe: typed arrays only, no DOM.
 *
 *   1. Per point i, over its first K = min(k, floor(3 * perplexity)) neighbours: binary search
 *      for the Gaussian precision beta_i so that the entropy of
 *      p_{j|i} = exp(-beta_i d_ij) / sum_l exp(-beta_i d_il) equals log(perplexity).
 *      d_ij is the squared L2 distance for 'euclidean' graphs and 1 - cos for 'cosine' ones
 *      (for unit vectors |a - b|^2 = 2 (1 - cos), and the calibration absorbs the factor 2, so
 *      cosine acts as euclidean on normalised vectors).
 *   2. P = (P_cond + P_cond^T) / (2N): entries present in either direction, summed.
 *
 * A perplexity of K or more cannot be reached over K neighbours: such rows become uniform.
 */

/**
 * The fields of the kNN graph t-SNE reads. Structurally the `KnnGraph` of ../knn/knn, so one can be
 * passed as is: indices are n*k (nearest first, no self; entries outside 0..n-1 are skipped),
 * distances n*k ascending (cosine: 1 - cos; euclidean: L2).
 */
export interface NeighbourGraph {
  n: number;
  k: number;
  metric: 'cosine' | 'euclidean';
  indices: Int32Array;
  distances: Float32Array;
}

/** Symmetric joint probabilities in compressed rows; the values sum to 1 (0 without edges). */
export interface SparseAffinities {
  n: number;
  /** n + 1 offsets: row i is entries rowPtr[i] .. rowPtr[i+1]. */
  rowPtr: Int32Array;
  /** Column of each entry (never the row itself). Both (i, j) and (j, i) are stored. */
  cols: Int32Array;
  /** p_ij of each entry. */
  vals: Float32Array;
}

/**
 * P's entries above the diagonal (column > row): each pair once, as upperTriangle(P) lists them.
 * What t-SNE keeps; built straight from the conditionals, P's lower half is never made.
 */
export interface UpperAffinities extends SparseAffinities {
  readonly upper: true;
}

export interface AffinityOptions {
  /** Entropy tolerance of the binary search, in nats. Default 1e-5. */
  tolerance?: number;
  /** Most search steps (Newton or bisection) per point. Default 100. */
  maxSteps?: number;
}

/** Neighbours per point the calibration uses: K = min(k, floor(3 * perplexity)), at least 1. */
export function affinityNeighbours(k: number, perplexity: number): number {
  return Math.max(1, Math.min(k, Math.floor(3 * perplexity)));
}

export function tsneAffinities(graph: NeighbourGraph, perplexity: number, opts: AffinityOptions = {}): SparseAffinities {
  const c = conditionals(graph, perplexity, opts);
  c.calibrate(c.firstOpen, graph.n);
  return c.symmetrize();
}

/** upperTriangle(tsneAffinities(graph, perplexity)), entry for entry, without P's lower half. */
export function tsneUpperAffinities(graph: NeighbourGraph, perplexity: number, opts: AffinityOptions = {}): UpperAffinities {
  const c = conditionals(graph, perplexity, opts);
  c.calibrate(c.firstOpen, graph.n);
  return c.upper();
}

/**
 * The conditional p_{j|i} of t-SNE's affinities, row by row, then P: what tsneAffinities runs,
 * cut so that threads can share the rows (./affinity-pool). Made, it has calibrated the first
 * rows, up to the one that found the precision every later row's search starts from (in units of
 * its spread: rows of one dataset need similar ones); calibrate(from, to) then does rows
 * [from, to) >= firstOpen, each independent of the others, into condCols / condVals.
 */
export interface Conditionals {
  /** n x K: the neighbour of each slot (-1: none), and p_{j|i}. */
  condCols: Int32Array;
  condVals: Float64Array;
  /** The first row still to calibrate, and the precision the later rows start from. */
  firstOpen: number;
  start: number;
  calibrate(from: number, to: number): void;
  symmetrize(): SparseAffinities;
  /** upperTriangle(symmetrize()), entry for entry. */
  upper(): UpperAffinities;
}

export function conditionals(
  graph: NeighbourGraph, perplexity: number, opts: AffinityOptions = {},
  shared?: { condCols: Int32Array; condVals: Float64Array },
  /** Another thread's firstOpen and start: the first rows are calibrated already. */
  known?: { firstOpen: number; start: number },
): Conditionals {
  const { n, k, indices, distances } = graph;
  if (!(perplexity > 0) || !Number.isFinite(perplexity)) throw new RangeError(`t-SNE: perplexity must be positive, got ${perplexity}`);
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k) || k < 0) throw new RangeError(`t-SNE: bad graph shape ${n} x ${k}`);
  if (indices.length < n * k || distances.length < n * k) {
    throw new RangeError(`t-SNE: graph arrays hold ${indices.length} / ${distances.length} entries, expected ${n * k}`);
  }
  const K = k === 0 ? 0 : affinityNeighbours(k, perplexity);
  const squared = graph.metric === 'euclidean';
  const tolerance = opts.tolerance ?? 1e-5;
  const maxSteps = opts.maxSteps ?? 100;
  const targetEntropy = Math.log(perplexity);
  // Slot col -1 marks a skipped neighbour.
  const condCols = shared?.condCols ?? new Int32Array(n * K);
  const condVals = shared?.condVals ?? new Float64Array(n * K);
  const d = new Float64Array(K);
  const w = new Float64Array(K);
  /** Row i's conditionals from `from`; the precision found (0: none, or a uniform row). */
  const row = (i: number, from: number): number => {
    condCols.fill(-1, i * K, (i + 1) * K);
    let m = 0;
    for (let s = 0; s < K; s++) {
      const j = indices[i * k + s];
      const dist = distances[i * k + s];
      if (j < 0 || j >= n || j === i || !Number.isFinite(dist)) continue;
      condCols[i * K + m] = j;
      d[m++] = squared ? dist * dist : dist;
    }
    if (m === 0) return 0;
    const found = calibrateRow(d, m, targetEntropy, tolerance, maxSteps, w, from);
    condVals.set(w.subarray(0, m), i * K);
    return found;
  };
  let start = known?.start ?? 0;
  let firstOpen = known?.firstOpen ?? 0;
  if (!known) while (firstOpen < n && start === 0) start = row(firstOpen++, 1);
  return {
    condCols, condVals, firstOpen, start,
    calibrate(from, to) {
      for (let i = Math.max(from, firstOpen); i < to; i++) row(i, start || 1);
    },
    symmetrize: () => symmetrize(n, K, condCols, condVals),
    upper: () => symmetrizeUpper(n, K, condCols, condVals),
  };
}

/** P = (P_cond + P_cond^T) / (2 N) from the conditionals, rows of K slots (col -1: none). */
function symmetrize(n: number, K: number, condCols: Int32Array, condVals: Float64Array): SparseAffinities {
  return merged(n, unmergedRows(n, K, condCols, condVals, false));
}

/**
 * symmetrize's P above the diagonal, entry for entry as upperTriangle lists it. Each slot (i, j)
 * lands in row min(i, j): row r's own slots to a later point in slot order, then the slots of later
 * points that list r, by point; that is the order in which those columns first appear in P's row r
 * (the slots of earlier points that list r fall below the diagonal), and a pair listed both ways
 * sums its own slot first, as symmetrize does.
 */
function symmetrizeUpper(n: number, K: number, condCols: Int32Array, condVals: Float64Array): UpperAffinities {
  return { ...merged(n, unmergedRows(n, K, condCols, condVals, true)), upper: true };
}

interface Unmerged {
  rawPtr: Int32Array;
  rawCols: Int32Array;
  rawVals: Float64Array;
  /** Points with at least one neighbour. */
  rowsWithEdges: number;
}

/**
 * Every slot (i, j) as an entry of row i (column j) and of row j (column i), placed point by point
 * in slot order; with `upper`, only the one of the two above the diagonal.
 */
function unmergedRows(n: number, K: number, condCols: Int32Array, condVals: Float64Array, upper: boolean): Unmerged {
  const count = new Int32Array(n);
  let rowsWithEdges = 0;
  for (let i = 0; i < n; i++) {
    if (K > 0 && condCols[i * K] >= 0) rowsWithEdges++;
    for (let s = 0; s < K; s++) {
      const j = condCols[i * K + s];
      if (j < 0) break;
      if (upper) {
        count[j > i ? i : j]++;
      } else {
        count[i]++;
        count[j]++;
      }
    }
  }
  const rawPtr = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) rawPtr[r + 1] = rawPtr[r] + count[r];
  const rawCols = new Int32Array(rawPtr[n]);
  const rawVals = new Float64Array(rawPtr[n]);
  const fill = rawPtr.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < K; s++) {
      const j = condCols[i * K + s];
      if (j < 0) break;
      const p = condVals[i * K + s];
      if (!upper || j > i) {
        rawCols[fill[i]] = j;
        rawVals[fill[i]++] = p;
      }
      if (!upper || j < i) {
        rawCols[fill[j]] = i;
        rawVals[fill[j]++] = p;
      }
    }
  }
  return { rawPtr, rawCols, rawVals, rowsWithEdges };
}

/**
 * The unmerged rows with each row's repeated columns summed, in the order they first appear, then
 * scaled: each non-empty conditional row sums to 1 and is counted twice, so the total is
 * 2 * rowsWithEdges (2N normally).
 */
function merged(n: number, { rawPtr, rawCols, rawVals, rowsWithEdges }: Unmerged): SparseAffinities {
  // `slot[j]` is j's entry in the current output row.
  const slot = new Int32Array(n).fill(-1);
  const rowPtr = new Int32Array(n + 1);
  const outCols = new Int32Array(rawPtr[n]);
  const outVals = new Float64Array(rawPtr[n]);
  let nnz = 0;
  for (let r = 0; r < n; r++) {
    const rowStart = nnz;
    for (let e = rawPtr[r]; e < rawPtr[r + 1]; e++) {
      const j = rawCols[e];
      const at = slot[j];
      if (at >= rowStart) {
        outVals[at] += rawVals[e];
      } else {
        slot[j] = nnz;
        outCols[nnz] = j;
        outVals[nnz++] = rawVals[e];
      }
    }
    rowPtr[r + 1] = nnz;
  }
  const scale = rowsWithEdges > 0 ? 1 / (2 * rowsWithEdges) : 0;
  const vals = new Float32Array(nnz);
  for (let e = 0; e < nnz; e++) vals[e] = outVals[e] * scale;
  return { n, rowPtr, cols: outCols.slice(0, nnz), vals };
}

/**
 * Writes the conditional probabilities of one point over its m neighbour distances d[0..m) into
 * out[0..m), with the precision set so that their entropy (nats) is `targetEntropy`.
 * The precision is searched in units of the row's mean spread above its nearest distance, from
 * `start`; returns the one found in those units (0 for a row made uniform), a good start for
 * similar rows.
 */
export function calibrateRow(
  d: Float64Array,
  m: number,
  targetEntropy: number,
  tolerance: number,
  maxSteps: number,
  out: Float64Array,
  start = 1,
): number {
  // Shift by the nearest and scale by the mean spread: p is unchanged, beta starts near its answer.
  let dMin = Infinity;
  for (let s = 0; s < m; s++) if (d[s] < dMin) dMin = d[s];
  let spread = 0;
  for (let s = 0; s < m; s++) spread += d[s] - dMin;
  spread /= m;
  if (!(spread > 0) || targetEntropy >= Math.log(m) - 1e-12) {
    out.fill(1 / m, 0, m);
    return 0;
  }
  const inv = 1 / spread;
  // Safeguarded Newton on beta: H(beta) = log S + beta E[x] falls with dH/dbeta = -beta Var[x];
  // a step that leaves the bracket [lo, hi] is replaced by doubling or bisection.
  let beta = start;
  let lo = 0;
  let hi = Infinity;
  let sum = 0;
  let fresh = false;
  for (let step = 0; step < maxSteps; step++) {
    sum = 0;
    let sumXW = 0;
    let sumXXW = 0;
    for (let s = 0; s < m; s++) {
      const x = (d[s] - dMin) * inv;
      const wv = Math.exp(-beta * x);
      out[s] = wv;
      sum += wv;
      sumXW += x * wv;
      sumXXW += x * x * wv;
    }
    const mean = sumXW / sum;
    const entropy = Math.log(sum) + beta * mean;
    const diff = entropy - targetEntropy;
    if (Math.abs(diff) < tolerance) {
      fresh = true;
      break;
    }
    if (diff > 0) lo = beta;
    else hi = beta;
    const variance = sumXXW / sum - mean * mean;
    let next = variance > 0 ? beta + diff / (beta * variance) : NaN;
    if (!(next > lo && next < hi)) next = hi === Infinity ? beta * 2 : (lo + hi) / 2;
    beta = next;
  }
  if (!fresh) {
    // Out of steps: beta moved after the last evaluation, so weigh again with the returned beta.
    sum = 0;
    for (let s = 0; s < m; s++) {
      const wv = Math.exp(-beta * (d[s] - dMin) * inv);
      out[s] = wv;
      sum += wv;
    }
  }
  for (let s = 0; s < m; s++) out[s] /= sum;
  return beta;
}

/**
 * The entries of P above the diagonal (column > row), same layout: each pair once, for kernels
 * that apply a symmetric interaction to both ends.
 */
export function upperTriangle(P: SparseAffinities): SparseAffinities {
  const { n, rowPtr, cols, vals } = P;
  const upPtr = new Int32Array(n + 1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) if (cols[e] > i) count++;
    upPtr[i + 1] = count;
  }
  const upCols = new Int32Array(count);
  const upVals = new Float32Array(count);
  count = 0;
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      if (cols[e] <= i) continue;
      upCols[count] = cols[e];
      upVals[count++] = vals[e];
    }
  }
  return { n, rowPtr: upPtr, cols: upCols, vals: upVals };
}
