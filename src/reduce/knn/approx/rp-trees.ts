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
import { createRandom, type Random } from '../../random';

/**
 * The shape of a tree is fixed by n and the leaf size alone (every split halves its node: the left
 * child holds floor(count / 2) rows), and each split draws exactly two values. So a node's rows are
 * known before any split, and so is how many values the splits before it (in the pre-order a
 * single thread builds in) have drawn: the nodes of a level, and the subtrees below it, can be
 * built by any thread, in any order, from a generator skipped ahead (../../random), and the tree comes
 * out the same, bit for bit.
 */
export interface TreeNode {
  start: number;
  end: number;
  /** Values drawn before this node's split in a whole build from the tree's seed. */
  draws: number;
}

/** Splits under a node of `count` rows (each draws two values). */
function splitsUnder(count: number, size: number, memo: Map<number, number>): number {
  if (count <= size) return 0;
  let s = memo.get(count);
  if (s === undefined) {
    s = 1 + splitsUnder(count >> 1, size, memo) + splitsUnder(count - (count >> 1), size, memo);
    memo.set(count, s);
  }
  return s;
}

/**
 * Node b (0 .. 2^level - 1, left to right) of the tree at `level` over n rows, or null when a
 * leaf above holds its rows.
 */
export function treeNode(n: number, leafSize: number, level: number, b: number): TreeNode | null {
  const size = Math.max(1, leafSize);
  const memo = new Map<number, number>();
  let start = 0;
  let end = n;
  let draws = 0;
  for (let l = level - 1; l >= 0; l--) {
    if (end - start <= size) return null;
    const mid = start + ((end - start) >> 1);
    draws += 2;
    if ((b >> l) & 1) {
      draws += 2 * splitsUnder(mid - start, size, memo);
      start = mid;
    } else {
      end = mid;
    }
  }
  return { start, end, draws };
}

/** One thread's scratch for building trees over n rows of m columns. */
export class TreeScratch {
  readonly scratch: Int32Array;
  readonly margins: Float64Array;
  readonly work: Float64Array;
  readonly normal: Float64Array;
  constructor(n: number, m: number) {
    this.scratch = new Int32Array(n);
    this.margins = new Float64Array(n);
    this.work = new Float64Array(n);
    this.normal = new Float64Array(m);
  }
}

/** Splits the node once (unless it is a leaf): its rows in perm, halves left and right. */
export function splitNode(X: Float64Array, m: number, perm: Int32Array, node: TreeNode, leafSize: number, seed: number, s: TreeScratch): void {
  if (node.end - node.start <= Math.max(1, leafSize)) return;
  split(X, m, perm, s.scratch, s.margins, s.work, node.start, node.end, s.normal, createRandom(seed, node.draws));
}

/** Every split under the node, in the order a whole build makes them. */
export function buildSubtree(X: Float64Array, m: number, perm: Int32Array, node: TreeNode, leafSize: number, seed: number, s: TreeScratch): void {
  const size = Math.max(1, leafSize);
  const rng = createRandom(seed, node.draws);
  const stack: number[] = [node.start, node.end];
  while (stack.length > 0) {
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    if (end - start <= size) continue;
    const mid = split(X, m, perm, s.scratch, s.margins, s.work, start, end, s.normal, rng);
    stack.push(mid, end, start, mid);
  }
}

/**
 * The leaves' starts into starts (leaf l is perm[starts[l] .. starts[l + 1]), starts[count] = n),
 * left to right; returns the count of leaves.
 */
export function leafStarts(n: number, leafSize: number, starts: Int32Array): number {
  const size = Math.max(1, leafSize);
  let count = 0;
  const stack: number[] = [0, n];
  while (stack.length > 0) {
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    if (end - start <= size) {
      starts[count++] = start;
      continue;
    }
    const mid = start + ((end - start) >> 1);
    stack.push(mid, end, start, mid);
  }
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
  // The equal ones filled the left side up to mid exactly (left === mid): every split halves its
  // node, which is what lets treeNode know a node's rows before any split.
  return mid;
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
