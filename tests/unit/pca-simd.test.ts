/**
 * The PCA's products by the WebAssembly SIMD kernels (src/reduce/kernels/matrix + simd.wat
 * csrTimes, denseTimes, denseTransposeTimes) against the JavaScript loops they stand in for: the
 * same numbers bit for bit, on real data (mnist-2k pixels: the compressed path; GloVe: the dense
 * one) and on awkward shapes (block widths that are not multiples of 16, empty rows and columns,
 * dense data in several chunks with a last one of n mod 4 rows), and so the same PCA.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/data/types';
import { compressRows } from '../../src/data/compressed-rows';
import { compressedRowsTimes, dataMatrix } from '../../src/reduce/kernels/matrix';
import { setSimdEnabled, simdKernels } from '../../src/reduce/kernels/simd';
import { pca } from '../../src/reduce/pca/pca';
import { createRandom } from '../../src/reduce/random';
import { readTsvTensor } from './reduce-fixtures';

function both<T>(fn: () => T): [T, T] {
  setSimdEnabled(false);
  const js = fn();
  setSimdEnabled(true);
  return [js, fn()];
}

/** Mostly zeros, with whole rows and columns empty. */
function sparseTensor(n: number, d: number, seed: number): Tensor {
  const rng = createRandom(seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    if (i % 7 === 3) continue;
    for (let j = 0; j < d; j++) if (j % 5 !== 1 && rng.next() < 0.15) data[i * d + j] = rng.gaussian() * 100;
  }
  return { data, n, d };
}

function denseTensor(n: number, d: number, seed: number): Tensor {
  const rng = createRandom(seed);
  return { data: Float32Array.from({ length: n * d }, () => rng.gaussian()), n, d };
}

function products(t: Tensor, l: number, seed: number): { xb: Float64Array; xtb: Float64Array } {
  const rng = createRandom(seed);
  const B = Float64Array.from({ length: t.d * l }, () => rng.gaussian());
  const Q = Float64Array.from({ length: t.n * l }, () => rng.gaussian());
  const X = dataMatrix(t);
  const xb = new Float64Array(t.n * l);
  const xtb = new Float64Array(t.d * l);
  // Twice each: the second call finds the matrix already in the kernel's memory.
  for (let r = 0; r < 2; r++) {
    X.times(B, l, xb);
    X.transposeTimes(Q, l, xtb);
  }
  return { xb, xtb };
}

describe('PCA products by the SIMD kernel', () => {
  afterEach(() => setSimdEnabled(true));

  it('has the kernels here (Node 20 runs WebAssembly SIMD)', () => {
    expect(simdKernels()).not.toBeNull();
  });

  it('gives the JavaScript products bit for bit, for block widths 2 to 38', () => {
    const t = sparseTensor(203, 61, 3);
    for (const l of [2, 4, 6, 16, 18, 20, 22, 38]) {
      const [js, simd] = both(() => products(t, l, l));
      expect(simd.xb).toEqual(js.xb);
      expect(simd.xtb).toEqual(js.xtb);
    }
  });

  it('gives the dense JavaScript products bit for bit, over several chunks of rows', () => {
    for (const [t, widths] of [[denseTensor(203, 61, 4), [2, 6, 20, 38]], [denseTensor(1203, 2000, 6), [20]]] as const) {
      for (const l of widths) {
        const [js, simd] = both(() => products(t, l, l));
        expect(simd.xb).toEqual(js.xb);
        expect(simd.xtb).toEqual(js.xtb);
      }
    }
  });

  it('gives the same PCA of GloVe (dense), bit for bit', () => {
    const t = readTsvTensor('public/data/glove-100d-10k/tensors.tsv');
    const [js, simd] = both(() => pca({ ...t, n: 3000, data: t.data.subarray(0, 3000 * t.d) }, 10, { seed: 42 }));
    expect(simd.projections).toEqual(js.projections);
    expect(simd.components).toEqual(js.components);
  });

  it("gives the neighbour search's projection of a range of compressed rows bit for bit", () => {
    const t = sparseTensor(203, 61, 9);
    let nonZeros = 0;
    for (const v of t.data) if (v !== 0) nonZeros++;
    const A = compressRows(t, nonZeros);
    const rng = createRandom(2);
    const V = Float64Array.from({ length: t.d * 64 }, () => rng.gaussian());
    for (const [from, to] of [[0, 203], [7, 8], [3, 3], [100, 203], [0, 61]]) {
      const [js, simd] = both(() => {
        const out = new Float64Array(t.n * 64).fill(-1);
        compressedRowsTimes(A, V, 64, out, from, to);
        return out;
      });
      expect(simd).toEqual(js);
      // Rows outside the range are left as they were.
      expect(js.subarray(0, from * 64).every((v) => v === -1)).toBe(true);
    }
  });

  it('leaves odd block widths to JavaScript, with the same results', () => {
    const t = sparseTensor(50, 20, 5);
    const [js, simd] = both(() => products(t, 7, 1));
    expect(simd.xb).toEqual(js.xb);
  });

  it('gives the same PCA of mnist-2k, bit for bit', () => {
    const t = readTsvTensor('public/data/mnist-2k/tensors.tsv');
    const [js, simd] = both(() => pca(t, 10, { seed: 42 }));
    expect(simd.projections).toEqual(js.projections);
    expect(simd.components).toEqual(js.components);
    expect(simd.variance).toEqual(js.variance);
  });
});
