import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/data/types';
import { knnApprox, knnExact, knnGraph, knnRecall, type KnnGraph, type Metric } from '../../src/reduce/knn/knn';
import { exactSearch } from '../../src/reduce/knn/exact';
import { duplicateCandidates } from '../../src/reduce/knn/approx/duplicates';
import { compressRows } from '../../src/data/compressed-rows';
import { createRandom } from '../../src/reduce/random';
import { HAS_SHARED, SHARED_DATA, parseVectorsFile } from './dataset-helpers';
import { naiveDistance, readTsvTensor, tensorFromRows } from './reduce-fixtures';

const iris = readTsvTensor('public/data/iris/tensors.tsv');
const digits = readTsvTensor('public/data/sklearn-digits-8x8/tensors.tsv');
/** 2000 x 784 pixels, ~80% zeros: the compressed-row paths. */
const mnist2k = readTsvTensor('public/data/mnist-2k/tensors.tsv');
const METRICS: Metric[] = ['cosine', 'euclidean'];


/** Row i's k nearest by the naive distances (ties by index). */
function naiveRow(t: Tensor, metric: Metric, i: number, k: number): { ids: number[]; ds: number[] } {
  const all: [number, number][] = [];
  for (let j = 0; j < t.n; j++) if (j !== i) all.push([naiveDistance(t, metric, i, j), j]);
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const top = all.slice(0, k);
  return { ids: top.map((e) => e[1]), ds: top.map((e) => e[0]) };
}

/** Structure every graph must have: shape, no self, no repeats, ascending, valid indices. */
function expectWellFormed(g: KnnGraph, n: number, k: number, metric: Metric): void {
  expect(g.n).toBe(n);
  expect(g.k).toBe(k);
  expect(g.metric).toBe(metric);
  expect(g.indices.length).toBe(n * k);
  expect(g.distances.length).toBe(n * k);
  for (let i = 0; i < n; i++) {
    const row = new Set<number>();
    for (let r = 0; r < k; r++) {
      const j = g.indices[i * k + r];
      const dist = g.distances[i * k + r];
      if (j === i || j < 0 || j >= n || row.has(j) || !Number.isFinite(dist) || dist < 0) {
        throw new Error(`row ${i}, rank ${r}: neighbour ${j} at ${dist}`);
      }
      if (r > 0 && dist < g.distances[i * k + r - 1]) throw new Error(`row ${i}: distances not ascending at rank ${r}`);
      row.add(j);
    }
  }
}

/**
 * The exact graph against the naive reference, robust to ties: the distances of each rank agree,
 * and every listed neighbour is really at its listed distance.
 */
function expectMatchesNaive(g: KnnGraph, t: Tensor, metric: Metric, rows: number[]): void {
  const k = g.k;
  for (const i of rows) {
    const ref = naiveRow(t, metric, i, k);
    const scale = Math.max(1, ref.ds[k - 1]);
    for (let r = 0; r < k; r++) {
      const j = g.indices[i * k + r];
      const dist = g.distances[i * k + r];
      const tol = 1e-5 * scale;
      if (Math.abs(dist - ref.ds[r]) > tol || Math.abs(dist - naiveDistance(t, metric, i, j)) > tol) {
        throw new Error(`row ${i} rank ${r}: got ${j} at ${dist}, reference ${ref.ids[r]} at ${ref.ds[r]}`);
      }
    }
  }
}

function allRows(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function everyNth(n: number, step: number): number[] {
  return Array.from({ length: Math.ceil(n / step) }, (_, i) => i * step);
}

/** Recall of g on the given rows against exact neighbours computed for those rows only. */
function sampledRecall(t: Tensor, g: KnnGraph, rows: Int32Array): number {
  const exact = exactSearch(t, g.k, g.metric, rows);
  let hits = 0;
  for (let r = 0; r < rows.length; r++) {
    const truth = new Set(exact.indices.subarray(r * g.k, (r + 1) * g.k));
    for (let c = 0; c < g.k; c++) if (truth.has(g.indices[rows[r] * g.k + c])) hits++;
  }
  return hits / (rows.length * g.k);
}

/** Seeded Gaussian blobs: `clusters` centres spread with sd 5, points around them with sd 1. */
function gaussianClusters(n: number, d: number, clusters: number, seed: number): Tensor {
  const rng = createRandom(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: d }, () => 5 * rng.gaussian()));
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[i % clusters];
    for (let j = 0; j < d; j++) data[i * d + j] = c[j] + rng.gaussian();
  }
  return { data, n, d };
}

