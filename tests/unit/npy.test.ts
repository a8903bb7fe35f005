import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { npyTensor, parseNpy } from '../../src/data/npy';

interface NpyOptions {
  version?: 1 | 2 | 3;
  fortran?: boolean;
  /** Replaces the whole header dict text. */
  header?: string;
}

/** Writes a .npy the way NumPy does: header padded with spaces and '\n' so data starts at a multiple of 64. */
function npyBytes(dtype: string, shape: number[], values: number[], opts: NpyOptions = {}): Uint8Array {
  const version = opts.version ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = opts.header ?? `{'descr': '${dtype}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = 8 + (version === 1 ? 2 : 4);
  const padded = dict + ' '.repeat((64 - ((prefix + dict.length + 1) % 64)) % 64) + '\n';
  const le = dtype[0] !== '>';
  const kind = dtype.slice(1);
  const size = Number(kind.slice(1));
  const out = new Uint8Array(prefix + padded.length + values.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  for (let i = 0; i < padded.length; i++) out[prefix + i] = padded.charCodeAt(i);
  let o = prefix + padded.length;
  for (const v of values) {
    switch (kind) {
      case 'f2': view.setUint16(o, floatToHalf(v), le); break;
      case 'f4': view.setFloat32(o, v, le); break;
      case 'f8': view.setFloat64(o, v, le); break;
      case 'i1': view.setInt8(o, v); break;
      case 'u1': case 'b1': view.setUint8(o, v); break;
      case 'i2': view.setInt16(o, v, le); break;
      case 'u2': view.setUint16(o, v, le); break;
      case 'i4': view.setInt32(o, v, le); break;
      case 'u4': view.setUint32(o, v, le); break;
      case 'i8': view.setBigInt64(o, BigInt(v), le); break;
      case 'u8': view.setBigUint64(o, BigInt(v), le); break;
      default: throw new Error(`test helper: no writer for ${dtype}`);
    }
    o += size;
  }
  return out;
}

/** Exact for the small values used here (normal halves with <= 10 fraction bits). */
function floatToHalf(v: number): number {
  if (v === 0) return Object.is(v, -0) ? 0x8000 : 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  const e = Math.floor(Math.log2(a));
  return sign | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}

function dataStart(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return bytes[6] === 1 ? 10 + view.getUint16(8, true) : 12 + view.getUint32(8, true);
}

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

describe('npyBytes helper', () => {
  it('pads the header as NumPy does: data at a multiple of 64, header ends with a newline', () => {
    for (const version of [1, 2, 3] as const) {
      const b = npyBytes('<f4', [2, 3], [1, 2, 3, 4, 5, 6], { version });
      expect(dataStart(b) % 64).toBe(0);
      expect(b[dataStart(b) - 1]).toBe(0x0a);
    }
  });
});

describe('parseNpy', () => {
  it('reads float32 2-D', () => {
    const r = parseNpy(npyBytes('<f4', [2, 3], [1, 2.5, -3, 4, 5, 6e10]), 'a.npy');
    expect(r.shape).toEqual([2, 3]);
    expect(r.dtype).toBe('<f4');
    expect(Array.from(r.data)).toEqual([1, 2.5, -3, 4, 5, Math.fround(6e10)]);
  });

  it('reads float32 from an unaligned buffer view', () => {
    const b = npyBytes('<f4', [3], [1, 2, 3]);
    const shifted = new Uint8Array(b.length + 1);
    shifted.set(b, 1);
    expect(Array.from(parseNpy(shifted.subarray(1), 'a.npy').data)).toEqual([1, 2, 3]);
  });

  it.each([
    ['<f8', [0.1, -2, 1e300, 3.5], [Math.fround(0.1), -2, Infinity, 3.5]],
    ['<f2', [0.5, -2, 1.5, 1024], [0.5, -2, 1.5, 1024]],
    ['|u1', [0, 1, 128, 255], [0, 1, 128, 255]],
    ['|i1', [-128, -1, 0, 127], [-128, -1, 0, 127]],
    ['<i2', [-32768, -1, 7, 32767], [-32768, -1, 7, 32767]],
    ['<u2', [0, 1, 40000, 65535], [0, 1, 40000, 65535]],
    ['<i4', [-2147483648, -5, 0, 2147483647], [-2147483648, -5, 0, 2147483648]],
    ['<u4', [0, 3, 3000000000, 4294967295], [0, 3, 3000000000, 4294967296]],
    ['<i8', [-9007199254740991, -1, 0, 123456], [Math.fround(-9007199254740991), -1, 0, 123456]],
    ['|b1', [0, 1, 1, 0], [0, 1, 1, 0]],
    ['>f4', [1.5, -2, 3, 4], [1.5, -2, 3, 4]],
    ['>i2', [-300, 2, 3, 300], [-300, 2, 3, 300]],
    ['>f8', [0.25, 2, 3, 4], [0.25, 2, 3, 4]],
  ])('reads %s', (dtype, values, expected) => {
    const r = parseNpy(npyBytes(dtype, [2, 2], values), 'x.npy');
    expect(r.dtype).toBe(dtype);
    expect(r.shape).toEqual([2, 2]);
    expect(Array.from(r.data)).toEqual(expected);
  });

  it('reads format 2.0 and 3.0 headers', () => {
    for (const version of [2, 3] as const) {
      const r = parseNpy(npyBytes('<i4', [3, 1], [7, 8, 9], { version }), 'v.npy');
      expect(r.shape).toEqual([3, 1]);
      expect(Array.from(r.data)).toEqual([7, 8, 9]);
    }
  });

  it('accepts keys in any order and an empty shape', () => {
    const r = parseNpy(npyBytes('<f8', [], [4.5], { header: "{'shape': (), 'fortran_order': False, 'descr': '<f8'}" }), 's.npy');
    expect(r.shape).toEqual([]);
    expect(Array.from(r.data)).toEqual([4.5]);
  });

});

describe('parseNpy errors', () => {
  it('bad magic', () => {
    const e = errorOf(() => parseNpy(new TextEncoder().encode('0\t1\t2\n3\t4\t5\n'), 'vectors.npy'));
    expect(e.message).toMatch(/^vectors\.npy: not a NumPy \.npy file/);
    expect(e.file).toBe('vectors.npy');
  });

  it('unsupported version', () => {
    const b = npyBytes('<f4', [1], [1]);
    b[6] = 4;
    expect(errorOf(() => parseNpy(b, 'v4.npy')).message).toMatch(/^v4\.npy field "version": unsupported \.npy format version 4\.0/);
  });

  it('unparseable header', () => {
    const e = errorOf(() => parseNpy(npyBytes('<f4', [1], [1], { header: "{'descr': '<f4', 'shape': (1,), }" }), 'h.npy'));
    expect(e.message).toMatch(/^h\.npy field "header": unparseable \.npy header \(no 'fortran_order'\)/);
    const notDict = errorOf(() => parseNpy(npyBytes('<f4', [1], [1], { header: 'garbage' }), 'h.npy'));
    expect(notDict.message).toMatch(/unparseable \.npy header \(not a dict\)/);
    const badShape = errorOf(() =>
      parseNpy(npyBytes('<f4', [1], [1], { header: "{'descr': '<f4', 'fortran_order': False, 'shape': (a, 2), }" }), 'h.npy'),
    );
    expect(badShape.message).toMatch(/shape \(a, 2\) is not a tuple of integers/);
  });

  it('a header length far beyond what NumPy writes', () => {
    const b = npyBytes('<f4', [1], [1], { version: 2 });
    const big = new Uint8Array(12 + 2 * 1024 * 1024);
    big.set(b.subarray(0, 12));
    new DataView(big.buffer).setUint32(8, 2 * 1024 * 1024, true);
    expect(errorOf(() => parseNpy(big, 'h.npy')).message).toBe('h.npy field "header": the .npy header claims 2097152 bytes, far more than NumPy writes');
  });

  it('header longer than the file', () => {
    const b = npyBytes('<f4', [1], [1]).subarray(0, 40);
    expect(errorOf(() => parseNpy(b, 'cut.npy')).message).toMatch(/^cut\.npy field "header": file ends inside the \.npy header/);
  });

  it('unsupported dtype', () => {
    const e = errorOf(() => parseNpy(npyBytes('<c8', [1], [], {}), 'c.npy'));
    expect(e.message).toMatch(/^c\.npy field "descr": unsupported dtype '<c8'/);
    expect(e.field).toBe('descr');
    expect(errorOf(() => parseNpy(npyBytes('<U5', [1], []), 'u.npy')).message).toMatch(/unsupported dtype '<U5'/);
    expect(errorOf(() => parseNpy(npyBytes('|O', [1], []), 'o.npy')).message).toMatch(/unsupported dtype '\|O'/);
  });

  it('Fortran order', () => {
    const e = errorOf(() => parseNpy(npyBytes('<f4', [2, 2], [1, 2, 3, 4], { fortran: true }), 'f.npy'));
    expect(e.message).toMatch(/^f\.npy field "fortran_order": Fortran-order arrays are not supported/);
  });

  it('trailing bytes after the data', () => {
    const b = npyBytes('|u1', [2], [3, 4]);
    const longer = new Uint8Array(b.length + 3);
    longer.set(b);
    expect(errorOf(() => parseNpy(longer, 'a.npy')).message).toBe(
      "a.npy field \"shape\": 3 bytes after the data: shape (2) of '|u1' needs 2 bytes, found 5",
    );
  });

  it('a shape over the memory budget, judged from the header before allocating', () => {
    // 2 GB declared (500M float32), no data at all: the size is the error, not the missing data.
    const header = npyBytes('<f4', [500_000, 1000], []);
    const e = errorOf(() => parseNpy(header, 'huge.npy'));
    expect(e.message).toBe(
      'huge.npy field "shape": shape (500000, 1000) holds 500000000 values, which need 1.86 GiB as float32, over the 1.50 GiB this page can hold',
    );
    // Absurd shapes too (the product is far past 2^53).
    expect(errorOf(() => npyTensor(npyBytes('|u1', [2 ** 40, 2 ** 40], []), 'x.npy')).message).toMatch(/over the 1\.50 GiB/);
  });

  it('data shorter than the shape says', () => {
    const b = npyBytes('<f4', [2, 3], [1, 2, 3, 4, 5]);
    const e = errorOf(() => parseNpy(b, 't.npy'));
    expect(e.message).toBe("t.npy field \"shape\": data is shorter than the shape says: shape (2, 3) of '<f4' needs 24 bytes, found 20");
  });
});

describe('npyTensor', () => {
  it('2-D stays n x d', () => {
    const t = npyTensor(npyBytes('<f4', [2, 3], [1, 2, 3, 4, 5, 6]), 'a.npy');
    expect([t.n, t.d]).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('3-D images flatten to n x h*w in C order', () => {
    const values = Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const t = npyTensor(npyBytes('|u1', [2, 3, 4], values), 'images.npy');
    expect([t.n, t.d]).toEqual([2, 12]);
    expect(Array.from(t.data.subarray(12, 24))).toEqual(values.slice(12, 24));
  });

  it('1-D becomes n x 1', () => {
    const t = npyTensor(npyBytes('<i8', [4], [5, 6, 7, 8]), 'labels.npy');
    expect([t.n, t.d]).toEqual([4, 1]);
    expect(Array.from(t.data)).toEqual([5, 6, 7, 8]);
  });

  it('0-d is an error', () => {
    const e = errorOf(() => npyTensor(npyBytes('<f8', [], [1]), 'scalar.npy'));
    expect(e.message).toMatch(/^scalar\.npy field "shape": a 0-d \(scalar\) array is not a tensor/);
  });

  it('empty arrays and non-finite values are refused, naming the row and column', () => {
    expect(errorOf(() => npyTensor(npyBytes('<f4', [0, 5], []), 'empty.npy')).message).toBe(
      'empty.npy field "shape": empty array: shape (0, 5) holds no vectors',
    );
    expect(errorOf(() => npyTensor(npyBytes('<f8', [2, 2], [1, 2, 3, NaN]), 'nan.npy')).message).toBe(
      'nan.npy: row 2, column 2 is not a finite number (NaN)',
    );
    expect(errorOf(() => npyTensor(npyBytes('<f4', [1, 2], [Infinity, 0]), 'inf.npy')).message).toMatch(/row 1, column 1 is not a finite number \(Infinity\)/);
  });
});
