import { describe, expect, it } from 'vitest';
import { expandSample, NOT_PLACED, sampleIndices, sampleRows } from '../../src/reduce/sample';

describe('explicit samples', () => {
  it('draws distinct ascending indices, the same for the same seed', () => {
    const a = sampleIndices(1000, 100, 5);
    expect(a.length).toBe(100);
    expect(new Set(a).size).toBe(100);
    expect(Array.from(a)).toEqual([...a].sort((x, y) => x - y));
    expect(Array.from(sampleIndices(1000, 100, 5))).toEqual(Array.from(a));
    expect(Array.from(sampleIndices(1000, 100, 6))).not.toEqual(Array.from(a));
    expect(sampleIndices(10, 50, 1).length).toBe(10);
  });

  it('copies the sampled rows and puts every other point at the not-placed marker', () => {
    const t = { data: Float32Array.from({ length: 12 }, (_, i) => i), n: 4, d: 3 };
    const rows = Int32Array.from([1, 3]);
    expect(Array.from(sampleRows(t, rows).data)).toEqual([3, 4, 5, 9, 10, 11]);
    const full = expandSample(Float32Array.from([1, 2, 3, 4, 5, 6]), rows, 4);
    expect(Array.from(full)).toEqual([NOT_PLACED, NOT_PLACED, NOT_PLACED, 1, 2, 3, NOT_PLACED, NOT_PLACED, NOT_PLACED, 4, 5, 6]);
  });
});
