/**
 * The t-SNE gradient, Barnes-Hut style (van der Maaten 2014). Pure and worker-safe.
 *
 * With w_ij = 1 / (1 + |y_i - y_j|^2) (Student-t, one degree of freedom, in 2D and 3D alike),
 * Z = sum_{i != j} w_ij and q_ij = w_ij / Z, the gradient of KL(P || Q) is
 *
 *   dC/dy_i = 4 (F_attr_i - F_rep_i / Z),
 *   F_attr_i = sum_j p_ij w_ij (y_i - y_j)          over the sparse P: exact
 *   F_rep_i  = sum_j w_ij^2 (y_i - y_j)             over all j: Barnes-Hut
 *
 * Repulsion walks a SpaceTree per point: a cell of side w whose centre of mass lies at distance
 * D from y_i stands in for its N_cell points when w^2 < theta^2 D^2 (w the full side of the cell,
 * as in the classic Barnes-Hut criterion and scikit-learn's; bhtsne compares the half side, so
 * its theta = 0.5 is looser). Leaves that fail the test are summed point by point, so theta = 0
 * gives the exact O(N^2) sums. For theta < 1/sqrt(dim) a cell holding y_i is never accepted, so
 * y_i never repels itself.
 */
import { NODE_INTS, type SpaceTree } from './space-tree';
import type { SparseAffinities } from './affinities';

/** out (n x dim) = sum_j p_ij w_ij (y_i - y_j), times `scale`. */
export function attractiveForces(P: SparseAffinities, Y: Float64Array, dim: 2 | 3, scale: number, out: Float64Array): void {
  const { n, rowPtr, cols, vals } = P;
  if (dim === 2) {
    for (let i = 0; i < n; i++) {
      const xi = Y[2 * i];
      const yi = Y[2 * i + 1];
      let fx = 0;
      let fy = 0;
      for (let e = rowPtr[i], end = rowPtr[i + 1]; e < end; e++) {
        const j = cols[e];
        const dx = xi - Y[2 * j];
        const dy = yi - Y[2 * j + 1];
        const pq = vals[e] / (1 + dx * dx + dy * dy);
        fx += pq * dx;
        fy += pq * dy;
      }
      out[2 * i] = fx * scale;
      out[2 * i + 1] = fy * scale;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const xi = Y[3 * i];
      const yi = Y[3 * i + 1];
      const zi = Y[3 * i + 2];
      let fx = 0;
      let fy = 0;
      let fz = 0;
      for (let e = rowPtr[i], end = rowPtr[i + 1]; e < end; e++) {
        const j = cols[e];
        const dx = xi - Y[3 * j];
        const dy = yi - Y[3 * j + 1];
        const dz = zi - Y[3 * j + 2];
        const pq = vals[e] / (1 + dx * dx + dy * dy + dz * dz);
        fx += pq * dx;
        fy += pq * dy;
        fz += pq * dz;
      }
      out[3 * i] = fx * scale;
      out[3 * i + 1] = fy * scale;
      out[3 * i + 2] = fz * scale;
    }
  }
}

/**
 * The same sums as attractiveForces from P's upper triangle (see upperTriangle): each pair's
 * term is computed once and applied to both ends, about a third faster.
 */
