/**
 * The orthonormal bases of the subspace searches (src/reduce/kernels/orthonormal.ts): the
 * WebAssembly SIMD pass (simd.wat orthoPass) gives the JavaScript one's numbers bit for bit, on
 * odd and even row and column counts and with a dependent column (replaced by a random one), and
 * the result is orthonormal; and it leaves the shared kernels' memory to the products around it
 * (a matrix kept resident there stays resident).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { orthonormalizeColumns } from '../../src/reduce/kernels/orthonormal';
import { setSimdEnabled, simdKernels } from '../../src/reduce/kernels/simd';
import { createRandom } from '../../src/reduce/random';

function block(rows: number, l: number, seed: number, dependent: boolean): Float64Array {
  const rng = createRandom(seed);
  const A = Float64Array.from({ length: rows * l }, () => rng.gaussian());
  // Column 2 = column 0 + column 1: it collapses and is drawn again.
  if (dependent) for (let i = 0; i < rows; i++) A[i * l + 2] = A[i * l] + A[i * l + 1];
  return A;
}

function orthonormalized(A: Float64Array, rows: number, l: number, simd: boolean): Float64Array {
  setSimdEnabled(simd);
  const out = A.slice();
  orthonormalizeColumns(out, rows, l, createRandom(99), 'test');
  return out;
}

describe('orthonormal columns', () => {
  afterEach(() => setSimdEnabled(true));
  it('has the SIMD kernels here', () => {
    expect(simdKernels()).not.toBeNull();
  });
  for (const [rows, l, dependent] of [[784, 64, false], [101, 7, false], [50, 10, true], [9, 8, true]] as [number, number, boolean][]) {
    it(`the SIMD pass equals the JavaScript one (${rows} x ${l}${dependent ? ', a dependent column' : ''})`, () => {
      const A = block(rows, l, rows + l, dependent);
      const js = orthonormalized(A, rows, l, false);
      const simd = orthonormalized(A, rows, l, true);
      expect(Buffer.from(simd.buffer).equals(Buffer.from(js.buffer))).toBe(true);
      for (let a = 0; a < l; a++) {
        for (let b = 0; b < l; b++) {
          let dot = 0;
          for (let i = 0; i < rows; i++) dot += simd[i * l + a] * simd[i * l + b];
          expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
    });
  }
  it('leaves a matrix resident in the shared kernels resident', () => {
    const shared = simdKernels();
    if (!shared) throw new Error('no SIMD kernels');
    const owner = {};
    expect(shared.reserveFor(owner, 1 << 20)?.resident).toBe(false);
    expect(shared.reserveFor(owner, 1 << 20)?.resident).toBe(true);
    orthonormalized(block(784, 64, 1, false), 784, 64, true);
    expect(shared.reserveFor(owner, 1 << 20)?.resident).toBe(true);
  });
});
