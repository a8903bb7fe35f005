/**
 * The WebAssembly SIMD kernels (src/reduce/kernels/simd) against the JavaScript ones they stand
 * in for: the exact searches must give the same indices and the same distances, bit for bit, on
 * real data (mnist-2k: the sparse path; GloVe: the dense one) and on shapes that exercise the
 * padding (n and d not multiples of 4, a last block of a few rows, zero and NaN rows).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/data/types';
import { setSimdEnabled, simdKernels } from '../../src/reduce/kernels/simd';
import { exactSearch } from '../../src/reduce/knn/exact';
import type { Metric } from '../../src/reduce/knn/knn';
import { rowsOf } from '../../src/reduce/knn/metric';
import { nearestNeighbors } from '../../src/reduce/knn/neighbors-exact';
import { knnApprox } from '../../src/reduce/knn/knn';
import { Tile, expandRows, expandScratch } from '../../src/reduce/knn/approx/descent';
import { createRandom } from '../../src/reduce/random';
import { readTsvTensor } from './reduce-fixtures';

const METRICS: Metric[] = ['cosine', 'euclidean'];
const GLOVE = fileURLToPath(new URL('../../public/data/glove-100d-10k/tensors.tsv', import.meta.url));

/** The first n rows of GloVe 100d (100 numbers a line; the words are in metadata.tsv). */
function glove(n: number): Tensor {
  const lines = readFileSync(GLOVE, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, n);
  const d = lines[0].split('\t').length;
  const data = new Float32Array(n * d);
  lines.forEach((l, i) => data.set(l.split('\t').map(Number), i * d));
  return { data, n, d };
}

function randomTensor(n: number, d: number, seed: number): Tensor {
  const rng = createRandom(seed);
  const data = new Float32Array(n * d);
  for (let p = 0; p < data.length; p++) data[p] = rng.gaussian();
  return { data, n, d };
}

function both<T>(fn: () => T): [T, T] {
  setSimdEnabled(false);
  const js = fn();
  setSimdEnabled(true);
  return [js, fn()];
}

function expectSameSearch(t: Tensor, k: number, metric: Metric, queries: Int32Array | null): void {
  const [js, simd] = both(() => exactSearch(t, k, metric, queries));
  expect(simd.indices).toEqual(js.indices);
  expect(simd.distances).toEqual(js.distances);
}

function expectSameRows(t: Tensor, rows: number[], k: number, eligible?: Uint8Array): void {
  for (const metric of METRICS) {
    for (const q of rows) {
      const [js, simd] = both(() => nearestNeighbors(t, q, k, metric, eligible));
      expect(simd.indices).toEqual(js.indices);
      expect(simd.distances).toEqual(js.distances);
    }
  }
}

afterEach(() => setSimdEnabled(true));

describe('WebAssembly SIMD kernels', () => {
  it('load in Node', () => {
    expect(simdKernels()).not.toBeNull();
  });

  it('mnist-2k (sparse path): every row, both metrics, the same as JavaScript', () => {
    const t = readTsvTensor('public/data/mnist-2k/tensors.tsv');
    expect(rowsOf(t).csr).not.toBeNull();
    for (const metric of METRICS) expectSameSearch(t, 15, metric, null);
    const queries = Int32Array.from([1999, 0, 7, 500, 1234, 3]);
    expectSameSearch(t, 15, 'cosine', queries);
    expectSameRows(t, [0, 17, 1999], 100);
  });

  it("the approximate search's tiles (leaves and NN-descent joins): the same graph as JavaScript on mnist-2k", () => {
    const t = readTsvTensor('public/data/mnist-2k/tensors.tsv');
    // k = 90 makes leaves of up to 60 rows: those over the kernel's 32 stay in JavaScript.
    for (const k of [15, 90]) {
      const [js, simd] = both(() => knnApprox(t, k, 'cosine', { seed: 5 }));
      expect(simd.indices).toEqual(js.indices);
      expect(simd.distances).toEqual(js.distances);
    }
  });

  it('a tile of any shape up to 32 columns: the same dot products as JavaScript', () => {
    const m = 13;
    const X = new Float64Array(50 * m);
    const rng = createRandom(4);
    for (let p = 0; p < X.length; p++) X[p] = rng.gaussian();
    for (const [rows, cols] of [[1, 2], [3, 7], [12, 24], [13, 29], [32, 32], [5, 33]]) {
      const dots = both(() => {
        const tile = new Tile(40);
        for (let c = 0; c < cols; c++) tile.ids[c] = (c * 7 + 3) % 50;
        tile.compute(X, m, rows, cols);
        const out: number[] = [];
        for (let a = 0; a < rows; a++) for (let b = a + 1; b < cols; b++) out.push(tile.dot(a, b));
        return out;
      });
      expect(dots[1]).toEqual(dots[0]);
      expect(dots[0].length).toBe(Array.from({ length: rows }, (_, a) => cols - a - 1).reduce((x, y) => x + Math.max(0, y), 0));
    }
  });

  it("the graph's widening (neighbours' neighbours): the same candidates as JavaScript", () => {
    const n = 300;
    const m = 13;
    const Kd = 9;
    const K = 23;
    const rng = createRandom(8);
    // Small integers: many rows at equal distances, so any product off by a bit reorders the ties.
    const X = new Float64Array(n * m);
    for (let p = 0; p < X.length; p++) X[p] = Math.floor(rng.next() * 3);
    const sq = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) sq[i] += X[i * m + j] ** 2;
    const graph = new Int32Array(n * Kd);
    for (let e = 0; e < graph.length; e++) graph[e] = Math.floor(rng.next() * n);
    const [js, simd] = both(() => {
      const out = new Int32Array(n * K);
      // Fanouts of 3 and 4 give lists whose lengths are and are not multiples of 4.
      for (const fanout of [3, 4]) expandRows(X, n, m, sq, graph, Kd, K, fanout, 1, out, 0, n, expandScratch(n, Kd, K, fanout));
      return out;
    });
    expect(simd).toEqual(js);
  });

  it('GloVe 100d (dense path): the same as JavaScript', () => {
    const t = glove(1500);
    expect(t.d).toBe(100);
    expect(rowsOf(t).csr).toBeNull();
    for (const metric of METRICS) expectSameSearch(t, 15, metric, null);
    expectSameSearch(t, 10, 'euclidean', Int32Array.from({ length: 45 }, (_, i) => (i * 97) % 1500));
    expectSameRows(t, [0, 999, 1499], 100);
  });

  it('odd shapes, zero rows, ties and NaN rows: the same as JavaScript', () => {
    for (const [n, d] of [[37, 5], [70, 18], [101, 33]] as const) {
      const t = randomTensor(n, d, n + d);
      t.data.fill(0, 3 * d, 4 * d);
      t.data.copyWithin(10 * d, 11 * d, 12 * d);
      for (const metric of METRICS) {
        expectSameSearch(t, 7, metric, null);
        expectSameSearch(t, 5, metric, Int32Array.from([n - 1, 2, 3, 10]));
      }
      const eligible = new Uint8Array(n).fill(1);
      eligible[5] = 0;
      expectSameRows(t, [0, 3, 10, n - 1], 12, eligible);
      t.data[20 * d + 1] = NaN;
      expectSameRows(t, [0, 20], n);
    }
  });
});
