import { describe, expect, it } from 'vitest';
import { isGreyscale } from '../../src/data/greyscale';
import type { KnnGraph } from '../../src/reduce/knn/knn';
import { neighbourChange, neighbourChangeOfGraphs } from '../../src/reduce/neighbour-change';
import { createRandom } from '../../src/reduce/random';

const graph = (rows: number[][]): KnnGraph => ({
  n: rows.length,
  k: rows[0].length,
  metric: 'euclidean',
  indices: Int32Array.from(rows.flat()),
  distances: new Float32Array(rows.length * rows[0].length),
});

describe('neighbour change', () => {
  it('is the share of a point\'s neighbours that are new since the previous title', () => {
    const before = graph([[1, 2], [0, 2], [0, 1], [2, 1]]);
    const after = graph([[2, 1], [3, 2], [3, 0], [2, 1]]);
    expect(Array.from(neighbourChangeOfGraphs(before, after))).toEqual([0, 0.5, 0.5, 0]);
    const wholly = graph([[3, 4], [0, 2], [3, 4], [2, 1], [0, 1]]);
    expect(neighbourChangeOfGraphs(graph([[1, 2], [0, 2], [0, 1], [2, 1], [0, 1]]), wholly)[0]).toBe(1);
  });

  it('is 0 for the same data, within [0, 1] for changed data, and refuses other points', () => {
    const rnd = createRandom(2);
    const n = 200;
    const d = 8;
    const a = Float32Array.from({ length: n * d }, () => rnd.gaussian());
    const b = a.map((v) => v + 0.8 * rnd.gaussian());
    expect(Array.from(neighbourChange({ data: a, n, d }, { data: a, n, d }, 'cosine')).every((v) => v === 0)).toBe(true);
    const change = neighbourChange({ data: a, n, d }, { data: b, n, d }, 'cosine');
    expect(change.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(change.some((v) => v > 0)).toBe(true);
    expect(() => neighbourChange({ data: a, n, d }, { data: a.subarray(0, 100 * d), n: 100, d }, 'cosine')).toThrow(/same points/);
  });
});

describe('greyscale pictures', () => {
  it('tells grey sprites (tinted by default) from coloured ones; transparent pixels do not count', () => {
    const grey = Uint8Array.from([10, 10, 10, 255, 200, 201, 200, 255, 255, 0, 0, 0]);
    expect(isGreyscale(grey)).toBe(true);
    const coloured = Uint8Array.from([10, 10, 10, 255, 200, 30, 30, 255]);
    expect(isGreyscale(coloured)).toBe(false);
  });
});
