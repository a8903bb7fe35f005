/**
 * Vectors compressed batch by batch while a file is parsed (src/data/compressed-rows.ts): the same
 * entries as compressing the finished tensor, however the rows arrive; dense data gives none; and
 * the PCA and the neighbour searches fed those rows equal, bit for bit, the ones that compress the
 * tensor themselves.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compressRows, fitsShape, RowCompressor } from '../../src/data/compressed-rows';
import { VectorsTsvParser } from '../../src/data/vectors-tsv';
import { pca } from '../../src/reduce/pca/pca';
import { knnApprox, knnExact } from '../../src/reduce/knn/knn';
import { createRandom } from '../../src/reduce/random';

/** mnist-2k's pixels (committed), parsed in chunks of `chunk` bytes, compressed after each push. */
function parseAndCompress(chunk: number): { t: { data: Float32Array; n: number; d: number }; rows: ReturnType<RowCompressor['finish']> } {
  const bytes = new Uint8Array(readFileSync('public/data/mnist-2k/tensors.tsv'));
  const parser = new VectorsTsvParser('tensors.tsv', null);
  let c: RowCompressor | null = null;
  for (let at = 0; at < bytes.length; at += chunk) {
    parser.push(bytes.subarray(at, at + chunk));
    if (parser.rowsParsed > 0) {
      c ??= new RowCompressor(parser.width, 16);
      c.addRows(parser.parsedValues, parser.rowsParsed);
    }
  }
  const t = parser.finish();
  c!.addRows(t.data, t.n);
  return { t, rows: c!.finish(t.n) };
}

describe('RowCompressor', () => {
  it('gives exactly the one-pass compression of mnist-2k, whatever the chunks', () => {
    for (const chunk of [1 << 20, 65_537, 3_001]) {
      const { t, rows } = parseAndCompress(chunk);
      expect(rows).not.toBeNull();
      let nonZeros = 0;
      for (const v of t.data) if (v !== 0) nonZeros++;
      const whole = compressRows(t, nonZeros);
      expect(fitsShape(rows!, t.n, t.d)).toBe(true);
      expect(Array.from(rows!.ptr)).toEqual(Array.from(whole.ptr));
      expect(Array.from(rows!.col)).toEqual(Array.from(whole.col));
      expect(Array.from(rows!.val)).toEqual(Array.from(whole.val));
    }
  });

  it('gives nothing for dense vectors, early or at the end', () => {
    const rng = createRandom(3);
    const n = 1000;
    const d = 50;
    const dense = Float32Array.from({ length: n * d }, () => rng.gaussian());
    const c = new RowCompressor(d, n);
    c.addRows(dense, 300);
    // Clearly dense after the first rows: it stops holding a copy.
    expect(c.rowCount).toBe(0);
    c.addRows(dense, n);
    expect(c.finish(n)).toBeNull();
    // 40% non-zeros: under the early cut-off, over the final one.
    const mixed = dense.map((v, i) => (i % 5 < 2 ? v : 0));
    const m = new RowCompressor(d);
    m.addRows(mixed, n);
    expect(m.rowCount).toBe(n);
    expect(m.finish(n)).toBeNull();
  });

  it('gives nothing when rows are missing', () => {
    const c = new RowCompressor(4, 2);
    c.addRows(new Float32Array([0, 1, 0, 0, 0, 0, 2, 0]), 2);
    expect(c.finish(3)).toBeNull();
  });

  it('feeds the PCA the same numbers: bit for bit the PCA that compresses mnist-2k itself', () => {
    const { t, rows } = parseAndCompress(65_537);
    const own = pca(t, 10, { seed: 42 });
    const given = pca(t, 10, { seed: 42, compressed: rows });
    expect(Array.from(given.projections)).toEqual(Array.from(own.projections));
    expect(Array.from(given.components)).toEqual(Array.from(own.components));
    expect(Array.from(given.variance)).toEqual(Array.from(own.variance));
  });

  it('feeds the neighbour searches the same numbers: the identical graphs on mnist-2k', () => {
    const { t, rows } = parseAndCompress(65_537);
    for (const metric of ['cosine', 'euclidean'] as const) {
      const own = knnApprox(t, 15, metric, { seed: 3 });
      const given = knnApprox(t, 15, metric, { seed: 3, compressed: rows });
      expect(Array.from(given.indices)).toEqual(Array.from(own.indices));
      expect(Array.from(given.distances)).toEqual(Array.from(own.distances));
    }
    const sub = { data: t.data.subarray(0, 500 * t.d), n: 500, d: t.d };
    const subRows = new RowCompressor(t.d, 500);
    subRows.addRows(sub.data, 500);
    const own = knnExact(sub, 10, 'cosine');
    const given = knnExact(sub, 10, 'cosine', { compressed: subRows.finish(500) });
    expect(Array.from(given.indices)).toEqual(Array.from(own.indices));
    expect(Array.from(given.distances)).toEqual(Array.from(own.distances));
  });
});
