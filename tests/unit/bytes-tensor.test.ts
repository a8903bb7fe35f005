import { describe, expect, it } from 'vitest';
import { BytesTensorParser, parseBytesTensor } from '../../src/data/bytes-tensor';
import { DataError } from '../../src/data/errors';

function le(values: number[]): ArrayBuffer {
  const buf = new ArrayBuffer(values.length * 4);
  const view = new DataView(buf);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return buf;
}

describe('parseBytesTensor', () => {
  it('reads little-endian float32, row-major, without copying an ArrayBuffer', () => {
    const buf = le([1, 2, 3, 4.5, -5, 6]);
    const t = parseBytesTensor(buf, 't.bytes', [2, 3]);
    expect([t.n, t.d]).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4.5, -5, 6]);
    expect(t.data.buffer).toBe(buf);
  });

  it('copies a misaligned or partial Uint8Array view into its own buffer', () => {
    const src = new Uint8Array(le([0, 1, 2, 3, 4]));
    const view = src.subarray(4); // aligned but not the whole buffer
    const t = parseBytesTensor(view, 't.bytes', [2, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4]);
    expect(t.data.buffer.byteLength).toBe(16);
    const odd = new Uint8Array(17);
    odd.set(new Uint8Array(le([7, 8, 9, 10])), 1);
    expect(Array.from(parseBytesTensor(odd.subarray(1), 't.bytes', [1, 4]).data)).toEqual([7, 8, 9, 10]);
  });

  it('copies a pooled Node Buffer rather than viewing the whole pool', () => {
    const pooled = Buffer.from(Array.from(new Uint8Array(le([1.5, -2, 3, 4]))));
    const t = parseBytesTensor(pooled, 't.bytes', [2, 2]);
    expect(Array.from(t.data)).toEqual([1.5, -2, 3, 4]);
    expect(t.data.buffer.byteLength).toBe(16);
  });

  it('needs a tensorShape', () => {
    expect(() => parseBytesTensor(le([1]), 't.bytes', null)).toThrow('t.bytes: a .bytes tensor needs tensorShape in its config');
  });

  it('names both sizes when the byte length does not match the shape', () => {
    const e = (() => {
      try {
        parseBytesTensor(le([1, 2, 3]), 't.bytes', [2, 2]);
      } catch (err) {
        return err as DataError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe('t.bytes: file has 12 bytes but tensorShape [2, 2] needs 2 x 2 x 4 = 16 bytes');
  });

  it('names the row and column of a non-finite value', () => {
    expect(() => parseBytesTensor(le([1, 2, 3, NaN]), 't.bytes', [2, 2])).toThrow('t.bytes: row 2, column 2 is not a finite number (NaN)');
    expect(() => parseBytesTensor(le([1, -Infinity]), 't.bytes', [1, 2])).toThrow('row 1, column 2 is not a finite number (-Infinity)');
  });

  it('refuses a shape too big to hold', () => {
    expect(() => parseBytesTensor(new ArrayBuffer(4), 't.bytes', [1e6, 1e3])).toThrow(/float32 tensor needs 3\.73 GiB/);
  });
});

describe('BytesTensorParser (streaming)', () => {
  const bytesOf = (values: number[]) => new Uint8Array(le(values));

  it('copies chunks straight into the tensor, however they split', () => {
    const all = bytesOf([1, 2, 3, 4.5, -5, 6]);
    for (const size of [1, 3, 4, 7, 24]) {
      const p = new BytesTensorParser('t.bytes', [2, 3]);
      for (let at = 0; at < all.length; at += size) p.push(all.subarray(at, at + size));
      const t = p.finish();
      expect([t.n, t.d]).toEqual([2, 3]);
      expect(Array.from(t.data)).toEqual([1, 2, 3, 4.5, -5, 6]);
      expect(t.data.buffer.byteLength).toBe(24);
    }
  });

  it('stops with an error at the first chunk past n x d x 4 bytes, and stays failed', () => {
    const p = new BytesTensorParser('t.bytes', [2, 2]);
    p.push(bytesOf([1, 2, 3]));
    expect(() => p.push(bytesOf([4, 5]))).toThrow('t.bytes: file has more than 16 bytes but tensorShape [2, 2] needs 2 x 2 x 4 = 16 bytes');
    expect(p.bytesSeen).toBe(12);
    expect(() => p.push(bytesOf([6]))).toThrow(/more than 16 bytes/);
    expect(() => p.finish()).toThrow(/more than 16 bytes/);
  });

  it('says when the file is short, and checks values, as parseBytesTensor does', () => {
    const short = new BytesTensorParser('t.bytes', [2, 2]);
    short.push(bytesOf([1, 2, 3]));
    expect(() => short.finish()).toThrow('t.bytes: file has 12 bytes but tensorShape [2, 2] needs 2 x 2 x 4 = 16 bytes');
    const nan = new BytesTensorParser('t.bytes', [2, 2]);
    nan.push(bytesOf([1, 2, 3, NaN]));
    expect(() => nan.finish()).toThrow('t.bytes: row 2, column 2 is not a finite number (NaN)');
  });

  it('judges the shape before allocating anything', () => {
    expect(() => new BytesTensorParser('t.bytes', null)).toThrow('t.bytes: a .bytes tensor needs tensorShape in its config');
    expect(() => new BytesTensorParser('t.bytes', [1e6, 1e3])).toThrow(/float32 tensor needs 3\.73 GiB/);
  });
});
