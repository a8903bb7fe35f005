/**
 * Explicit samples for methods that cannot place every point in reasonable time. Points left out
 * are never dropped silently: they keep a marker position the view hides and the panel counts.
 */
import type { Tensor } from '../data/types';
import { createRandom, type Random } from './random';

/** Where a point outside the sample sits: far outside the unit sphere every layout fits in. */
export const NOT_PLACED = 1e6;

/** `size` distinct row indices, ascending, chosen uniformly with a seeded shuffle. */
export function sampleIndices(n: number, size: number, seed: number): Int32Array {
  return sampleIndicesFrom(n, size, createRandom(seed));
}

/** sampleIndices drawing from `rng` (none when size >= n: every row, no draw). */
export function sampleIndicesFrom(n: number, size: number, rng: Random): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  if (size >= n) return all;
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.slice(0, size).sort();
}

export function sampleRows(t: Tensor, rows: Int32Array): Tensor {
  const data = new Float32Array(rows.length * t.d);
  for (let r = 0; r < rows.length; r++) data.set(t.data.subarray(rows[r] * t.d, (rows[r] + 1) * t.d), r * t.d);
  return { data, n: rows.length, d: t.d };
}

/** n*3 positions: the sample's where they were placed, every other point at NOT_PLACED. */
export function expandSample(placed: Float32Array, rows: Int32Array, n: number): Float32Array {
  const out = new Float32Array(n * 3).fill(NOT_PLACED);
  for (let r = 0; r < rows.length; r++) out.set(placed.subarray(r * 3, r * 3 + 3), rows[r] * 3);
  return out;
}
