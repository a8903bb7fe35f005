import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/data/types';
import { dataMatrix, denseMatrix, sparseMatrix } from '../../src/reduce/kernels/matrix';
import { pca, type PcaResult } from '../../src/reduce/pca/pca';
import { createRandom } from '../../src/reduce/random';
import { principalAngleCosines, readTsvTensor, referencePca, tensorFromRows, type Reference } from './reduce-fixtures';

const iris = readTsvTensor('public/data/iris/tensors.tsv');
const digits = readTsvTensor('public/data/sklearn-digits-8x8/tensors.tsv');
const irisRef = referencePca(iris);
const digitsRef = referencePca(digits);

function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

function component(r: PcaResult, d: number, c: number): number[] {
  return Array.from(r.components.subarray(c * d, (c + 1) * d));
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Cosines of the principal angles between span(ours 0..m-1) and span(reference 0..m-1). */
function principalCosines(r: PcaResult, ref: Reference, d: number, m: number): number[] {
  const M = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) M[a * m + b] = dot(component(r, d, a), ref.component(b));
  return principalAngleCosines(M, m);
}

/** Largest difference between our projection column c and the reference's, after matching sign. */
function projectionMismatch(r: PcaResult, refProjections: number[][], c: number): number {
  const sign = Math.sign(dot(
    Array.from({ length: r.n }, (_, i) => r.projections[i * r.k + c]),
    refProjections.map((row) => row[c]),
  ));
  let worst = 0;
  for (let i = 0; i < r.n; i++) worst = Math.max(worst, Math.abs(r.projections[i * r.k + c] - sign * refProjections[i][c]));
  return worst;
}

function expectOrthonormalComponents(r: PcaResult, d: number): void {
  for (let a = 0; a < r.k; a++) {
    for (let b = a; b < r.k; b++) {
      expect(dot(component(r, d, a), component(r, d, b))).toBeCloseTo(a === b ? 1 : 0, 5);
    }
  }
}

describe('pca against ml-pca', () => {
  it('iris: k > d is clamped to d and every component matches', () => {
    const r = pca(iris, 10);
    expect(r.k).toBe(4);
    expect(r.n).toBe(150);
    expect(r.projections.length).toBe(150 * 4);
    expect(r.components.length).toBe(4 * 4);
    for (let c = 0; c < 4; c++) expect(relativeError(r.variance[c], irisRef.variance[c])).toBeLessThan(1e-6);
    const refProj = irisRef.projections(4);
    for (let c = 0; c < 4; c++) {
      expect(Math.abs(dot(component(r, 4, c), irisRef.component(c)))).toBeCloseTo(1, 6);
      expect(projectionMismatch(r, refProj, c)).toBeLessThan(1e-5);
    }
    expectOrthonormalComponents(r, 4);
  });

  it('iris: the total variance is the sum of all the eigenvalues', () => {
    const r = pca(iris, 3);
    const total = irisRef.variance.reduce((s, v) => s + v, 0);
    expect(relativeError(r.totalVariance, total)).toBeLessThan(1e-9);
  });

  it('digits: top variances and the top-3 subspace match', () => {
    const r = pca(digits, 10);
    expect(r.k).toBe(10);
    for (let c = 0; c < 3; c++) expect(relativeError(r.variance[c], digitsRef.variance[c])).toBeLessThan(1e-4);
    for (let c = 3; c < 10; c++) expect(relativeError(r.variance[c], digitsRef.variance[c])).toBeLessThan(1e-2);
    for (const cos of principalCosines(r, digitsRef, 64, 3)) expect(cos).toBeGreaterThan(1 - 1e-6);
    const refProj = digitsRef.projections(3);
    const spread = Math.sqrt(digitsRef.variance[0]);
    for (let c = 0; c < 3; c++) expect(projectionMismatch(r, refProj, c) / spread).toBeLessThan(1e-2);
    expectOrthonormalComponents(r, 64);
  });

  it('digits: the variance shares match ml-pca', () => {
    const r = pca(digits, 3);
    const total = digitsRef.variance.reduce((s, v) => s + v, 0);
    expect(relativeError(r.totalVariance, total)).toBeLessThan(1e-9);
    for (let c = 0; c < 3; c++) {
      expect(r.variance[c] / r.totalVariance).toBeCloseTo(digitsRef.variance[c] / total, 6);
    }
  });

  it('mostly-zero data (compressed path) matches too', () => {
    const sparse = { ...digits, data: digits.data.map((v) => (v < 12 ? 0 : v)) };
    const nonZeros = sparse.data.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
    expect(nonZeros / sparse.data.length).toBeLessThan(1 / 3);
    const ref = referencePca(sparse);
    const r = pca(sparse, 5);
    for (let c = 0; c < 3; c++) expect(relativeError(r.variance[c], ref.variance[c])).toBeLessThan(1e-4);
    for (const cos of principalCosines(r, ref, 64, 3)) expect(cos).toBeGreaterThan(1 - 1e-6);
  });

  it('more columns than rows (n < k + oversample)', () => {
    const rng = createRandom(7);
    const wide = tensorFromRows(Array.from({ length: 6 }, () => Array.from({ length: 40 }, () => rng.gaussian())));
    const ref = referencePca(wide);
    const r = pca(wide, 3);
    for (let c = 0; c < 3; c++) expect(relativeError(r.variance[c], ref.variance[c])).toBeLessThan(1e-6);
    expectOrthonormalComponents(r, 40);
  });
});

