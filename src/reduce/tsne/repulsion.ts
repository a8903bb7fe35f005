/**
 * Barnes-Hut repulsion walked once per leaf of the space tree instead of once per point. Pure
 * and worker-safe.
 *
 * For a leaf's group of points, one walk of the tree builds an interaction list: a cell is taken
 * whole when w^2 < theta^2 D^2 with D the distance from its centre of mass to the group's bounding
 * box (so the test holds for every point of the group: each point's approximation is at least as
 * close as the per-point walk's), a leaf that fails is listed point by point. Every point of the
 * group then sums the same list in one branch-free loop, which the SIMD kernel (simd.wat
 * bhList2d/3d) runs two entries to a lane pair; the JavaScript loop below keeps the SIMD kernel's
 * four running sums, so both give the same numbers bit for bit. Each group lists its own points,
 * so each point meets itself once, with w = 1 exactly and no force: that 1 comes off its term of Z.
 *
 * On mnist-10k's 2D t-SNE layout (10,000 points, leaves of 32, Node): ~8 ms a repulsion with the
 * SIMD sums (~3.5 of it the walks) and ~16-19 ms with the JavaScript ones, where a walk per point
 * took 16.4 ms (`npm run bench -- --only=wasm` times both sums).
 */
import { simdKernels } from '../kernels/simd';
import { NODE_INTS, type SpaceTree } from './space-tree';

/** Targets per kernel call: a leaf holds at most leafSize points but a leaf of duplicates more. */
const BATCH = 64;

/** An interaction list and a batch of targets, dim coordinates, counts and sums, all doubles. */
interface Lists {
  /** One array per axis, then the counts. */
  axes: Float64Array[];
  targets: Float64Array;
  sums: Float64Array;
  /** Byte offsets of the same arrays in the SIMD module's memory, when they live there. */
  at: number[] | null;
}

let jsLists: Lists | null = null;

/** Lists able to hold `cap` entries: in the SIMD module's memory when it runs here. */
function lists(dim: 2 | 3, cap: number): Lists {
  const simd = simdKernels();
  const sizes = [...Array.from({ length: dim + 1 }, () => cap), BATCH * dim, BATCH * (dim + 1)];
  if (simd) {
    const bytes = sizes.reduce((a, b) => a + b * 8, 0);
    const buffer = simd.reserve(bytes);
    let at = 0;
    const offsets: number[] = [];
    const arrays = sizes.map((size) => {
      offsets.push(at);
      const view = new Float64Array(buffer, at, size);
      at += size * 8;
      return view;
    });
    return { axes: arrays.slice(0, dim + 1), targets: arrays[dim + 1], sums: arrays[dim + 2], at: offsets };
  }
  if (!jsLists || jsLists.axes.length !== dim + 1 || jsLists.axes[0].length < cap) {
    const arrays = sizes.map((size) => new Float64Array(size));
    jsLists = { axes: arrays.slice(0, dim + 1), targets: arrays[dim + 1], sums: arrays[dim + 2], at: null };
  }
  return jsLists;
}

/**
 * The repulsion of the points in leaves [fromLeaf, toLeaf) of tree.leaves (tree order): out (n x
 * dim, original point order) = sum_{j != i} w_ij^2 (y_i - y_j); zOut[s] = each one's term of Z
 * (by tree position). Returns the sum of those terms in tree order.
 */
export function groupedRepulsion(
  tree: SpaceTree,
  theta: number,
  out: Float64Array,
  fromLeaf: number,
  toLeaf: number,
  zOut: Float64Array | undefined,
): number {
  const dim = tree.dim;
  const { nodeF, nodeI, sorted, perm, stack, leaves } = tree;
  const theta2 = theta * theta;
  const sf = dim + 2;
  const rootIsLeaf = nodeI[1] === 0;
  // No list can hold more than every cell and every point (+ padding to 4).
  const L = lists(dim, tree.nodeCount + tree.n + 4);
  const [X, Yl, third, fourth] = L.axes;
  const Zl = dim === 3 ? third : X;
  const C = dim === 3 ? fourth : third;
  const simd = L.at ? simdKernels() : null;
  const lo = [0, 0, 0];
  const hi = [0, 0, 0];
  let Z = 0;
  for (let g = fromLeaf; g < toLeaf; g++) {
    const leaf = leaves[g];
    const a = nodeI[leaf * NODE_INTS + 2];
    const b = nodeI[leaf * NODE_INTS + 3];
    for (let k = 0; k < dim; k++) {
      lo[k] = Infinity;
      hi[k] = -Infinity;
    }
    for (let s = a; s < b; s++) {
      for (let k = 0; k < dim; k++) {
        const v = sorted[s * dim + k];
        if (v < lo[k]) lo[k] = v;
        if (v > hi[k]) hi[k] = v;
      }
    }
    const x0 = lo[0], x1 = hi[0], y0 = lo[1], y1 = hi[1], z0 = lo[2], z1 = hi[2];

    // The walk: the stack holds nodes whose children are still to be tested.
    let m = 0;
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
        const f = node * sf;
        const mx = nodeF[f];
        const my = nodeF[f + 1];
        const dx = mx < x0 ? x0 - mx : mx > x1 ? mx - x1 : 0;
        const dy = my < y0 ? y0 - my : my > y1 ? my - y1 : 0;
        let d2 = dx * dx + dy * dy;
        let mz = 0;
        if (dim === 3) {
          mz = nodeF[f + 2];
          const dz = mz < z0 ? z0 - mz : mz > z1 ? mz - z1 : 0;
          d2 += dz * dz;
        }
        if (nodeF[f + dim + 1] < theta2 * d2) {
          X[m] = mx;
          Yl[m] = my;
          if (dim === 3) Zl[m] = mz;
          C[m++] = nodeF[f + dim];
          continue;
        }
        const ni = node * NODE_INTS;
        if (nodeI[ni + 1] > 0) {
          stack[top++] = node;
          continue;
        }
        for (let t = nodeI[ni + 2], end = nodeI[ni + 3]; t < end; t++) {
          X[m] = sorted[t * dim];
          Yl[m] = sorted[t * dim + 1];
          if (dim === 3) Zl[m] = sorted[t * dim + 2];
          C[m++] = 1;
        }
      }
    }
    while (m % 4 !== 0) {
      X[m] = 0;
      Yl[m] = 0;
      if (dim === 3) Zl[m] = 0;
      C[m++] = 0;
    }

    for (let from = a; from < b; from += BATCH) {
      const count = Math.min(BATCH, b - from);
      const T = L.targets;
      const S = L.sums;
      T.set(sorted.subarray(from * dim, (from + count) * dim));
      if (simd && L.at) {
        const at = L.at;
        if (dim === 2) simd.bhList2d(at[0], at[1], at[2], m, at[3], count, at[4]);
        else simd.bhList3d(at[0], at[1], at[2], at[3], m, at[4], count, at[5]);
      } else if (dim === 2) sumList2d(X, Yl, C, m, T, count, S);
      else sumList3d(X, Yl, Zl, C, m, T, count, S);
      for (let k = 0; k < count; k++) {
        const s = from + k;
        const i = perm[s];
        for (let e = 0; e < dim; e++) out[i * dim + e] = S[k * (dim + 1) + e];
        const z = S[k * (dim + 1) + dim] - 1;
        if (zOut) zOut[s] = z;
        Z += z;
      }
    }
  }
  return Z;
}

