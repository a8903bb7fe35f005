import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { VectorsTsvParser } from '../../src/data/vectors-tsv';
import type { ParsedVectors } from '../../src/data/types';
import { parseInRandomChunks, parseVectorsText, thrown } from './dataset-helpers';

const enc = new TextEncoder();

function rows(v: ParsedVectors): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < v.n; i++) out.push(Array.from(v.data.subarray(i * v.d, (i + 1) * v.d)));
  return out;
}

function errorOf(text: string, shape: [number, number] | null = null, fileName = 'bad.tsv'): DataError {
  const e = thrown(() => parseVectorsText(text, fileName, shape));
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

function sameResult(a: ParsedVectors, b: ParsedVectors): void {
  expect(a.n).toBe(b.n);
  expect(a.d).toBe(b.d);
  expect(a.rowLabels).toEqual(b.rowLabels);
  expect(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength)).toEqual(
    new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength),
  );
}

describe('VectorsTsvParser: accepted input', () => {
  it('reads bare zeros (a pixel file\'s most common field) beside other spellings of zero and labels', () => {
    const v = parseVectorsText('0\t0\t0.5\t0\r\n1\t0 \t-0\t0\n0\t00\t0e0\t0.0\n', 'zeros.tsv', null);
    expect(rows(v)).toEqual([[0, 0, 0.5, 0], [1, 0, -0, 0], [0, 0, 0, 0]]);
    const labelled = parseVectorsText('a\t0\t0\nb\t1\t0\n', 'words.tsv', null);
    expect(labelled.rowLabels).toEqual(['a', 'b']);
    expect(rows(labelled)).toEqual([[0, 0], [1, 0]]);
    expect(errorOf('0\t0\n0\t0\t0\n').message).toMatch(/line 2/);
  });

  it('parses tab-separated rows into one row-major Float32Array', () => {
    const v = parseVectorsText('1\t2\t3\n4\t5\t6\n');
    expect([v.n, v.d]).toEqual([2, 3]);
    expect(v.data).toBeInstanceOf(Float32Array);
    expect(v.data.length).toBe(6);
    expect(rows(v)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(v.rowLabels).toBeNull();
  });

  it('stores float32 roundings of the decimal text', () => {
    const v = parseVectorsText('0.1\t-0.24487\t1e-3\t3.4e38\n');
    expect(Array.from(v.data)).toEqual([0.1, -0.24487, 1e-3, 3.4e38].map(Math.fround));
  });

  it('tolerates \\r\\n, spaces around fields, a missing final newline, leading and trailing blank lines', () => {
    const v = parseVectorsText(' 1 \t 2\r\n3\t4  \r\n\r\n  \n\n');
    expect(rows(v)).toEqual([[1, 2], [3, 4]]);
    expect(rows(parseVectorsText('1\t2\n3\t4'))).toEqual([[1, 2], [3, 4]]);
    expect(rows(parseVectorsText('\n \r\n1\t2\n'))).toEqual([[1, 2]]);
  });

  it('skips a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('1\t2\n')]);
    expect(rows(parseVectorsText(bytes))).toEqual([[1, 2]]);
  });

  it('takes a non-numeric first field as the row label (TF rule)', () => {
    const v = parseVectorsText('the\t0.5\t1\ncafé\t2\t3\n"\t4\t5\n');
    expect(v.d).toBe(2);
    expect(v.rowLabels).toEqual(['the', 'café', '"']);
    expect(rows(v)).toEqual([[0.5, 1], [2, 3], [4, 5]]);
  });

  it("uses '' for rows without a label when other rows have one", () => {
    const v = parseVectorsText('1\t2\nb\t3\t4\n5\t6\n');
    expect(v.rowLabels).toEqual(['', 'b', '']);
    expect(rows(v)).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('reads a numeric or NaN-spelled word as a label once the file is known to carry labels', () => {
    const v = parseVectorsText('the\t1\t2\n1990\t3\t4\nnan\t5\t6\n');
    expect(v.rowLabels).toEqual(['the', '1990', 'nan']);
    expect(rows(v)).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('does not guess a numeric label before any row had a word label', () => {
    expect(errorOf('1\t2\n2024\t1\t2\n').message).toBe('bad.tsv line 2: expected 2 values, found 3');
    expect(errorOf('2024\t1\t2\n', [1, 2]).message).toBe('bad.tsv line 1: found 3 values but tensorShape declares [1, 2]');
  });

  it('preallocates exactly the declared shape', () => {
    const p = new VectorsTsvParser('x.tsv', [2, 2]);
    p.push(enc.encode('1\t2\n3\t4\n'));
    const v = p.finish();
    expect(v.data.buffer.byteLength).toBe(16);
    expect(p.bytesSeen).toBe(8);
  });

  it('returns a buffer no larger than the data when it had to grow', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `${i}\t${-i}`).join('\n');
    const v = parseVectorsText(text);
    expect(v.n).toBe(5000);
    expect(v.data.buffer.byteLength).toBe(5000 * 2 * 4);
    expect(v.data[9999]).toBe(-4999);
  });

  it('accepts one-dimensional vectors', () => {
    expect(rows(parseVectorsText('1\n2\n'))).toEqual([[1], [2]]);
  });
});

describe('VectorsTsvParser: streaming', () => {
  const labelled =
    'zero\t0\t0.5\r\n' +
    'café\t1.25e-3\t-7\r\n' +
    '日本語\t3.14159265358979\t2\r\n' +
    '🙂 emoji\t-0\t1e10\r\n' +
    '12\t5\t6\r\n' +
    '\r\n';
  const plain = Array.from({ length: 300 }, (_, i) => `${i * 0.001}\t${-i}\t${(i * 12345.6789).toExponential(7)}`).join('\n') + '\n\n';

  it('gives identical output whatever the chunk boundaries (every split point of a small file)', () => {
    const bytes = enc.encode(labelled);
    const whole = parseVectorsText(bytes);
    expect(whole.rowLabels).toEqual(['zero', 'café', '日本語', '🙂 emoji', '12']);
    for (let cut = 1; cut < bytes.length; cut++) {
      const p = new VectorsTsvParser('x.tsv');
      p.push(bytes.subarray(0, cut));
      p.push(bytes.subarray(cut));
      sameResult(p.finish(), whole);
    }
  });

  it('gives identical output with one-byte chunks and with random chunks', () => {
    for (const text of [labelled, plain]) {
      const bytes = enc.encode(text);
      const whole = parseVectorsText(bytes);
      sameResult(parseInRandomChunks(bytes, 1, 1), whole);
      for (let seed = 1; seed <= 20; seed++) sameResult(parseInRandomChunks(bytes, seed, 1 + seed * 7), whole);
    }
  });

  it('reports the same error line however the file is chunked', () => {
    const bytes = enc.encode('1\t2\n3\t4\n5\n');
    for (let seed = 1; seed <= 10; seed++) {
      const e = thrown(() => parseInRandomChunks(bytes, seed, 3, 'bad.tsv'));
      expect(e.message).toBe('bad.tsv line 3: expected 2 values, found 1');
    }
  });

  it('keeps failing after an error instead of parsing on', () => {
    const p = new VectorsTsvParser('bad.tsv');
    expect(() => p.push(enc.encode('1\t2\nx\ty\n'))).toThrow(DataError);
    expect(() => p.push(enc.encode('3\t4\n'))).toThrow(/line 2/);
    expect(() => p.finish()).toThrow(/line 2/);
  });
});

describe('VectorsTsvParser: errors name the file and line', () => {
  it('ragged rows', () => {
    expect(errorOf('1\t2\t3\n4\t5\n').message).toBe('bad.tsv line 2: expected 3 values, found 2');
    expect(errorOf('1\t2\n4\t5\t6\t7\n').message).toBe('bad.tsv line 2: expected 2 values, found 4');
    expect(errorOf('a\t1\t2\nb\t1\n').message).toBe('bad.tsv line 2: expected 2 values, found 1');
    const e = errorOf('1\t2\n3\t4\n5\n');
    expect(e.line).toBe(3);
    expect(e.file).toBe('bad.tsv');
  });

  it('non-numeric cells, with the column and the quoted, truncated text', () => {
    expect(errorOf('1\t2\n3\tabc\n').message).toBe('bad.tsv line 2: column 2: "abc" is not a number');
    expect(errorOf('1\t2\n3\t0x10\n').message).toContain('column 2: "0x10" is not a number');
    const long = 'y'.repeat(500);
    const msg = errorOf(`1\t2\n3\t${long}\n`).message;
    expect(msg).toContain(`"${'y'.repeat(40)}…"`);
    expect(msg.length).toBeLessThan(120);
  });

  it('a header row, with a hint', () => {
    expect(errorOf('x\ty\tz\n1\t2\t3\n').message).toBe(
      'bad.tsv line 1: column 2: "y" is not a number; a vectors file has no header row',
    );
  });

  it('empty cells', () => {
    expect(errorOf('1\t2\n3\t\n').message).toBe('bad.tsv line 2: column 2 is empty');
    expect(errorOf('1\t2\t\n').message).toBe('bad.tsv line 1: column 3 is empty');
  });

  it('NaN and infinities in any spelling, and float32 overflow', () => {
    for (const word of ['NaN', 'nan', 'Infinity', '-Infinity', 'inf', '-inf']) {
      expect(errorOf(`1\t2\n3\t${word}\n`).message).toBe(`bad.tsv line 2: column 2: "${word}" is not a finite number`);
      expect(errorOf(`1\t2\n${word}\t3\n`).message).toBe(`bad.tsv line 2: column 1: "${word}" is not a finite number`);
    }
    expect(errorOf('nan\t1\n').message).toBe('bad.tsv line 1: column 1: "nan" is not a finite number');
    expect(errorOf('1\t1e400\n').message).toBe('bad.tsv line 1: column 2: "1e400" is not a finite number');
    expect(errorOf('1\t2\n1\t1e39\n').message).toBe(
      'bad.tsv line 2: column 2: "1e39" is not a finite number (too large for float32)',
    );
  });

  it('empty files', () => {
    expect(errorOf('').message).toBe('bad.tsv: empty file: no vectors found');
    expect(errorOf('\n\r\n  \n').message).toBe('bad.tsv: empty file: no vectors found');
  });

  it('a blank line between rows', () => {
    expect(errorOf('1\t2\n\n3\t4\n').message).toBe(
      'bad.tsv line 2: blank line between rows; every line must hold one vector',
    );
  });

  it('a space-separated file (labels only, no values)', () => {
    expect(errorOf('the 0.1 0.2\n').message).toContain('line 1: no numeric values, only the label "the 0.1 0.2"');
  });

  it('rows beyond the declared shape, as soon as the first extra row appears', () => {
    const p = new VectorsTsvParser('big.tsv', [2, 2]);
    const e = thrown(() => p.push(enc.encode('1\t2\n3\t4\n5\t6\n7\t8\n')));
    expect(e.message).toBe('big.tsv line 3: more than 2 rows, but tensorShape declares [2, 2]');
  });

  it('rows fewer than the declared shape, saying both counts', () => {
    expect(errorOf('1\t2\n', [3, 2]).message).toBe('bad.tsv: found 1 rows but tensorShape declares [3, 2]');
  });

  it('dimensions other than declared, at the first row', () => {
    expect(errorOf('1\t2\t3\n', [1, 2]).message).toBe('bad.tsv line 1: found 3 values but tensorShape declares [1, 2]');
    expect(errorOf('1\n', [1, 2]).message).toBe('bad.tsv line 1: found 1 values but tensorShape declares [1, 2]');
  });

  it('a declared shape too big to hold, before reading anything', () => {
    expect(() => new VectorsTsvParser('huge.tsv', [1_000_000, 1000])).toThrow(/huge\.tsv: a 1000000 x 1000 float32 tensor needs/);
    expect(() => new VectorsTsvParser('odd.tsv', [0, 3])).toThrow(DataError);
  });

  it('does not parse a million extra rows when the shape is declared', () => {
    const row = enc.encode('1\t2\n');
    const p = new VectorsTsvParser('x.tsv', [1, 2]);
    p.push(row);
    expect(() => p.push(row)).toThrow(/more than 1 rows/);
    expect(p.bytesSeen).toBe(8);
  });
});