export function attractiveForcesUpper(U: SparseAffinities, Y: Float64Array, dim: 2 | 3, scale: number, out: Float64Array): void {
  const { n, rowPtr, cols, vals } = U;
  out.fill(0, 0, n * dim);
  if (dim === 2) {
    for (let i = 0; i < n; i++) {
      const xi = Y[2 * i];
      const yi = Y[2 * i + 1];
      let fx = 0;
      let fy = 0;
      for (let e = rowPtr[i], end = rowPtr[i + 1]; e < end; e++) {
        const j = cols[e];
        const dx = xi - Y[2 * j];
        const dy = yi - Y[2 * j + 1];
        const pq = (scale * vals[e]) / (1 + dx * dx + dy * dy);
        const gx = pq * dx;
        const gy = pq * dy;
        fx += gx;
        fy += gy;
        out[2 * j] -= gx;
        out[2 * j + 1] -= gy;
      }
      out[2 * i] += fx;
      out[2 * i + 1] += fy;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const xi = Y[3 * i];
      const yi = Y[3 * i + 1];
      const zi = Y[3 * i + 2];
      let fx = 0;
      let fy = 0;
      let fz = 0;
      for (let e = rowPtr[i], end = rowPtr[i + 1]; e < end; e++) {
        const j = cols[e];
        const dx = xi - Y[3 * j];
        const dy = yi - Y[3 * j + 1];
        const dz = zi - Y[3 * j + 2];
        const pq = (scale * vals[e]) / (1 + dx * dx + dy * dy + dz * dz);
        const gx = pq * dx;
        const gy = pq * dy;
        const gz = pq * dz;
        fx += gx;
        fy += gy;
        fz += gz;
        out[3 * j] -= gx;
        out[3 * j + 1] -= gy;
        out[3 * j + 2] -= gz;
      }
      out[3 * i] += fx;
      out[3 * i + 1] += fy;
      out[3 * i + 2] += fz;
    }
  }
}

/**
 * out (n x dim, original point order) = sum_{j != i} w_ij^2 (y_i - y_j), approximated with the
 * tree built over the current embedding. Returns the matching estimate of Z = sum_{i != j} w_ij.
 * With a range, only the points at tree positions [from, to) are done (their rows of out, their
 * share of Z), and `zOut[s]` receives each one's term of Z: each point's sum is independent of the
 * others, which is what lets a pool of threads split the points (./repulsion-pool) and, adding
 * zOut up in tree order afterwards, get exactly the single-thread forces and Z.
 */
export function repulsiveForces(tree: SpaceTree, theta: number, out: Float64Array, from = 0, to = tree.n, zOut?: Float64Array): number {
  return tree.dim === 2 ? repulsive2d(tree, theta * theta, out, from, to, zOut) : repulsive3d(tree, theta * theta, out, from, to, zOut);
}

// Both kernels walk the tree depth-first; the stack holds nodes whose children are still to be
// tested, so accepted cells and leaves never go through it. Each leaf that fails the test is
// summed point by point (skipping the point itself). A root that is a leaf is handled the same
// way by treating it as its own only child.

function repulsive2d(tree: SpaceTree, theta2: number, out: Float64Array, from: number, to: number, zOut: Float64Array | undefined): number {
  const { nodeF, nodeI, sorted, perm, stack } = tree;
  const rootIsLeaf = nodeI[1] === 0;
  let Z = 0;
  for (let s = from; s < to; s++) {
    const px = sorted[2 * s];
    const py = sorted[2 * s + 1];
    let fx = 0;
    let fy = 0;
    let z = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const parent = stack[--top];
      let first = 0;
      let last = 1;
      if (!rootIsLeaf) {
        first = nodeI[parent * NODE_INTS];
        last = first + nodeI[parent * NODE_INTS + 1];
      }
      for (let node = first; node < last; node++) {
        const f = node * 4; // strideF = dim + 2 = 4: com x, com y, count, side^2
        const dx = px - nodeF[f];
        const dy = py - nodeF[f + 1];
        const d2 = dx * dx + dy * dy;
        if (nodeF[f + 3] < theta2 * d2) {
          const w = 1 / (1 + d2);
          const cw = nodeF[f + 2] * w;
          z += cw;
          const cww = cw * w;
          fx += cww * dx;
          fy += cww * dy;
          continue;
        }
        const ni = node * NODE_INTS;
        if (nodeI[ni + 1] > 0) {
          stack[top++] = node;
          continue;
        }
        for (let t = nodeI[ni + 2], end = nodeI[ni + 3]; t < end; t++) {
          if (t === s) continue;
          const ex = px - sorted[2 * t];
          const ey = py - sorted[2 * t + 1];
          const w = 1 / (1 + ex * ex + ey * ey);
          z += w;
          const ww = w * w;
          fx += ww * ex;
          fy += ww * ey;
        }
      }
    }
    const i = perm[s];
    out[2 * i] = fx;
    out[2 * i + 1] = fy;
    if (zOut) zOut[s] = z;
    Z += z;
  }
  return Z;
}

