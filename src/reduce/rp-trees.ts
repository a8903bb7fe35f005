/**
 * Random-projection trees (Dasgupta & Freund 2008, as used by Annoy and PyNNDescent) for the
 * initial neighbour candidates of NN-descent. Pure and worker-safe: typed arrays only.
 *
 * Each node splits its points by the hyperplane halfway between two of them picked at random;
 * points on the plane go to a random side, and a split that leaves one side empty falls back to
 * cutting the node's (already shuffled) range in half. Only the leaves are needed: the trees
 * themselves are never stored.
 */
import type { Random } from './random';

/**
 * Calls visit(perm, start, end) for each leaf (at most leafSize points: perm[start .. end)) of
 * nTrees independent trees over the n rows of X (row-major n x m).
 */
export function forEachLeaf(
  X: Float64Array, n: number, m: number, nTrees: number, leafSize: number, rng: Random,
  visit: (perm: Int32Array, start: number, end: number) => void,
): void {
  const perm = new Int32Array(n);
  const scratch = new Int32Array(n);
  const normal = new Float64Array(m);
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
      const mid = split(X, m, perm, scratch, start, end, normal, rng);
      stack.push(mid, end, start, mid);
    }
  }
}

/** Partitions perm[start .. end) in place; returns the first index of the right side (strictly inside). */
function split(
  X: Float64Array, m: number, perm: Int32Array, scratch: Int32Array,
  start: number, end: number, normal: Float64Array, rng: Random,
): number {
  const count = end - start;
  const a = start + Math.floor(rng.next() * count);
  let b = start + Math.floor(rng.next() * (count - 1));
  if (b >= a) b++;
  const pa = perm[a] * m;
  const pb = perm[b] * m;
  let offset = 0;
  let normSq = 0;
  for (let j = 0; j < m; j++) {
    const h = X[pa + j] - X[pb + j];
    normal[j] = h;
    offset -= (h * (X[pa + j] + X[pb + j])) / 2;
    normSq += h * h;
  }
  let left = start;
  let right = end;
  if (normSq > 0) {
    // Margins within this of zero are "on the plane": rounding decides them, so a coin does.
    const eps = 1e-12 * (Math.abs(offset) + normSq);
    for (let p = start; p < end; p++) {
      const id = perm[p];
      const o = id * m;
      let s = offset;
      for (let j = 0; j < m; j++) s += normal[j] * X[o + j];
      const goLeft = Math.abs(s) <= eps ? rng.next() < 0.5 : s > 0;
      if (goLeft) scratch[left++] = id;
      else scratch[--right] = id;
    }
    perm.set(scratch.subarray(start, end), start);
  }
  // Both points picked coincide, or every point fell on one side: halve the range instead.
  if (left === start || left === end) return start + (count >> 1);
  return left;
}
