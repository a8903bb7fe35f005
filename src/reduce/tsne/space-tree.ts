/**
 * Space-partitioning tree for Barnes-Hut t-SNE: a quadtree in 2D, an octree in 3D. Flat typed
 * arrays, no objects per node; meant to be rebuilt every iteration from the current embedding
 * (the buffers are kept and grown between builds). Pure and worker-safe.
 *
 * Build: the root is the square (cube) around the points' bounding box; a node holding more than
 * `leafSize` points, above `maxDepth`, splits its range of the point permutation into the
 * non-empty ones of its 2^dim quadrants (a stable counting sort on the quadrant code). Nodes are
 * numbered breadth-first, so a node's children are contiguous and come after it; the points of
 * every node are contiguous in tree order. Centres of mass and counts are summed bottom-up.
 */

/** Ints per node in `nodeI`: first child, child count (0 for a leaf), first point, end point (tree order). */
export const NODE_INTS = 4;
/** Floats per node in `nodeF`: centre of mass (dim), count, squared cell side. */
export const nodeFloats = (dim: 2 | 3): number => dim + 2;

/** The arrays a built tree is walked with, as copyInto fills them. */
export interface TreeArrays {
  nodeF: Float64Array;
  nodeI: Int32Array;
  perm: Int32Array;
  sorted: Float64Array;
  leaves: Int32Array;
}

export interface SpaceTreeOptions {
  /** A node with at most this many points is a leaf. Default 32: with one walk per leaf (./repulsion) the fastest on mnist-10k in 2D and 3D (16: 8.8 / 24.8 ms, 32: 7.8 / 23.3, 64: 9.3 / 26.6 a repulsion). */
  leafSize?: number;
  /** Nodes at this depth are leaves whatever they hold (duplicate points). Default 40. */
  maxDepth?: number;
}

export class SpaceTree {
  readonly dim: 2 | 3;
  readonly leafSize: number;
  readonly maxDepth: number;
  /** Floats per node: dim + 2 (centre of mass, count, squared side). */
  readonly strideF: number;
  /** Number of points in the last build. */
  n = 0;
  /** Number of nodes in the last build; node 0 is the root. */
  nodeCount = 0;
  /** nodeCount * strideF: centre of mass (dim), count, squared cell side. */
  nodeF: Float64Array = new Float64Array(0);
  /** nodeCount * 4: first child, child count, first point, end point. */
  nodeI: Int32Array = new Int32Array(0);
  /** perm[s] = original index of the point at tree position s. */
  perm: Int32Array = new Int32Array(0);
  /** n * dim coordinates in tree order. */
  sorted: Float64Array = new Float64Array(0);
  /** The leaves in tree order (their point ranges follow one another); leafCount of them. */
  leaves: Int32Array = new Int32Array(0);
  leafCount = 0;
  /** Traversal stack large enough for any depth-first walk of this tree. */
  readonly stack: Int32Array;

  // Build scratch.
  private cell: Float64Array = new Float64Array(0); // per node: centre (dim), half side
  private depth: Uint8Array = new Uint8Array(0);
  private codes: Uint8Array = new Uint8Array(0);
  private scratch: Int32Array = new Int32Array(0);

  constructor(dim: 2 | 3, opts: SpaceTreeOptions = {}) {
    if (dim !== 2 && dim !== 3) throw new RangeError(`space tree: dim must be 2 or 3, got ${dim}`);
    this.dim = dim;
    this.leafSize = Math.max(1, Math.floor(opts.leafSize ?? 32));
    this.maxDepth = Math.min(250, Math.max(1, Math.floor(opts.maxDepth ?? 40)));
    this.strideF = nodeFloats(dim);
    this.stack = new Int32Array(this.maxDepth * ((1 << dim) - 1) + 2);
  }

