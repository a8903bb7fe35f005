/**
 * Turns reduced coordinates into render positions: n*3 floats (x, y, z per point), centred on the
 * centroid and scaled uniformly so the farthest point lies at radius 1 — a fitted camera can
 * assume a unit sphere. Pure and worker-safe.
 */
import type { Tensor } from '../data/types';

/**
 * Positions from the n*k row-major `projections`, taking the given component indices as x, y
 * (and z; with two axes z is 0).
 */
export function layoutFromProjections(
  projections: Float32Array,
  n: number,
  k: number,
  axes: [number, number, number] | [number, number],
): Float32Array {
  if (projections.length < n * k) throw new RangeError(`layout: ${projections.length} values, expected ${n} x ${k}`);
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= k) throw new RangeError(`layout: axis ${a} is not in 0..${k - 1}`);
  }
  return normalizedPositions(projections, n, k, axes);
}

/** Positions straight from a tensor of at most 3 dimensions (missing coordinates are 0). */
export function precomputedLayout(t: Tensor): Float32Array {
  if (t.d > 3) throw new RangeError(`layout: a precomputed layout needs d <= 3, got ${t.d}`);
  const columns = [0, 1, 2].slice(0, t.d);
  return normalizedPositions(t.data, t.n, t.d, columns);
}

/** An n x dim embedding (2 or 3 columns) as n*3 positions, normalised like every layout. */
export function normalizeLayout(src: Float32Array, n: number, dim: 2 | 3): Float32Array {
  return normalizedPositions(src, n, dim, dim === 3 ? [0, 1, 2] : [0, 1]);
}

/** Copies the chosen columns (up to 3) of a row-major n x stride source, centres and scales them. */
function normalizedPositions(src: Float32Array, n: number, stride: number, columns: readonly number[]): Float32Array {
  const dims = columns.length;
  const centroid = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dims; a++) centroid[a] += src[i * stride + columns[a]];
  }
  for (let a = 0; a < dims; a++) centroid[a] /= Math.max(1, n);

  let maxSq = 0;
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let a = 0; a < dims; a++) {
      const v = src[i * stride + columns[a]] - centroid[a];
      sq += v * v;
    }
    if (sq > maxSq) maxSq = sq;
  }

  const out = new Float32Array(n * 3);
  if (!(maxSq > 0)) return out;
  const scale = 1 / Math.sqrt(maxSq);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dims; a++) out[i * 3 + a] = (src[i * stride + columns[a]] - centroid[a]) * scale;
  }
  return out;
}