describe('knnExact', () => {
  for (const metric of METRICS) {
    it(`matches the naive O(N^2) reference on iris (${metric}, k = 5, 15, 90)`, () => {
      for (const k of [5, 15, 90]) {
        const g = knnExact(iris, k, metric);
        expectWellFormed(g, iris.n, k, metric);
        expectMatchesNaive(g, iris, metric, allRows(iris.n));
      }
    });

    it(`matches the naive reference on sklearn-digits (${metric}, k = 15)`, () => {
      const g = knnExact(digits, 15, metric);
      expectWellFormed(g, digits.n, 15, metric);
      expectMatchesNaive(g, digits, metric, everyNth(digits.n, 7));
    });
  }

  it('matches the naive reference on mnist-2k, mostly zeros (both metrics, k = 15)', () => {
    for (const metric of METRICS) {
      const g = knnExact(mnist2k, 15, metric);
      expectWellFormed(g, mnist2k.n, 15, metric);
      expectMatchesNaive(g, mnist2k, metric, everyNth(mnist2k.n, 41));
    }
  });

  it('handles sparse rows with copies and zero rows like dense ones', () => {
    // 300 rows of 40 columns, ~90% zeros: 100 distinct rows (10 of them zero) three times over.
    const rng = createRandom(5);
    const base = Array.from({ length: 100 }, (_, i) =>
      Array.from({ length: 40 }, (_, j) => (i < 10 ? 0 : j === i % 40 ? 1 + (i % 3) : rng.next() < 0.1 ? Math.round(rng.gaussian() * 4) : 0)));
    const t = tensorFromRows(Array.from({ length: 300 }, (_, i) => base[i % 100]));
    for (const metric of METRICS) {
      const g = knnExact(t, 6, metric);
      expectWellFormed(g, 300, 6, metric);
      expectMatchesNaive(g, t, metric, allRows(300));
      for (let i = 10; i < 100; i++) expect(Array.from(g.distances.subarray(i * 6, i * 6 + 2))).toEqual([0, 0]);
    }
  });

  it('gives duplicates distance 0, zero rows cosine distance 1, and breaks ties by index', () => {
    const rows = [
      [1, 2, 3], [0, 0, 0], [1, 2, 3], [2, 4, 6], [0, 0, 0], [-1, 0, 1], [3, 1, 0], [1, 2, 3],
    ];
    const t = tensorFromRows(rows);
    const cos = knnExact(t, 7, 'cosine');
    expectWellFormed(cos, 8, 7, 'cosine');
    expectMatchesNaive(cos, t, 'cosine', allRows(8));
    // Row 0: its copies 2 and 7 and its multiple 3 at 0 (by index), the zero rows at 1 among the rest.
    expect(Array.from(cos.indices.subarray(0, 3))).toEqual([2, 3, 7]);
    expect(Array.from(cos.distances.subarray(0, 3))).toEqual([0, 0, 0]);
    // A zero row is at distance 1 from every row, so its list is simply by index.
    expect(Array.from(cos.indices.subarray(7, 14))).toEqual([0, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(cos.distances.subarray(7, 14))).toEqual([1, 1, 1, 1, 1, 1, 1]);

    const euc = knnExact(t, 3, 'euclidean');
    expectMatchesNaive(euc, t, 'euclidean', allRows(8));
    expect(Array.from(euc.indices.subarray(0, 3))).toEqual([2, 7, 5]);
    expect(euc.distances[0]).toBe(0);
    expect(Array.from(euc.indices.subarray(3, 6))).toEqual([4, 5, 6]);
  });

  it('clamps k to n - 1 and rejects bad input', () => {
    const t = tensorFromRows([[0, 1], [1, 0], [1, 1]]);
    const g = knnExact(t, 10, 'euclidean');
    expect(g.k).toBe(2);
    expectWellFormed(g, 3, 2, 'euclidean');
    expect(knnExact(tensorFromRows([[1, 2]]), 3, 'cosine').k).toBe(0);
    expect(() => knnExact(t, 0, 'cosine')).toThrow(RangeError);
    expect(() => knnExact(t, 1.5, 'cosine')).toThrow(RangeError);
    expect(() => knnExact({ data: new Float32Array([0, NaN, 1, 1]), n: 2, d: 2 }, 1, 'cosine')).toThrow(RangeError);
    expect(() => knnApprox(t, 1, 'manhattan' as Metric)).toThrow(RangeError);
  });

  it('rejects NaN and infinities whether or not the rows come compressed', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const data = new Float32Array(40 * 6);
      for (let i = 0; i < 40; i++) data[i * 6 + (i % 6)] = 1 + i;
      data[17 * 6 + 4] = bad;
      const t = { data, n: 40, d: 6 };
      const compressed = compressRows(t, data.filter((x) => x !== 0).length);
      for (const opts of [{}, { compressed }]) {
        expect(() => knnApprox(t, 3, 'cosine', opts)).toThrow(/NaN or infinite/);
        expect(() => knnExact(t, 3, 'euclidean', opts)).toThrow(/NaN or infinite/);
      }
    }
  });

  it('reports increasing progress ending with 1', () => {
    const seen: number[] = [];
    knnExact(digits, 10, 'cosine', { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(2);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    expect(seen.at(-1)).toBe(1);
  });
});

describe('knnApprox', () => {
  const exact = Object.fromEntries(METRICS.map((m) => [m, knnExact(digits, 90, m)])) as Record<Metric, KnnGraph>;

  for (const metric of METRICS) {
    it(`reaches recall >= 0.95 on sklearn-digits (${metric}, k = 15 and 90, forced via exactBelow: 0)`, () => {
      for (const k of [15, 90]) {
        const g = knnGraph(digits, k, metric, { exactBelow: 0 });
        expectWellFormed(g, digits.n, k, metric);
        const truth = k === 90 ? exact[metric] : knnExact(digits, k, metric);
        const recall = knnRecall(g, truth);
        expect(recall, `recall@${k}`).toBeGreaterThanOrEqual(0.95);
        // Listed distances are the exact ones, whatever the search space was.
        for (const i of everyNth(digits.n, 97)) {
          for (let r = 0; r < k; r++) {
            expect(g.distances[i * k + r]).toBeCloseTo(naiveDistance(digits, metric, i, g.indices[i * k + r]), 5);
          }
        }
      }
    });
  }

  it('reaches recall >= 0.95 on mnist-2k (both metrics, projected search space)', () => {
    for (const metric of METRICS) {
      const g = knnApprox(mnist2k, 15, metric);
      expectWellFormed(g, mnist2k.n, 15, metric);
      expect(knnRecall(g, knnExact(mnist2k, 15, metric))).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('searches all dimensions when asked (project: false): another search, as exact a result', () => {
    const exact = knnExact(mnist2k, 15, 'cosine');
    const projected = knnApprox(mnist2k, 15, 'cosine');
    const full = knnApprox(mnist2k, 15, 'cosine', { project: false });
    expectWellFormed(full, mnist2k.n, 15, 'cosine');
    expect(full.indices).not.toEqual(projected.indices);
    expect(knnRecall(full, exact)).toBeGreaterThanOrEqual(0.95);
  });

  it('is deterministic for a seed, and valid for another', () => {
    const a = knnApprox(digits, 15, 'cosine', { seed: 7 });
    const b = knnApprox(digits, 15, 'cosine', { seed: 7 });
    expect(b.indices).toEqual(a.indices);
    expect(b.distances).toEqual(a.distances);
    const c = knnApprox(digits, 15, 'cosine', { seed: 8 });
    expectWellFormed(c, digits.n, 15, 'cosine');
    expect(knnRecall(c, knnExact(digits, 15, 'cosine'))).toBeGreaterThanOrEqual(0.95);
  });

  it('handles duplicates and zero rows (d > 128: through the projected search space)', () => {
    // 1500 rows of 150 columns: four copies each of 375 distinct rows, 75 of them zero. The rows
    // lie near a 10-dimensional subspace, so the 64-dimensional projection is used.
    const rng = createRandom(3);
    const basis = Array.from({ length: 10 }, () => Array.from({ length: 150 }, () => rng.gaussian()));
    const base = Array.from({ length: 375 }, (_, i) => {
      const z = basis.map(() => rng.gaussian());
      return Array.from({ length: 150 }, (_, j) => (i < 75 ? 0 : z.reduce((sum, zr, r) => sum + zr * basis[r][j], 0) + 0.01 * rng.gaussian()));
    });
    const t = tensorFromRows(Array.from({ length: 1500 }, (_, i) => base[i % 375]));
    for (const metric of METRICS) {
      const g = knnApprox(t, 5, metric);
      expectWellFormed(g, 1500, 5, metric);
      for (let i = 75; i < 375; i++) {
        // A non-zero row's three copies come first, at distance 0.
        expect(Array.from(g.distances.subarray(i * 5, i * 5 + 3))).toEqual([0, 0, 0]);
        expect(new Set(g.indices.subarray(i * 5, i * 5 + 3))).toEqual(new Set([i + 375, i + 750, i + 1125]));
      }
      if (metric === 'cosine') {
        for (let i = 0; i < 75; i++) expect(Array.from(g.distances.subarray(i * 5, i * 5 + 5))).toEqual([1, 1, 1, 1, 1]);
      }
    }
  });

  it('finds the same copies from compressed rows as from dense ones (-0 and +0 alike)', () => {
    // mnist-2k's rows, each fifth one copied over the next, one copy with a zero made -0.
    const rows = Array.from({ length: 400 }, (_, i) => Array.from(mnist2k.data.subarray((i - (i % 5 === 1 ? 1 : 0)) * 784, (i - (i % 5 === 1 ? 1 : 0) + 1) * 784)));
    const zero = rows[6].indexOf(0);
    rows[6][zero] = -0;
    const t = tensorFromRows(rows);
    const dense = duplicateCandidates(t, 3);
    const sparse = duplicateCandidates(t, 3, compressRows(t, t.data.filter((x) => x !== 0).length));
    expect(dense).not.toBeNull();
    expect(Array.from(dense!.ptr)).toEqual(Array.from(sparse!.ptr));
    expect(Array.from(dense!.idx)).toEqual(Array.from(sparse!.idx));
    // Row 6 is row 5's copy despite its -0; rows 0..4 hold one pair (0, 1).
    expect(Array.from(sparse!.idx.subarray(sparse!.ptr[5], sparse!.ptr[7]))).toEqual([6, 5]);
    expect(Array.from(sparse!.idx.subarray(sparse!.ptr[0], sparse!.ptr[5]))).toEqual([1, 0]);
  });

  it('finds the neighbours of seeded Gaussian clusters (12000 x 50, euclidean)', () => {
    const t = gaussianClusters(12000, 50, 40, 11);
    const g = knnApprox(t, 15, 'euclidean');
    expectWellFormed(g, t.n, 15, 'euclidean');
    const rows = Int32Array.from(everyNth(t.n, 60));
    expect(sampledRecall(t, g, rows)).toBeGreaterThanOrEqual(0.95);
  });
});

describe('knnGraph and knnRecall', () => {
  it('is exact below exactBelow and for small data by default', () => {
    const g = knnGraph(iris, 10, 'euclidean');
    const e = knnExact(iris, 10, 'euclidean');
    expect(g.indices).toEqual(e.indices);
    expect(knnRecall(g, e)).toBe(1);
    expect(knnGraph(digits, 10, 'cosine', { exactBelow: 2000 }).indices).toEqual(knnExact(digits, 10, 'cosine').indices);
    // Mostly zeros: brute force only visits the non-zeros, so mnist-2k counts as small.
    expect(knnGraph(mnist2k, 5, 'cosine').indices).toEqual(knnExact(mnist2k, 5, 'cosine').indices);
  });

  it('counts the overlap per row, using the first exact.k of a longer list', () => {
    const e: KnnGraph = { n: 3, k: 1, metric: 'euclidean', indices: Int32Array.from([1, 0, 1]), distances: new Float32Array(3) };
    const a: KnnGraph = { n: 3, k: 2, metric: 'euclidean', indices: Int32Array.from([1, 2, 2, 0, 0, 1]), distances: new Float32Array(6) };
    // Only the first neighbour of each row of a counts: row 0 hits, rows 1 and 2 miss.
    expect(knnRecall(a, e)).toBeCloseTo(1 / 3, 12);
    expect(() => knnRecall(e, a)).toThrow(RangeError);
  });
});

describe.skipIf(!HAS_SHARED)('mnist-10k (../shared/data)', () => {
  it('reaches recall@15 >= 0.95 for cosine (checked on 250 rows)', async () => {
    const { data, n, d } = await parseVectorsFile(join(SHARED_DATA, 'mnist-10k/tensors.tsv'), [10000, 784]);
    const t = { data, n, d };
    const g = knnGraph(t, 15, 'cosine');
    expectWellFormed(g, n, 15, 'cosine');
    expect(sampledRecall(t, g, Int32Array.from(everyNth(n, 40)))).toBeGreaterThanOrEqual(0.95);
  });
});