  /** Rebuilds the tree over the first n points of Y (row-major n x dim). */
  build(Y: ArrayLike<number>, n: number): void {
    const dim = this.dim;
    if (Y.length < n * dim) throw new RangeError(`space tree: ${Y.length} coordinates, expected ${n} x ${dim}`);
    this.n = n;
    if (this.perm.length < n) {
      this.perm = new Int32Array(n);
      this.sorted = new Float64Array(n * dim);
      this.codes = new Uint8Array(n);
      this.scratch = new Int32Array(n);
      this.leaves = new Int32Array(n);
    }
    const perm = this.perm;
    for (let i = 0; i < n; i++) perm[i] = i;
    this.nodeCount = 0;
    this.leafCount = 0;
    if (n === 0) return;

    // Root cell: the square/cube around the bounding box.
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < dim; a++) {
        const v = Y[i * dim + a];
        if (v < lo[a]) lo[a] = v;
        if (v > hi[a]) hi[a] = v;
      }
    }
    let half = 0;
    for (let a = 0; a < dim; a++) half = Math.max(half, (hi[a] - lo[a]) / 2);
    if (!Number.isFinite(half)) throw new RangeError('space tree: the embedding holds NaN or infinite values');
    const root = this.addNode(0, n, 0);
    for (let a = 0; a < dim; a++) this.cell[root * (dim + 1) + a] = (lo[a] + hi[a]) / 2;
    this.cell[root * (dim + 1) + dim] = half;

    // Split breadth-first: nodes are appended, so this loop also visits every child.
    const codes = this.codes;
    const counts = new Int32Array(8);
    const offsets = new Int32Array(8);
    for (let node = 0; node < this.nodeCount; node++) {
      const start = this.nodeI[node * NODE_INTS + 2];
      const end = this.nodeI[node * NODE_INTS + 3];
      if (end - start <= this.leafSize || this.depth[node] >= this.maxDepth) continue;
      const c = node * (dim + 1);
      const cx = this.cell[c];
      const cy = this.cell[c + 1];
      const cz = dim === 3 ? this.cell[c + 2] : 0;
      const h = this.cell[c + dim] / 2;
      counts.fill(0);
      for (let s = start; s < end; s++) {
        const p = perm[s] * dim;
        let code = (Y[p] >= cx ? 1 : 0) | (Y[p + 1] >= cy ? 2 : 0);
        if (dim === 3 && Y[p + 2] >= cz) code |= 4;
        codes[s] = code;
        counts[code]++;
      }
      let at = start;
      for (let q = 0; q < 8; q++) {
        offsets[q] = at;
        at += counts[q];
      }
      const tmp = this.scratch;
      for (let s = start; s < end; s++) tmp[offsets[codes[s]]++] = perm[s];
      for (let s = start; s < end; s++) perm[s] = tmp[s];

      const first = this.nodeCount;
      let childCount = 0;
      let from = start;
      for (let q = 0; q < 1 << dim; q++) {
        if (counts[q] === 0) continue;
        const child = this.addNode(from, from + counts[q], this.depth[node] + 1);
        from += counts[q];
        childCount++;
        const cc = child * (dim + 1);
        this.cell[cc] = cx + (q & 1 ? h : -h);
        this.cell[cc + 1] = cy + (q & 2 ? h : -h);
        if (dim === 3) this.cell[cc + 2] = cz + (q & 4 ? h : -h);
        this.cell[cc + dim] = h;
      }
      this.nodeI[node * NODE_INTS] = first;
      this.nodeI[node * NODE_INTS + 1] = childCount;
    }

    // Points in tree order, then centres of mass bottom-up (children come after their parent).
    const sorted = this.sorted;
    for (let s = 0; s < n; s++) {
      const p = perm[s] * dim;
      for (let a = 0; a < dim; a++) sorted[s * dim + a] = Y[p + a];
    }
    const F = this.nodeF;
    const I = this.nodeI;
    const sf = this.strideF;
    const sum = [0, 0, 0];
    for (let node = this.nodeCount - 1; node >= 0; node--) {
      sum[0] = sum[1] = sum[2] = 0;
      const childCount = I[node * NODE_INTS + 1];
      if (childCount === 0) {
        for (let s = I[node * NODE_INTS + 2]; s < I[node * NODE_INTS + 3]; s++) {
          for (let a = 0; a < dim; a++) sum[a] += sorted[s * dim + a];
        }
      } else {
        const first = I[node * NODE_INTS];
        for (let ch = first; ch < first + childCount; ch++) {
          const w = F[ch * sf + dim];
          for (let a = 0; a < dim; a++) sum[a] += F[ch * sf + a] * w;
        }
      }
      const count = I[node * NODE_INTS + 3] - I[node * NODE_INTS + 2];
      for (let a = 0; a < dim; a++) F[node * sf + a] = sum[a] / count;
      F[node * sf + dim] = count;
      const side = 2 * this.cell[node * (dim + 1) + dim];
      F[node * sf + dim + 1] = side * side;
    }

    // Leaves in tree order: each non-empty leaf starts at its own tree position.
    const leafAt = this.scratch;
    leafAt.fill(-1, 0, n);
    for (let node = 0; node < this.nodeCount; node++) if (I[node * NODE_INTS + 1] === 0) leafAt[I[node * NODE_INTS + 2]] = node;
    let count = 0;
    for (let s = 0; s < n; s++) if (leafAt[s] >= 0) this.leaves[count++] = leafAt[s];
    this.leafCount = count;
  }

  /**
   * Copies the built tree into `into` (arrays with room for `maxNodes` nodes and n points) for other
   * threads to read through sharedView; false, copying nothing, when it has more nodes than that.
   */
  copyInto(into: TreeArrays, maxNodes: number): boolean {
    if (this.nodeCount > maxNodes) return false;
    into.nodeF.set(this.nodeF.subarray(0, this.nodeCount * this.strideF));
    into.nodeI.set(this.nodeI.subarray(0, this.nodeCount * NODE_INTS));
    into.perm.set(this.perm.subarray(0, this.n));
    into.sorted.set(this.sorted.subarray(0, this.n * this.dim));
    into.leaves.set(this.leaves.subarray(0, this.leafCount));
    return true;
  }

  /** Reads a tree another thread built and copied into `from` (copyInto): only for walking, never build(). */
  static sharedView(dim: 2 | 3, from: TreeArrays): SpaceTree {
    const tree = new SpaceTree(dim);
    tree.nodeF = from.nodeF;
    tree.nodeI = from.nodeI;
    tree.perm = from.perm;
    tree.sorted = from.sorted;
    tree.leaves = from.leaves;
    return tree;
  }

  /** Sets the sizes of a sharedView's tree (those of the tree copied in). */
  setCounts(n: number, nodeCount: number, leafCount: number): void {
    this.n = n;
    this.nodeCount = nodeCount;
    this.leafCount = leafCount;
  }

  private addNode(start: number, end: number, depth: number): number {
    const node = this.nodeCount++;
    if (node >= this.depth.length) this.grow(Math.max(64, 2 * this.depth.length, this.nodeCount));
    const i = node * NODE_INTS;
    this.nodeI[i] = 0;
    this.nodeI[i + 1] = 0;
    this.nodeI[i + 2] = start;
    this.nodeI[i + 3] = end;
    this.depth[node] = depth;
    return node;
  }

  private grow(capacity: number): void {
    const dim = this.dim;
    const nodeF = new Float64Array(capacity * this.strideF);
    nodeF.set(this.nodeF);
    const nodeI = new Int32Array(capacity * NODE_INTS);
    nodeI.set(this.nodeI);
    const cell = new Float64Array(capacity * (dim + 1));
    cell.set(this.cell);
    const depth = new Uint8Array(capacity);
    depth.set(this.depth);
    this.nodeF = nodeF;
    this.nodeI = nodeI;
    this.cell = cell;
    this.depth = depth;
  }
}
