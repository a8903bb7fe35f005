/**
 * t-SNE's kernels in WebAssembly SIMD against their JavaScript loops. The repulsion walked once
 * per leaf (src/reduce/tsne/repulsion.ts): the same forces and Z bit for bit, on a t-SNE layout of
 * real digits and on clouds with duplicates and overfull leaves; a group's walk approximates each
 * of its points at least as closely as walking the tree for that point alone would (the group test
 * is the stricter one), and the leaves the pool splits cover every point once, in tree order. The
 * attraction (src/reduce/tsne/attraction.ts): the same forces bit for bit, also after the triangle
 * is rewritten in place, and so the same whole run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { knnExact } from '../../src/reduce/knn/knn';
import { setSimdEnabled, simdKernels } from '../../src/reduce/kernels/simd';
import { createRandom } from '../../src/reduce/random';
import { tsneAffinities } from '../../src/reduce/tsne/affinities';
import { exactRepulsion } from '../../src/reduce/tsne/exact';
import { repulsiveForces } from '../../src/reduce/tsne/gradient';
import { NODE_INTS, SpaceTree } from '../../src/reduce/tsne/space-tree';
import { Tsne } from '../../src/reduce/tsne/tsne';
import { Attraction, attractiveForcesUpper } from '../../src/reduce/tsne/attraction';
import { upperTriangle } from '../../src/reduce/tsne/affinities';
import { readTsvTensor } from './reduce-fixtures';

afterEach(() => setSimdEnabled(true));

function forces(tree: SpaceTree, theta: number, simd: boolean): { out: Float64Array; Z: number } {
  setSimdEnabled(simd);
  const out = new Float64Array(tree.n * tree.dim);
  const Z = repulsiveForces(tree, theta, out);
  return { out, Z };
}

/** A t-SNE layout of 1,000 real digits after 300 iterations (clusters, spread like a real run). */
function digitsLayout(dim: 2 | 3): Float64Array {
  const digits = readTsvTensor('public/data/sklearn-digits-8x8/tensors.tsv');
  const t = { data: digits.data.slice(0, 1000 * digits.d), n: 1000, d: digits.d };
  const tsne = new Tsne(tsneAffinities(knnExact(t, 90, 'euclidean'), 30), { dim, perplexity: 30, learningRate: 'auto', iterations: 300, theta: 0.5, seed: 2 });
  while (!tsne.done) tsne.step();
  return Float64Array.from(tsne.positions());
}

function cloudWithCopies(n: number, dim: 2 | 3, seed: number): Float64Array {
  const rng = createRandom(seed);
  const Y = Float64Array.from({ length: n * dim }, () => rng.gaussian() * 5);
  // 80 copies of one point: a leaf at the depth limit holding more than a kernel batch (64).
  for (let c = 1; c <= 80; c++) for (let a = 0; a < dim; a++) Y[c * 7 * dim + a] = Y[a];
  return Y;
}

/** Per-point Barnes-Hut for one point: the classic walk the grouped one replaces. */
function perPointError(tree: SpaceTree, exact: Float64Array, theta: number): number {
  const { nodeF, nodeI, sorted, perm, dim } = tree;
  const sf = dim + 2;
  let num = 0;
  let den = 0;
  for (let s = 0; s < tree.n; s++) {
    const f = new Float64Array(dim);
    const stack = [0];
    while (stack.length) {
      const node = stack.pop()!;
      let d2 = 0;
      const diff: number[] = [];
      for (let a = 0; a < dim; a++) {
        diff.push(sorted[s * dim + a] - nodeF[node * sf + a]);
        d2 += diff[a] ** 2;
      }
      if (nodeF[node * sf + dim + 1] < theta * theta * d2) {
        const w = 1 / (1 + d2);
        for (let a = 0; a < dim; a++) f[a] += nodeF[node * sf + dim] * w * w * diff[a];
        continue;
      }
      const first = nodeI[node * NODE_INTS];
      const count = nodeI[node * NODE_INTS + 1];
      if (count > 0) {
        for (let c = first; c < first + count; c++) stack.push(c);
        continue;
      }
      for (let t = nodeI[node * NODE_INTS + 2]; t < nodeI[node * NODE_INTS + 3]; t++) {
        if (t === s) continue;
        let e2 = 0;
        const e: number[] = [];
        for (let a = 0; a < dim; a++) {
          e.push(sorted[s * dim + a] - sorted[t * dim + a]);
          e2 += e[a] ** 2;
        }
        const w = 1 / (1 + e2);
        for (let a = 0; a < dim; a++) f[a] += w * w * e[a];
      }
    }
    const i = perm[s];
    for (let a = 0; a < dim; a++) {
      num += (f[a] - exact[i * dim + a]) ** 2;
      den += exact[i * dim + a] ** 2;
    }
  }
  return Math.sqrt(num / den);
}

