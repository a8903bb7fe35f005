import { describe, expect, it } from 'vitest';
import { UMAP } from 'umap-js';
import { findABParams } from 'umap-js/dist/umap';
import { Umap } from '../../src/reduce/umap/umap';
import { findAB, residualCost } from '../../src/reduce/umap/curve';
import { fuzzySimplicialSet, smoothKnnDistances, type NeighborGraph } from '../../src/reduce/umap/graph';
import { exactAttract, exactRepel, gradientTables, tabulated } from '../../src/reduce/umap/sgd';
import { thrown } from './dataset-helpers';
import { readDigitLabels, readTsvTensor } from './reduce-fixtures';
import { exactKnn, flatten, labelKnnAccuracy, rowsOf, umapJsFit, withSelf } from './umap-helpers';

const iris = readTsvTensor('public/data/iris/tensors.tsv');
const irisGraph = exactKnn(iris, 15);
const digits = readTsvTensor('public/data/sklearn-digits-8x8/tensors.tsv');
const digitLabels = readDigitLabels();
const digitsGraph = exactKnn(digits, 15);

const defaults = { nNeighbors: 15, minDist: 0.1, epochs: 'auto', seed: 7 } as const;

/** A graph whose row i has neighbours i+1, i+2, ... (mod n) at distances 1, 2, ... */
function ringGraph(n: number, k: number): NeighborGraph {
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      indices[i * k + r] = (i + r + 1) % n;
      distances[i * k + r] = r + 1;
    }
  }
  return { n, k, indices, distances };
}

describe('findAB (the low-dimensional similarity curve)', () => {
  it("matches umap-learn's a, b for minDist 0.1, spread 1", () => {
    // umap-learn's find_ab_params(1.0, 0.1) (scipy curve_fit), also umap-js's defaults.
    const { a, b } = findAB(1, 0.1);
    expect(a).toBeCloseTo(1.5769434603113077, 5);
    expect(b).toBeCloseTo(0.8950608779109733, 5);
  });

  it("is the least-squares optimum: no worse than umap-js's fit on umap-learn's data, for several settings", () => {
    for (const [spread, minDist] of [[1, 0], [1, 0.1], [1, 0.5], [2, 0.25], [0.5, 0.01]]) {
      const xs = Float64Array.from({ length: 300 }, (_, i) => (3 * spread * i) / 299);
      const ys = xs.map((x) => (x < minDist ? 1 : Math.exp(-(x - minDist) / spread)));
      const ours = findAB(spread, minDist);
      const theirs = findABParams(spread, minDist);
      const cost = residualCost(xs, ys, ours.a, ours.b);
      expect(cost).toBeLessThanOrEqual(residualCost(xs, ys, theirs.a, theirs.b) + 1e-12);
      // A minimum: nudging either parameter does not lower the cost.
      for (const [da, db] of [[1e-4, 0], [-1e-4, 0], [0, 1e-4], [0, -1e-4]]) {
        expect(residualCost(xs, ys, ours.a + da, ours.b + db)).toBeGreaterThanOrEqual(cost - 1e-15);
      }
      // And umap-js lands near it (it fits slightly different data and stops early).
      expect(Math.abs(ours.a - theirs.a) / theirs.a).toBeLessThan(0.1);
      expect(Math.abs(ours.b - theirs.b) / theirs.b).toBeLessThan(0.1);
    }
  });

  it('rejects bad settings', () => {
    expect(thrown(() => findAB(0, 0.1)).message).toMatch(/spread/);
    expect(thrown(() => findAB(1, -0.1)).message).toMatch(/minDist/);
    expect(thrown(() => findAB(1, 2)).message).toMatch(/exceed/);
  });
});

