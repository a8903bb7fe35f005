import { describe, expect, it } from 'vitest';
import { sphereize } from '../../src/reduce/pca/sphereize';

describe('sphereize (TF\'s option)', () => {
  it('centres on the mean and scales every vector to unit length; a vector at the mean stays zero', () => {
    const t = { data: Float32Array.from([1, 0, 3, 0, 2, 2, 2, 0.5]), n: 4, d: 2 };
    const s = sphereize(t);
    // mean (2, 0.625)
    const rows = Array.from({ length: 4 }, (_, i) => [s.data[2 * i], s.data[2 * i + 1]]);
    expect(Math.hypot(...rows[0])).toBeCloseTo(1, 6);
    expect(rows[0][0]).toBeCloseTo(-1 / Math.hypot(1, 0.625), 6);
    expect(rows[3][0]).toBeCloseTo(0, 6);
    expect(Math.hypot(...rows[3])).toBeCloseTo(1, 6);
    const atMean = sphereize({ data: Float32Array.from([1, 1, 3, 3, 2, 2]), n: 3, d: 2 });
    expect(Array.from(atMean.data.subarray(4))).toEqual([0, 0]);
  });
});