// The SIMD kernel's sums in JavaScript: entries e = 0..3 (mod 4) in four running sums, added as
// (s0 + s2) + (s1 + s3); each term computed in the same order of operations.

function sumList2d(X: Float64Array, Y: Float64Array, C: Float64Array, m: number, T: Float64Array, count: number, S: Float64Array): void {
  for (let k = 0; k < count; k++) {
    const px = T[2 * k];
    const py = T[2 * k + 1];
    let fx0 = 0, fx1 = 0, fx2 = 0, fx3 = 0;
    let fy0 = 0, fy1 = 0, fy2 = 0, fy3 = 0;
    let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
    for (let e = 0; e < m; e += 4) {
      let dx = px - X[e], dy = py - Y[e];
      let w = 1 / (1 + dx * dx + dy * dy);
      let cw = C[e] * w;
      z0 += cw;
      cw *= w;
      fx0 += cw * dx;
      fy0 += cw * dy;
      dx = px - X[e + 1];
      dy = py - Y[e + 1];
      w = 1 / (1 + dx * dx + dy * dy);
      cw = C[e + 1] * w;
      z1 += cw;
      cw *= w;
      fx1 += cw * dx;
      fy1 += cw * dy;
      dx = px - X[e + 2];
      dy = py - Y[e + 2];
      w = 1 / (1 + dx * dx + dy * dy);
      cw = C[e + 2] * w;
      z2 += cw;
      cw *= w;
      fx2 += cw * dx;
      fy2 += cw * dy;
      dx = px - X[e + 3];
      dy = py - Y[e + 3];
      w = 1 / (1 + dx * dx + dy * dy);
      cw = C[e + 3] * w;
      z3 += cw;
      cw *= w;
      fx3 += cw * dx;
      fy3 += cw * dy;
    }
    S[3 * k] = fx0 + fx2 + (fx1 + fx3);
    S[3 * k + 1] = fy0 + fy2 + (fy1 + fy3);
    S[3 * k + 2] = z0 + z2 + (z1 + z3);
  }
}

function sumList3d(X: Float64Array, Y: Float64Array, Zc: Float64Array, C: Float64Array, m: number, T: Float64Array, count: number, S: Float64Array): void {
  const fx = [0, 0, 0, 0];
  const fy = [0, 0, 0, 0];
  const fz = [0, 0, 0, 0];
  const z = [0, 0, 0, 0];
  for (let k = 0; k < count; k++) {
    const px = T[3 * k];
    const py = T[3 * k + 1];
    const pz = T[3 * k + 2];
    for (let l = 0; l < 4; l++) fx[l] = fy[l] = fz[l] = z[l] = 0;
    for (let e = 0; e < m; e += 4) {
      for (let l = 0; l < 4; l++) {
        const dx = px - X[e + l];
        const dy = py - Y[e + l];
        const dz = pz - Zc[e + l];
        const w = 1 / (1 + dx * dx + dy * dy + dz * dz);
        let cw = C[e + l] * w;
        z[l] += cw;
        cw *= w;
        fx[l] += cw * dx;
        fy[l] += cw * dy;
        fz[l] += cw * dz;
      }
    }
    S[4 * k] = fx[0] + fx[2] + (fx[1] + fx[3]);
    S[4 * k + 1] = fy[0] + fy[2] + (fy[1] + fy[3]);
    S[4 * k + 2] = fz[0] + fz[2] + (fz[1] + fz[3]);
    S[4 * k + 3] = z[0] + z[2] + (z[1] + z[3]);
  }
}