describe('pca behaviour', () => {
  it('is deterministic for a seed', () => {
    const a = pca(digits, 5, { seed: 3 });
    const b = pca(digits, 5, { seed: 3 });
    expect(b.projections).toEqual(a.projections);
    expect(b.components).toEqual(a.components);
    expect(b.variance).toEqual(a.variance);
  });

  it('gives the same answer, up to convergence, for another seed, with the same signs', () => {
    const a = pca(digits, 3, { seed: 1 });
    const b = pca(digits, 3, { seed: 2 });
    for (let c = 0; c < 3; c++) {
      expect(relativeError(b.variance[c], a.variance[c])).toBeLessThan(1e-5);
      expect(dot(component(a, 64, c), component(b, 64, c))).toBeGreaterThan(1 - 1e-5);
    }
  });

  it('makes the largest loading of each component positive', () => {
    const r = pca(digits, 5);
    for (let c = 0; c < 5; c++) {
      const comp = component(r, 64, c);
      const largest = comp.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('projections are the centred data times the components, by decreasing variance', () => {
    const r = pca(iris, 2);
    const mean = [0, 1, 2, 3].map((j) => {
      let s = 0;
      for (let i = 0; i < iris.n; i++) s += iris.data[i * 4 + j];
      return s / iris.n;
    });
    for (const i of [0, 49, 100, 149]) {
      for (let c = 0; c < 2; c++) {
        const centred = [0, 1, 2, 3].map((j) => iris.data[i * 4 + j] - mean[j]);
        expect(r.projections[i * 2 + c]).toBeCloseTo(dot(centred, component(r, 4, c)), 4);
      }
    }
    expect(r.variance[0]).toBeGreaterThan(r.variance[1]);
  });

  it('handles constant data: zero variance, zero projections, orthonormal components', () => {
    const constant: Tensor = { data: new Float32Array(20 * 5).fill(3.5), n: 20, d: 5 };
    const r = pca(constant, 3);
    expect(Array.from(r.variance)).toEqual([0, 0, 0]);
    expect(r.totalVariance).toBe(0);
    expect(r.projections.every((v) => v === 0)).toBe(true);
    expect(r.components.every(Number.isFinite)).toBe(true);
    expectOrthonormalComponents(r, 5);
  });

  it('handles zero-variance columns and a single row', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [i % 7, 2, (i * 13) % 5, 0, i]);
    const t = tensorFromRows(rows);
    const ref = referencePca(t);
    const r = pca(t, 5);
    for (let c = 0; c < 3; c++) expect(relativeError(r.variance[c], ref.variance[c])).toBeLessThan(1e-6);
    expect(r.variance[3]).toBeLessThan(1e-9);
    expectOrthonormalComponents(r, 5);

    const one = pca(tensorFromRows([[1, 2, 3]]), 2);
    expect(Array.from(one.variance)).toEqual([0, 0]);
    expect(Array.from(one.projections)).toEqual([0, 0]);
  });

  it('reports progress a handful of times, increasing, ending with 1', () => {
    const seen: number[] = [];
    pca(digits, 3, { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBeLessThanOrEqual(15);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    expect(seen[seen.length - 1]).toBe(1);
  });

  it('rejects a bad k, a short buffer or non-finite values', () => {
    expect(() => pca(iris, 0)).toThrow(RangeError);
    expect(() => pca(iris, 1.5)).toThrow(RangeError);
    expect(() => pca({ data: new Float32Array(3), n: 2, d: 2 }, 1)).toThrow(RangeError);
    expect(() => pca({ data: Float32Array.from([1, 2, NaN, 4]), n: 2, d: 2 }, 1)).toThrow(/NaN/);
  });
});

describe('data matrix products', () => {
  const rng = createRandom(11);
  const n = 37;
  const d = 23;
  const l = 13;
  const t: Tensor = { data: Float32Array.from({ length: n * d }, () => (rng.next() < 0.2 ? rng.gaussian() : 0)), n, d };
  const B = Float64Array.from({ length: d * l }, () => rng.gaussian());
  const Q = Float64Array.from({ length: n * l }, () => rng.gaussian());

  function naive(transposed: boolean): Float64Array {
    const rows = transposed ? d : n;
    const inner = transposed ? n : d;
    const M = transposed ? Q : B;
    const out = new Float64Array(rows * l);
    for (let i = 0; i < rows; i++) {
      for (let c = 0; c < l; c++) {
        let s = 0;
        for (let p = 0; p < inner; p++) s += (transposed ? t.data[p * d + i] : t.data[i * d + p]) * M[p * l + c];
        out[i * l + c] = s;
      }
    }
    return out;
  }

  it.each([['dense', denseMatrix(t)], ['sparse', sparseMatrix(t)], ['auto', dataMatrix(t)]])(
    '%s: X B, X^T Q and the column moments',
    (_, X) => {
      const xb = new Float64Array(n * l);
      X.times(B, l, xb);
      const xtq = new Float64Array(d * l);
      X.transposeTimes(Q, l, xtq);
      naive(false).forEach((v, i) => expect(xb[i]).toBeCloseTo(v, 10));
      naive(true).forEach((v, i) => expect(xtq[i]).toBeCloseTo(v, 10));
      const dense = denseMatrix(t).columnMoments();
      const { mean, sumSquares } = X.columnMoments();
      dense.mean.forEach((v, j) => expect(mean[j]).toBeCloseTo(v, 12));
      dense.sumSquares.forEach((v, j) => expect(sumSquares[j]).toBeCloseTo(v, 10));
    },
  );
});

describe('createRandom', () => {
  it('repeats for a seed and draws plausible uniforms and normals', () => {
    const a = createRandom(5);
    const b = createRandom(5);
    const xs = Array.from({ length: 20000 }, () => a.next());
    expect(Array.from({ length: 20000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const g = createRandom(9);
    const zs = Array.from({ length: 20000 }, () => g.gaussian());
    const mean = zs.reduce((s, z) => s + z, 0) / zs.length;
    const variance = zs.reduce((s, z) => s + (z - mean) ** 2, 0) / zs.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
