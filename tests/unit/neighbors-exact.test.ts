import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/data/types';
import type { Metric } from '../../src/reduce/knn/knn';
import { keptNeighbors, nearestNeighbors } from '../../src/reduce/knn/neighbors-exact';
import { createRandom } from '../../src/reduce/random';
import { naiveDistance } from './reduce-fixtures';

const METRICS: Metric[] = ['cosine', 'euclidean'];

function randomTensor(n: number, d: number, seed: number): Tensor {
  const rng = createRandom(seed);
  const data = new Float32Array(n * d);
  for (let p = 0; p < data.length; p++) data[p] = rng.gaussian();
  return { data, n, d };
}

function tensor(rows: number[][]): Tensor {
  const n = rows.length;
  const d = rows[0].length;
  const data = new Float32Array(n * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, n, d };
}


function naive(t: Tensor, q: number, k: number, metric: Metric, eligible?: Uint8Array): { ids: number[]; ds: number[] } {
  const all: [number, number][] = [];
  for (let j = 0; j < t.n; j++) {
    if (j === q || (eligible && eligible[j] === 0)) continue;
    const dist = naiveDistance(t, metric, q, j);
    if (Number.isFinite(dist)) all.push([dist, j]);
  }
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const top = all.slice(0, Math.max(0, k));
  return { ids: top.map((e) => e[1]), ds: top.map((e) => e[0]) };
}

function expectMatches(t: Tensor, q: number, k: number, metric: Metric, eligible?: Uint8Array): void {
  const got = nearestNeighbors(t, q, k, metric, eligible);
  const want = naive(t, q, k, metric, eligible);
  expect(Array.from(got.indices)).toEqual(want.ids);
  expect(got.distances.length).toBe(want.ds.length);
  got.distances.forEach((dist, r) => expect(Math.abs(dist - want.ds[r])).toBeLessThan(1e-6));
}