describe('fuzzySimplicialSet', () => {
  /** umap-js's fuzzy graph and smooth kNN distances from the same neighbours (self prepended). */
  function umapJsGraph(nNeighbors: number) {
    const umap = new UMAP({ nNeighbors });
    const knn = withSelf(irisGraph, nNeighbors - 1);
    umap.setPrecomputedKNN(knn.indices, knn.distances);
    umap.initializeFit(rowsOf(iris));
    const internals = umap as unknown as {
      graph: { get(row: number, col: number): number; getAll(): { row: number; col: number; value: number }[] };
      smoothKNNDistance(d: number[][], k: number, localConnectivity: number): { sigmas: number[]; rhos: number[] };
    };
    return { graph: internals.graph, smooth: internals.smoothKNNDistance(knn.distances, nNeighbors, 1) };
  }

  it("matches umap-js's rho, sigma and membership weights on iris (duplicate rows included)", () => {
    for (const nNeighbors of [15, 5]) {
      const ref = umapJsGraph(nNeighbors);
      const { sigmas, rhos } = smoothKnnDistances(irisGraph, nNeighbors);
      for (let i = 0; i < iris.n; i++) {
        expect(rhos[i]).toBeCloseTo(ref.smooth.rhos[i], 6);
        expect(sigmas[i]).toBeCloseTo(ref.smooth.sigmas[i], 10);
      }
      const W = fuzzySimplicialSet(irisGraph, nNeighbors);
      const theirs = ref.graph.getAll().filter((e) => e.value > 0);
      expect(W.indptr[iris.n]).toBe(theirs.length);
      for (const e of theirs) {
        const row = W.indices.subarray(W.indptr[e.row], W.indptr[e.row + 1]);
        const at = row.indexOf(e.col);
        expect(at).toBeGreaterThanOrEqual(0);
        expect(W.weights[W.indptr[e.row] + at]).toBeCloseTo(e.value, 6);
      }
    }
  });

  it('is symmetric, with sorted rows and weights in (0, 1]', () => {
    const W = fuzzySimplicialSet(digitsGraph, 15);
    const lookup = (i: number, j: number) => {
      const row = W.indices.subarray(W.indptr[i], W.indptr[i + 1]);
      const at = row.indexOf(j);
      return at < 0 ? 0 : W.weights[W.indptr[i] + at];
    };
    const bad: string[] = [];
    for (let i = 0; i < W.n; i++) {
      for (let p = W.indptr[i]; p < W.indptr[i + 1]; p++) {
        const j = W.indices[p];
        const w = W.weights[p];
        if (p > W.indptr[i] && !(j > W.indices[p - 1])) bad.push(`row ${i} unsorted at ${p}`);
        if (!(w > 0 && w <= 1)) bad.push(`W[${i}][${j}] = ${w}`);
        if (lookup(j, i) !== w) bad.push(`W[${j}][${i}] != W[${i}][${j}]`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(W.indptr[W.n]).toBeGreaterThan(digits.n * 14); // the union adds the reverse edges
  });

  it('uses only the first nNeighbors - 1 columns of a wider graph', () => {
    const wide = exactKnn(iris, 30);
    const a = fuzzySimplicialSet(wide, 15);
    const b = fuzzySimplicialSet(irisGraph, 15);
    expect(a.indptr).toEqual(b.indptr);
    expect(a.indices).toEqual(b.indices);
    expect(a.weights).toEqual(b.weights);
  });

  it('rejects a graph too narrow for nNeighbors, unless it already holds every other point', () => {
    expect(thrown(() => fuzzySimplicialSet(ringGraph(100, 5), 15)).message).toMatch(/k >= 14/);
    expect(thrown(() => fuzzySimplicialSet(ringGraph(100, 20), 1)).message).toMatch(/nNeighbors/);
    const tiny = fuzzySimplicialSet(ringGraph(6, 5), 15);
    expect(tiny.indptr[6]).toBe(30); // all pairs
  });
});

describe('gradient tables', () => {
  it('agree with the exact coefficients to 3e-6 relative over the layout distances that occur', () => {
    const { a, b } = findAB(1, 0.1);
    const t = gradientTables(a, b, 1);
    for (let e = -19; e < 23; e += 0.0137) {
      const d2 = Math.pow(2, e);
      const attract = exactAttract(d2, a, b);
      const repel = exactRepel(d2, a, b, 1);
      expect(Math.abs(tabulated(t, 'attract', d2) - attract)).toBeLessThan(3e-6 * Math.abs(attract));
      expect(Math.abs(tabulated(t, 'repel', d2) - repel)).toBeLessThan(3e-6 * repel);
    }
    // Outside the table: the exact formula.
    expect(tabulated(t, 'repel', 1e-9)).toBe(exactRepel(1e-9, a, b, 1));
    expect(tabulated(t, 'attract', 1e9)).toBe(exactAttract(1e9, a, b));
  });
});

describe('Umap', () => {
  it('separates the digits in 2D as well as umap-js does from the same graph', () => {
    const epochs = 200;
    const ours = new Umap(digitsGraph, { ...defaults, dim: 2, epochs });
    ours.step(epochs);
    const oursAccuracy = labelKnnAccuracy(ours.positions(), 2, digitLabels);
    const ref = umapJsFit(digits, digitsGraph, { nNeighbors: 15, dim: 2, epochs, seed: 7 });
    const refAccuracy = labelKnnAccuracy(flatten(ref.embedding), 2, digitLabels);
    expect(oursAccuracy).toBeGreaterThan(0.9);
    expect(oursAccuracy).toBeGreaterThan(refAccuracy - 0.02);
  });

  it('separates the digits in 3D with the default (auto) epochs', () => {
    const u = new Umap(digitsGraph, { ...defaults, dim: 3 });
    expect(u.totalEpochs).toBe(500);
    u.step(u.totalEpochs);
    expect(u.positions().length).toBe(digits.n * 3);
    expect(u.positions().every(Number.isFinite)).toBe(true);
    expect(labelKnnAccuracy(u.positions(), 3, digitLabels)).toBeGreaterThan(0.9);
  });

  it('advances epoch by epoch up to totalEpochs, then stops', () => {
    const u = new Umap(irisGraph, { ...defaults, dim: 2, epochs: 30 });
    expect([u.epoch, u.totalEpochs, u.done]).toEqual([0, 30, false]);
    const view = u.positions();
    const start = view.slice();
    u.step();
    expect(u.epoch).toBe(1);
    u.step(10);
    expect(u.epoch).toBe(11);
    expect(u.positions()).toBe(view); // a live view
    expect(view).not.toEqual(start);
    u.step(100);
    expect([u.epoch, u.done]).toEqual([30, true]);
    const end = view.slice();
    u.step(5);
    expect(u.epoch).toBe(30);
    expect(view).toEqual(end);
  });

  it('is reproducible: same seed, same layout however the epochs are split; another seed differs', () => {
    const run = (seed: number, chunks: number[]) => {
      const u = new Umap(irisGraph, { ...defaults, dim: 3, seed, epochs: 60 });
      for (const c of chunks) u.step(c);
      return u.positions().slice();
    };
    const a = run(3, [60]);
    expect(run(3, [1, 7, 20, 32])).toEqual(a);
    expect(run(3, Array(60).fill(1))).toEqual(a);
    expect(run(4, [60])).not.toEqual(a);
  });

  it('starts from a seeded uniform [-10, 10] layout, or from a given one rescaled to [0, 10]', () => {
    const u = new Umap(irisGraph, { ...defaults, dim: 2 });
    const p = u.positions();
    expect(Math.min(...p)).toBeGreaterThanOrEqual(-10);
    expect(Math.max(...p)).toBeLessThanOrEqual(10);
    expect(Math.max(...p) - Math.min(...p)).toBeGreaterThan(15);

    const init = new Float32Array(iris.n * 2);
    for (let i = 0; i < iris.n; i++) {
      init[2 * i] = iris.data[4 * i + 2] * 100; // petal length
      init[2 * i + 1] = -iris.data[4 * i + 3]; // petal width, flipped
    }
    const v = new Umap(irisGraph, { ...defaults, dim: 2, init });
    const q = v.positions();
    for (const c of [0, 1]) {
      const col = Array.from({ length: iris.n }, (_, i) => q[2 * i + c]);
      expect(Math.min(...col)).toBeCloseTo(0, 5);
      expect(Math.max(...col)).toBeCloseTo(10, 5);
    }
    expect(init[0]).toBeCloseTo(140, 3); // not modified
    v.step(v.totalEpochs);
    expect(q.every(Number.isFinite)).toBe(true);
  });

  it('picks 500 epochs up to 10 000 points and 200 beyond, as umap-learn', () => {
    expect(new Umap(ringGraph(10000, 14), { ...defaults, dim: 2 }).totalEpochs).toBe(500);
    expect(new Umap(ringGraph(10001, 14), { ...defaults, dim: 2 }).totalEpochs).toBe(200);
  });

  it('rejects bad parameters', () => {
    const g = ringGraph(50, 14);
    expect(thrown(() => new Umap(g, { ...defaults, dim: 4 as 2 })).message).toMatch(/dim/);
    expect(thrown(() => new Umap(g, { ...defaults, dim: 2, epochs: 0 })).message).toMatch(/epochs/);
    expect(thrown(() => new Umap(g, { ...defaults, dim: 2, epochs: 1.5 })).message).toMatch(/epochs/);
    expect(thrown(() => new Umap(g, { ...defaults, dim: 2, nNeighbors: 16 })).message).toMatch(/k >= 15/);
    expect(thrown(() => new Umap(g, { ...defaults, dim: 2, init: new Float32Array(3) })).message).toMatch(/init/);
    expect(thrown(() => new Umap(g, { ...defaults, dim: 2, negativeSampleRate: -1 })).message).toMatch(/negative/);
  });

  it('lays out a tiny data set (fewer points than nNeighbors)', () => {
    const t = { data: iris.data.slice(0, 8 * 4), n: 8, d: 4 };
    const u = new Umap(exactKnn(t, 7), { ...defaults, dim: 2 });
    u.step(u.totalEpochs);
    expect(u.positions().every(Number.isFinite)).toBe(true);
    for (const n of [1, 2]) {
      const g = exactKnn({ data: iris.data.slice(0, n * 4), n, d: 4 }, 15);
      const v = new Umap(g, { ...defaults, dim: 3 });
      v.step(v.totalEpochs);
      expect(v.positions().length).toBe(n * 3);
      expect(v.positions().every(Number.isFinite)).toBe(true);
    }
  });
});