function repulsive3d(tree: SpaceTree, theta2: number, out: Float64Array, from: number, to: number, zOut: Float64Array | undefined): number {
  const { nodeF, nodeI, sorted, perm, stack } = tree;
  const rootIsLeaf = nodeI[1] === 0;
  let Z = 0;
  for (let s = from; s < to; s++) {
    const px = sorted[3 * s];
    const py = sorted[3 * s + 1];
    const pz = sorted[3 * s + 2];
    let fx = 0;
    let fy = 0;
    let fz = 0;
    let z = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const parent = stack[--top];
      let first = 0;
      let last = 1;
      if (!rootIsLeaf) {
        first = nodeI[parent * NODE_INTS];
        last = first + nodeI[parent * NODE_INTS + 1];
      }
      for (let node = first; node < last; node++) {
        const f = node * 5; // strideF = dim + 2 = 5: com x, y, z, count, side^2
        const dx = px - nodeF[f];
        const dy = py - nodeF[f + 1];
        const dz = pz - nodeF[f + 2];
        const d2 = dx * dx + dy * dy + dz * dz;
        if (nodeF[f + 4] < theta2 * d2) {
          const w = 1 / (1 + d2);
          const cw = nodeF[f + 3] * w;
          z += cw;
          const cww = cw * w;
          fx += cww * dx;
          fy += cww * dy;
          fz += cww * dz;
          continue;
        }
        const ni = node * NODE_INTS;
        if (nodeI[ni + 1] > 0) {
          stack[top++] = node;
          continue;
        }
        for (let t = nodeI[ni + 2], end = nodeI[ni + 3]; t < end; t++) {
          if (t === s) continue;
          const ex = px - sorted[3 * t];
          const ey = py - sorted[3 * t + 1];
          const ez = pz - sorted[3 * t + 2];
          const w = 1 / (1 + ex * ex + ey * ey + ez * ez);
          z += w;
          const ww = w * w;
          fx += ww * ex;
          fy += ww * ey;
          fz += ww * ez;
        }
      }
    }
    const i = perm[s];
    out[3 * i] = fx;
    out[3 * i + 1] = fy;
    out[3 * i + 2] = fz;
    if (zOut) zOut[s] = z;
    Z += z;
  }
  return Z;
}

/**
 * The repulsion of one iteration split over several threads (./repulsion-pool): start() hands Y
 * to the helpers, finish() does this thread's share with its tree, waits for the others, writes
 * every row of the scratch's repulsive forces and returns Z summed over the parts in a fixed order.
 */
export interface Repulsion {
  start(Y: Float64Array): { finish(tree: SpaceTree): number };
}

/** Scratch for tsneGradient, sized n x dim. */
export interface GradientScratch {
  attractive: Float64Array;
  repulsive: Float64Array;
}

export function gradientScratch(n: number, dim: 2 | 3): GradientScratch {
  return { attractive: new Float64Array(n * dim), repulsive: new Float64Array(n * dim) };
}

/**
 * grad (n x dim) = dC/dY with P scaled by `exaggeration`, from P's upper triangle `U`
 * (see upperTriangle); rebuilds `tree` over Y. Returns the Barnes-Hut estimate of Z.
 */
export function tsneGradient(
  U: SparseAffinities,
  Y: Float64Array,
  dim: 2 | 3,
  tree: SpaceTree,
  theta: number,
  exaggeration: number,
  grad: Float64Array,
  scratch: GradientScratch,
  repulsion?: Repulsion,
): number {
  const n = U.n;
  // The helpers of a pool start on their share of the repulsion while this thread attracts.
  const pending = repulsion?.start(Y);
  attractiveForcesUpper(U, Y, dim, exaggeration, scratch.attractive);
  tree.build(Y, n);
  const Z = pending ? pending.finish(tree) : repulsiveForces(tree, theta, scratch.repulsive);
  const invZ = Z > 0 ? 1 / Z : 0;
  const att = scratch.attractive;
  const rep = scratch.repulsive;
  for (let e = 0; e < n * dim; e++) grad[e] = 4 * (att[e] - rep[e] * invZ);
  return Z;
}
