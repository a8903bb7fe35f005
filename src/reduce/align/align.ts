/**
 * Aligned layouts across the titles of one group (the same points at successive training epochs,
 * say), so that a point moves only as far as the data make it. Pure and worker-safe: no DOM.
 *
 * The chain runs from the group's first title:
 *   title 0   its layout as today (normalised: centred, farthest point at radius 1);
 *   title t   UMAP / t-SNE warm-started from title t-1's aligned layout (warmStart(); UMAP also
 *             anchored to it with weight ALIGN_ANCHOR), then registered onto title t-1's aligned
 *             layout by a Procrustes fit (alignTo(): rotation or reflection, uniform scale,
 *             translation, least squares over the placed points) and renormalised. PCA layouts
 *             get the registration only.
 * A title's aligned layout is therefore a function of the data, the parameters and the seed of
 * titles 0..t alone: callers must build it from title 0 up (alignedChain() does), never from
 * whichever title happened to be shown before, or the layout would depend on the visiting order.
 */
import { procrustes } from './procrustes';
import { NOT_PLACED } from '../sample';

/**
 * Weight of UMAP's anchor spring toward the previous title's layout (UmapParams.anchor: each epoch
 * pulls every point min(1, 0.2 alpha) of the way back to its start). Tuned on
 * public/data/digits-mlp-epochs, both groups, 2D, default settings (500 epochs):
 * `npx tsx bench/run.ts --only=align --align-anchors=...` runs any weights. Mean displacement
 * between consecutive titles (aligned / unaligned; hidden-layer-1, hidden-layer-2) and 10-NN
 * preservation (aligned / unaligned, the worse group):
 *   0     0.33x, 0.45x  100%   (warm start + Procrustes only)
 *   0.1   0.19x, 0.29x  100%
 *   0.2   0.17x, 0.26x   99%   <- chosen: both groups clear 1/3 with margin
 *   0.5   0.13x, 0.25x   98%
 *   1     0.12x, 0.22x   96%
 *   2     0.11x, 0.20x   90%   (the anchor starts to hold back the change the data make)
 * With 200 epochs ('auto' above 10 000 points) the integrated pull is smaller; the weight is
 * relative to UMAP's own layout scale (init rescaled to [0, 10]), not to the data.
 */
export const ALIGN_ANCHOR = 0.2;

function isPlaced(layout: Float32Array, i: number): boolean {
  const x = layout[i * 3];
  return Number.isFinite(x) && Math.abs(x) < NOT_PLACED;
}

/**
 * The layout (n*3 row-major, z = 0 in 2D) of a title registered onto the previous title's
 * aligned layout: procrustes() then, about the centroid of the placed rows, rescaled so the
 * farthest placed point lies at radius 1 (as every layout, see ../layout's normalizeLayout — a
 * least-squares scale shrinks with the fit's residual, and would compound along the chain).
 * For the first title (previousAligned null) the layout is returned as it is. Unplaced rows
 * (NOT_PLACED or NaN) stay as they are. Does not modify its inputs (except that the first
 * title's layout is returned itself).
 */
export function alignTo(previousAligned: Float32Array | null, layout: Float32Array, n: number, dim: 2 | 3): Float32Array {
  if (!previousAligned) return layout;
  const out = procrustes(previousAligned, layout, n, dim);
  const centre = [0, 0, 0];
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (!isPlaced(out, i)) continue;
    m++;
    for (let a = 0; a < dim; a++) centre[a] += out[i * 3 + a];
  }
  if (m === 0) return out;
  for (let a = 0; a < dim; a++) centre[a] /= m;
  let maxSq = 0;
  for (let i = 0; i < n; i++) {
    if (!isPlaced(out, i)) continue;
    let sq = 0;
    for (let a = 0; a < dim; a++) sq += (out[i * 3 + a] - centre[a]) ** 2;
    if (sq > maxSq) maxSq = sq;
  }
  if (!(maxSq > 0)) return out;
  const scale = 1 / Math.sqrt(maxSq);
  for (let i = 0; i < n; i++) {
    if (!isPlaced(out, i)) continue;
    for (let a = 0; a < dim; a++) out[i * 3 + a] = (out[i * 3 + a] - centre[a]) * scale;
  }
  return out;
}

/**
 * The start for UMAP's or t-SNE's `init` (n*dim row-major) from the previous title's aligned
 * layout (n*3): its first dim coordinates; unplaced rows start at the centroid of the placed ones.
 */
export function warmStart(previousAligned: Float32Array, n: number, dim: 2 | 3): Float32Array {
  const init = new Float32Array(n * dim);
  const centre = [0, 0, 0];
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (!isPlaced(previousAligned, i)) continue;
    m++;
    for (let a = 0; a < dim; a++) centre[a] += previousAligned[i * 3 + a];
  }
  for (let a = 0; a < dim; a++) centre[a] /= Math.max(1, m);
  for (let i = 0; i < n; i++) {
    const ok = isPlaced(previousAligned, i);
    for (let a = 0; a < dim; a++) init[i * dim + a] = ok ? previousAligned[i * 3 + a] : centre[a];
  }
  return init;
}

/**
 * The aligned layouts of titles 0..count-1 of a group, in order. `layoutOf(title, warm)` computes
 * one title's normalised n*3 layout, warm-started from `warm` (warmStart() of the previous
 * aligned layout, n*dim; null for title 0 — and to be ignored by PCA); each result is registered
 * with alignTo(). To show title t, compute (or reuse cached) titles 0..t with this chain.
 */
export function alignedChain(
  count: number,
  n: number,
  dim: 2 | 3,
  layoutOf: (title: number, warm: Float32Array | null) => Float32Array,
): Float32Array[] {
  const aligned: Float32Array[] = [];
  let previous: Float32Array | null = null;
  for (let t = 0; t < count; t++) {
    const warm: Float32Array | null = previous ? warmStart(previous, n, dim) : null;
    previous = alignTo(previous, layoutOf(t, warm), n, dim);
    aligned.push(previous);
  }
  return aligned;
}
