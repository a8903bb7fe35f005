import { describe, expect, it } from 'vitest';
import { coordinatesTsv, npyFloat32, selectionTsv } from '../../src/data/export-formats';
import { decodeIndices, encodeIndices } from '../../src/data/index-set';
import { metadataColumn } from '../../src/data/metadata-tsv';
import { npyTensor, parseNpy } from '../../src/data/npy';
import { createRandom } from '../../src/reduce/random';

const meta = { rows: 3, columns: [metadataColumn('word', ['a', 'b\tc', null]), metadataColumn('rank', ['1', '2', '3'])] };
const pos = Float32Array.from([0.5, -1, 0, 0.25, 0.125, 0, 1e6, 1e6, 1e6]);
const placed = (i: number) => i < 2;

describe('exports', () => {
  it('coordinates TSV: header x y then the columns, empty cells for rows not shown', () => {
    expect(coordinatesTsv(pos, 2, meta, placed)).toBe('x\ty\tword\trank\n0.5\t-1\ta\t1\n0.25\t0.125\t"b\tc"\t2\n\t\t\t3\n');
  });

  it('.npy float32 reads back as the same coordinates (NaN where not shown)', () => {
    const a = parseNpy(npyFloat32(pos, 3, placed), 'x.npy');
    expect(a.shape).toEqual([3, 3]);
    expect(Array.from(a.data).slice(0, 6)).toEqual([0.5, -1, 0, 0.25, 0.125, 0]);
    expect(Number.isNaN(Number(a.data[6]))).toBe(true);
    // Without the unplaced row it is a tensor the app itself opens.
    expect(npyTensor(npyFloat32(pos.subarray(0, 6), 2, () => true), 'y.npy').n).toBe(2);
  });

  it('selection TSV: the row index, then the metadata row', () => {
    expect(selectionTsv([2, 0], meta)).toBe('index\tword\trank\n2\t\t3\n0\ta\t1\n');
  });
});

describe('index sets in links', () => {
  it('round-trip as ranges or a bitset, whichever is shorter', () => {
    expect(decodeIndices(encodeIndices([1, 2, 3, 7, 9, 10]))).toEqual([1, 2, 3, 7, 9, 10]);
    expect(encodeIndices([5000, 5001, 9000])).toBe('5000-5001.9000');
    expect(decodeIndices('1-3.7.9-10')).toEqual([1, 2, 3, 7, 9, 10]);
    const rnd = createRandom(4);
    const scattered = Array.from({ length: 10000 }, (_, i) => i).filter(() => rnd.next() < 0.3);
    const code = encodeIndices(scattered);
    expect(code.startsWith('~')).toBe(true);
    expect(code.length).toBeLessThan(1700);
    expect(decodeIndices(code)).toEqual(scattered);
    expect(decodeIndices(encodeIndices([]))).toEqual([]);
    expect(() => decodeIndices('3-1')).toThrow(/backwards/);
  });
});