describe('nearestNeighbors', () => {
  for (const metric of METRICS) {
    it(`${metric}: matches a naive reference on random data`, () => {
      for (let trial = 0; trial < 20; trial++) {
        const rng = createRandom(100 + trial);
        const n = 2 + Math.floor(rng.next() * 300);
        const d = 1 + Math.floor(rng.next() * 40);
        const t = randomTensor(n, d, trial);
        const q = Math.floor(rng.next() * n);
        const k = 1 + Math.floor(rng.next() * Math.min(n + 5, 60));
        expectMatches(t, q, k, metric);
      }
    });

    it(`${metric}: never returns the query, even beside its copies`, () => {
      const t = tensor([[1, 2], [1, 2], [3, 1], [1, 2]]);
      const r = nearestNeighbors(t, 1, 3, metric);
      expect(Array.from(r.indices)).toEqual([0, 3, 2]);
      expect(r.distances[0]).toBe(0);
      expect(r.distances[1]).toBe(0);
    });

    it(`${metric}: ties go to the lower index`, () => {
      // Rows 1..6 alternate between two points, so distances come in equal pairs.
      const t = tensor([[1, 0, 0], [0, 1, 1], [2, 2, 0], [0, 1, 1], [2, 2, 0], [0, 1, 1], [2, 2, 0]]);
      const r = nearestNeighbors(t, 0, 6, metric);
      const want = naive(t, 0, 6, metric);
      expect(Array.from(r.indices)).toEqual(want.ids);
      // Equal distances in ascending index order.
      for (let a = 1; a < r.indices.length; a++) {
        if (r.distances[a] === r.distances[a - 1]) expect(r.indices[a]).toBeGreaterThan(r.indices[a - 1]);
      }
      // The duplicate-heavy random case: many exact ties.
      const base = randomTensor(10, 8, 9);
      const dup = new Float32Array(200 * 8);
      for (let i = 0; i < 200; i++) {
        const src = (i * 7) % 10;
        dup.set(base.data.subarray(src * 8, src * 8 + 8), i * 8);
      }
      const td = { data: dup, n: 200, d: 8 };
      for (const q of [0, 17, 199]) expectMatches(td, q, 50, metric);
    });

    it(`${metric}: k is clamped to the candidates; k < 1 gives nothing`, () => {
      const t = randomTensor(7, 3, 1);
      const r = nearestNeighbors(t, 2, 100, metric);
      expect(r.indices.length).toBe(6);
      expect(new Set(r.indices).size).toBe(6);
      expect(Array.from(r.indices)).not.toContain(2);
      expectMatches(t, 2, 100, metric);
      for (const k of [0, -3, NaN]) {
        const e = nearestNeighbors(t, 2, k, metric);
        expect(e.indices.length).toBe(0);
        expect(e.distances.length).toBe(0);
      }
      expect(nearestNeighbors({ data: new Float32Array([1, 2]), n: 1, d: 2 }, 0, 5, metric).indices.length).toBe(0);
    });

    it(`${metric}: the eligible mask excludes rows and clamps k`, () => {
      const t = randomTensor(120, 6, 2);
      const rng = createRandom(3);
      const eligible = new Uint8Array(120);
      for (let i = 0; i < 120; i++) eligible[i] = rng.next() < 0.3 ? 1 : 0;
      const count = eligible.reduce((s, v) => s + v, 0);
      for (const q of [0, 50, 119]) {
        expectMatches(t, q, 10, metric, eligible);
        const all = nearestNeighbors(t, q, 1000, metric, eligible);
        expect(all.indices.length).toBe(count - (eligible[q] ? 1 : 0));
        for (const i of all.indices) expect(eligible[i]).toBe(1);
      }
      // null means every row.
      expect(nearestNeighbors(t, 4, 10, metric, null)).toEqual(nearestNeighbors(t, 4, 10, metric));
    });

    it(`${metric}: a query out of range throws RangeError`, () => {
      const t = randomTensor(5, 2, 1);
      for (const q of [-1, 5, 1.5, NaN]) expect(() => nearestNeighbors(t, q, 2, metric)).toThrow(RangeError);
    });
  }

  it('cosine: a zero vector is at distance exactly 1 from everything', () => {
    const t = tensor([[0, 0, 0], [1, 2, 3], [-1, 0, 0], [0, 0, 0], [0, 0.5, 0]]);
    const fromZero = nearestNeighbors(t, 0, 4, 'cosine');
    expect(Array.from(fromZero.indices)).toEqual([1, 2, 3, 4]);
    expect(Array.from(fromZero.distances)).toEqual([1, 1, 1, 1]);
    const toZero = nearestNeighbors(t, 1, 4, 'cosine');
    const zeroAt = Array.from(toZero.indices).indexOf(0);
    expect(toZero.distances[zeroAt]).toBe(1);
    expect(toZero.distances[Array.from(toZero.indices).indexOf(3)]).toBe(1);
    expectMatches(t, 1, 4, 'cosine');
    expectMatches(t, 2, 4, 'cosine');
  });

  it('cosine: distances are in [0, 2], opposite vectors at 2', () => {
    const t = tensor([[1, 1], [-2, -2], [3, 3]]);
    const r = nearestNeighbors(t, 0, 2, 'cosine');
    expect(Array.from(r.indices)).toEqual([2, 1]);
    expect(r.distances[0]).toBe(0);
    expect(r.distances[1]).toBe(2);
  });

  it('layouts: rows with non-finite coordinates are skipped', () => {
    const positions = new Float32Array([
      0, 0, 0,
      NaN, NaN, NaN,
      1, 0, 0,
      Infinity, 0, 0,
      0, 2, 0,
      0, -Infinity, 0,
      0.5, 0.5, NaN,
    ]);
    const t = { data: positions, n: 7, d: 3 };
    const r = nearestNeighbors(t, 0, 10, 'euclidean');
    expect(Array.from(r.indices)).toEqual([2, 4]);
    expect(Array.from(r.distances)).toEqual([1, 2]);
    // Placed rows as the mask, 2D.
    const flat = { data: new Float32Array([0, 0, 3, 4, 1, 1, NaN, 0]), n: 4, d: 2 };
    const placed = new Uint8Array([1, 1, 0, 1]);
    const f = nearestNeighbors(flat, 0, 3, 'euclidean', placed);
    expect(Array.from(f.indices)).toEqual([1]);
    expect(f.distances[0]).toBe(5);
    // An unplaced query has no neighbours; cosine skips them too.
    expect(nearestNeighbors(t, 1, 3, 'euclidean').indices.length).toBe(0);
    expect(Array.from(nearestNeighbors(t, 2, 10, 'cosine').indices)).toEqual([0, 4]);
  });
});

describe('keptNeighbors', () => {
  it('counts the indices of a found in b', () => {
    expect(keptNeighbors(new Int32Array([1, 2, 3]), new Int32Array([3, 4, 1]))).toBe(2);
    expect(keptNeighbors(new Int32Array([]), new Int32Array([1]))).toBe(0);
    expect(keptNeighbors(new Int32Array([5]), new Int32Array([]))).toBe(0);
    const a = Int32Array.from({ length: 100 }, (_, i) => i * 2);
    const b = Int32Array.from({ length: 100 }, (_, i) => i * 3);
    // Multiples of 6 below 198: 0, 6, ..., 198 -> 34.
    expect(keptNeighbors(a, b)).toBe(34);
  });
});
