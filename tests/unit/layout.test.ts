import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/data/types';
import { layoutFromProjections, precomputedLayout } from '../../src/reduce/layout';
import { pca } from '../../src/reduce/pca/pca';
import { readTsvTensor } from './reduce-fixtures';

function radii(positions: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < positions.length; i += 3) out.push(Math.hypot(positions[i], positions[i + 1], positions[i + 2]));
  return out;
}

function centroid(positions: Float32Array): [number, number, number] {
  const c: [number, number, number] = [0, 0, 0];
  const n = positions.length / 3;
  for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) c[a] += positions[i * 3 + a] / n;
  return c;
}

function expectUnitFit(positions: Float32Array): void {
  for (const v of centroid(positions)) expect(Math.abs(v)).toBeLessThan(1e-6);
  expect(Math.max(...radii(positions))).toBeCloseTo(1, 6);
}

describe('layoutFromProjections', () => {
  // 4 points, k = 3, off-centre so the centring shows.
  const projections = Float32Array.from([
    10, 1, 5,
    12, 1, 5,
    10, 3, 5,
    10, 1, 9,
  ]);

  it('centres on the centroid and puts the farthest point at radius 1', () => {
    const p = layoutFromProjections(projections, 4, 3, [0, 1, 2]);
    expect(p.length).toBe(12);
    expectUnitFit(p);
  });

  it('scales uniformly: the axes keep their proportions', () => {
    const p = layoutFromProjections(projections, 4, 3, [0, 1, 2]);
    // Points 1 and 2 differ from point 0 by +2 on one axis each.
    expect(p[3] - p[0]).toBeCloseTo(p[7] - p[1], 6);
    expect(p[11] - p[2]).toBeCloseTo(2 * (p[3] - p[0]), 6);
  });

  it('picks and orders the requested axes', () => {
    const p = layoutFromProjections(projections, 4, 3, [2, 0, 1]);
    const q = layoutFromProjections(projections, 4, 3, [0, 1, 2]);
    for (let i = 0; i < 4; i++) {
      expect(p[i * 3]).toBeCloseTo(q[i * 3 + 2], 6);
      expect(p[i * 3 + 1]).toBeCloseTo(q[i * 3], 6);
    }
  });

  it('puts z at 0 for two axes', () => {
    const p = layoutFromProjections(projections, 4, 3, [0, 1]);
    for (let i = 0; i < 4; i++) expect(p[i * 3 + 2]).toBe(0);
    expectUnitFit(p);
  });

  it('gives zeros when every point is the same', () => {
    const same = new Float32Array(5 * 2).fill(7);
    const p = layoutFromProjections(same, 5, 2, [0, 1]);
    expect(Array.from(p)).toEqual(new Array(15).fill(0));
  });

  it('rejects an axis outside 0..k-1 and a short buffer', () => {
    expect(() => layoutFromProjections(projections, 4, 3, [0, 1, 3])).toThrow(RangeError);
    expect(() => layoutFromProjections(projections, 4, 3, [-1, 1])).toThrow(RangeError);
    expect(() => layoutFromProjections(projections, 5, 3, [0, 1])).toThrow(RangeError);
  });

  it('fits a PCA of iris in the unit sphere', () => {
    const iris = readTsvTensor('public/data/iris/tensors.tsv');
    const r = pca(iris, 3);
    const p = layoutFromProjections(r.projections, r.n, r.k, [0, 1, 2]);
    expect(p.length).toBe(150 * 3);
    expectUnitFit(p);
  });
});

describe('precomputedLayout', () => {
  it('uses 3 columns as they are, normalised', () => {
    const t: Tensor = { data: Float32Array.from([0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 6]), n: 4, d: 3 };
    const p = precomputedLayout(t);
    expectUnitFit(p);
    const expected = layoutFromProjections(t.data, 4, 3, [0, 1, 2]);
    expect(Array.from(p)).toEqual(Array.from(expected));
  });

  it('fills missing coordinates with 0 for d = 2 and d = 1', () => {
    const two = precomputedLayout({ data: Float32Array.from([1, 1, 3, 1, 1, 5]), n: 3, d: 2 });
    for (let i = 0; i < 3; i++) expect(two[i * 3 + 2]).toBe(0);
    expectUnitFit(two);
    const one = precomputedLayout({ data: Float32Array.from([-1, 1, 3]), n: 3, d: 1 });
    expect(Array.from(one)).toEqual([-1, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('rejects more than 3 dimensions', () => {
    expect(() => precomputedLayout({ data: new Float32Array(8), n: 2, d: 4 })).toThrow(RangeError);
  });
});