function relativeError(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let e = 0; e < a.length; e++) {
    num += (a[e] - b[e]) ** 2;
    den += b[e] ** 2;
  }
  return Math.sqrt(num / den);
}

describe('grouped Barnes-Hut repulsion', () => {
  it('runs the SIMD kernel here (Node has WebAssembly SIMD)', () => {
    expect(simdKernels()).not.toBeNull();
  });

  for (const dim of [2, 3] as const) {
    it(`${dim}D: SIMD and JavaScript sums agree bit for bit (digits layout; copies overfilling a leaf)`, () => {
      for (const [Y, n] of [
        [digitsLayout(dim), 1000],
        [cloudWithCopies(3000, dim, 4), 3000],
      ] as const) {
        for (const theta of [0, 0.5, 0.8]) {
          const tree = new SpaceTree(dim);
          tree.build(Y, n);
          const js = forces(tree, theta, false);
          const simd = forces(tree, theta, true);
          expect(simd.Z).toBe(js.Z);
          expect(Array.from(simd.out)).toEqual(Array.from(js.out));
        }
      }
    });

    it(`${dim}D: each leaf's walk is at least as close to exact as a walk per point`, () => {
      const Y = digitsLayout(dim);
      const tree = new SpaceTree(dim);
      tree.build(Y, 1000);
      const exact = new Float64Array(1000 * dim);
      const Zexact = exactRepulsion(Y, 1000, dim, exact);
      const { out, Z } = forces(tree, 0.5, true);
      const grouped = relativeError(out, exact);
      expect(grouped).toBeLessThanOrEqual(perPointError(tree, exact, 0.5));
      expect(grouped).toBeLessThan(1e-2);
      expect(Math.abs(Z - Zexact) / Zexact).toBeLessThan(1e-2);
    });
  }

  it('the leaves, in tree order, cover every point once; split anywhere they give the same forces', () => {
    const n = 3000;
    const Y = cloudWithCopies(n, 2, 9);
    const tree = new SpaceTree(2);
    tree.build(Y, n);
    let next = 0;
    for (let g = 0; g < tree.leafCount; g++) {
      const leaf = tree.leaves[g];
      expect(tree.nodeI[leaf * NODE_INTS + 1]).toBe(0);
      expect(tree.nodeI[leaf * NODE_INTS + 2]).toBe(next);
      next = tree.nodeI[leaf * NODE_INTS + 3];
    }
    expect(next).toBe(n);
    const whole = forces(tree, 0.5, true);
    const parts = new Float64Array(n * 2);
    const z = new Float64Array(n);
    const cut = Math.floor(tree.leafCount / 3);
    repulsiveForces(tree, 0.5, parts, cut, tree.leafCount, z);
    repulsiveForces(tree, 0.5, parts, 0, cut, z);
    let Z = 0;
    for (let s = 0; s < n; s++) Z += z[s];
    expect(Z).toBe(whole.Z);
    expect(Array.from(parts)).toEqual(Array.from(whole.out));
  });
});

describe('SIMD attraction', () => {
  const digits = readTsvTensor('public/data/sklearn-digits-8x8/tensors.tsv');
  const t = { data: digits.data.slice(0, 1000 * digits.d), n: 1000, d: digits.d };
  const U = upperTriangle(tsneAffinities(knnExact(t, 90, 'euclidean'), 30));

  for (const dim of [2, 3] as const) {
    it(`${dim}D: the kernel's forces are the JavaScript ones bit for bit, also after the triangle changes in place`, () => {
      const Y = digitsLayout(dim);
      const js = new Float64Array(1000 * dim);
      const simd = new Float64Array(1000 * dim);
      const kernel = new Attraction();
      for (const scale of [12, 1]) {
        attractiveForcesUpper(U, Y, dim, scale, js);
        kernel.run(U, Y, dim, scale, simd);
        expect(Array.from(simd)).toEqual(Array.from(js));
      }
      // Rewritten in place (as the optimizer's relabelling does): forget() makes the kernel copy it again.
      const saved = U.vals.slice();
      U.vals.reverse();
      kernel.forget();
      attractiveForcesUpper(U, Y, dim, 1, js);
      kernel.run(U, Y, dim, 1, simd);
      U.vals.set(saved);
      expect(Array.from(simd)).toEqual(Array.from(js));
    });
  }

  it('a whole run with the SIMD kernels equals the run with the JavaScript loops', () => {
    const P = tsneAffinities(knnExact(t, 90, 'euclidean'), 30);
    const run = (simd: boolean) => {
      setSimdEnabled(simd);
      const tsne = new Tsne(P, { dim: 2, perplexity: 30, learningRate: 'auto', iterations: 250, theta: 0.5, seed: 4 });
      while (!tsne.done) tsne.step();
      return Array.from(tsne.positions());
    };
    expect(run(true)).toEqual(run(false));
  });
});
