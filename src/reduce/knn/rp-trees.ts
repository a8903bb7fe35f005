/**
 * Random-projection trees (Dasgupta & Freund 2008, as used by Annoy and PyNNDescent) for the
 * initial neighbour candidates of NN-descent. Pure and worker-safe: typed arrays only.
 *
 * Each node projects its points on the direction between two of them picked at random and
 * splits them at the median projection (ties alternate sides), so every split halves the node:
 * trees stay log2(n / leafSize) deep, where the usual halfway-plane split is often lopsided and
 * runs much deeper. If the two points coincide, the node's range is simply cut in half. Only the
 * leaves are needed: the trees themselves are never stored.
 */
import type { Random } from '../random';

/**
 * Calls visit(perm, start, end) for each leaf (at most leafSize points: perm[start .. end)) of
 * nTrees independent trees over the n rows of X (row-major n x m). Returns the last tree's
 * leaf order.
 */
export function forEachLeaf(
  X: Float64Array, n: number, m: number, nTrees: number, leafSize: number, rng: Random,
  visit: (perm: Int32Array, start: number, end: number) => void,
): Int32Array {
  const perm = new Int32Array(n);
  const scratch = new Int32Array(n);
  const normal = new Float64Array(m);
  const margins = new Float64Array(n);
  const work = new Float64Array(n);
  const size = Math.max(1, leafSize);
  for (let tree = 0; tree < nTrees; tree++) {
    for (let i = 0; i < n; i++) perm[i] = i;
    const stack: number[] = [0, n];
    while (stack.length > 0) {
      const end = stack.pop() as number;
      const start = stack.pop() as number;
      if (end - start <= size) {
        visit(perm, start, end);
        continue;
      }
      const mid = split(X, m, perm, scratch, margins, work, start, end, normal, rng);
      stack.push(mid, end, start, mid);
    }
  }
  return perm;
}

/**
 * One tree's leaves: its leaf order into perm (n; nearby rows end up nearby in it, so rows stored
 * in it make a search's memory accesses far more local) and the leaves' starts into starts (leaf l is
 * perm[starts[l] .. starts[l + 1]), starts[count] = n); returns the count of leaves. Depends on
 * rng alone, so each tree of a forest can be built on any thread from its own seed.
 */
export function treeLeaves(
  X: Float64Array, n: number, m: number, leafSize: number, rng: Random, perm: Int32Array, starts: Int32Array,
): number {
  let count = 0;
  const order = forEachLeaf(X, n, m, 1, leafSize, rng, (_, start) => {
    starts[count++] = start;
  });
  perm.set(order);
  starts[count] = n;
  return count;
}

/** Partitions perm[start .. end) in place at the median projection; returns the middle index. */
function split(
  X: Float64Array, m: number, perm: Int32Array, scratch: Int32Array, margins: Float64Array,
  work: Float64Array, start: number, end: number, normal: Float64Array, rng: Random,
): number {
  const count = end - start;
  const mid = start + (count >> 1);
  const a = start + Math.floor(rng.next() * count);
  let b = start + Math.floor(rng.next() * (count - 1));
  if (b >= a) b++;
  const pa = perm[a] * m;
  const pb = perm[b] * m;
  let normSq = 0;
  for (let j = 0; j < m; j++) {
    const h = X[pa + j] - X[pb + j];
    normal[j] = h;
    normSq += h * h;
  }
  if (!(normSq > 0)) return mid;
  for (let p = start; p < end; p++) {
    const o = perm[p] * m;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      s0 += normal[j] * X[o + j];
      s1 += normal[j + 1] * X[o + j + 1];
      s2 += normal[j + 2] * X[o + j + 2];
      s3 += normal[j + 3] * X[o + j + 3];
    }
    for (; j < m; j++) s0 += normal[j] * X[o + j];
    margins[p] = s0 + s1 + s2 + s3;
  }
  work.set(margins.subarray(start, end), start);
  const median = selectKth(work, start, end - 1, mid);
  // Below the median left, above right, equal ones fill the left side up to its half.
  let left = start;
  let right = end;
  let equalLeft = mid - start;
  for (let p = start; p < end; p++) if (margins[p] < median) equalLeft--;
  for (let p = start; p < end; p++) {
    const v = margins[p];
    const goLeft = v < median || (v === median && equalLeft-- > 0);
    if (goLeft) scratch[left++] = perm[p];
    else scratch[--right] = perm[p];
  }
  perm.set(scratch.subarray(start, end), start);
  return left === start || left === end ? mid : left;
}

/** The value that would sit at index k if a[lo .. hi] were sorted (Hoare's selection; a is reordered). */
function selectKth(a: Float64Array, lo: number, hi: number, k: number): number {
  while (lo < hi) {
    // Median of three as the pivot keeps sorted or constant runs from going quadratic.
    const mid = (lo + hi) >> 1;
    const x = a[lo], y = a[mid], z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
