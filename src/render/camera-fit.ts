/**
 * Where the camera goes for a new layout: looking down -Z at the middle of the points' bounding
 * box, as close as it can be with every placed point in view. Layouts are scaled so the farthest
 * point is at radius 1, but most clouds fill far less than that sphere: fitting the sphere left
 * MNIST's PCA view using about a third of the canvas.
 */
import { NOT_PLACED } from '../reduce/sample';

export interface Fit {
  center: [number, number, number];
  /** Perspective: the camera's distance from the centre along +Z. */
  distance: number;
  /** Orthographic: CSS px per world unit. */
  zoom: number;
}

const placed = (x: number) => Number.isFinite(x) && Math.abs(x) < NOT_PLACED;

/**
 * margin > 1 leaves room at the edges (for the pictures' own size). fovY in radians; width and
 * height in CSS px.
 */
export function fitCamera(positions: Float32Array, fovY: number, width: number, height: number, margin: number): Fit {
  let lo = [Infinity, Infinity, Infinity];
  let hi = [-Infinity, -Infinity, -Infinity];
  const n = positions.length / 3;
  for (let i = 0; i < n; i++) {
    const x = positions[3 * i];
    if (!placed(x)) continue;
    for (let a = 0; a < 3; a++) {
      const v = positions[3 * i + a];
      if (v < lo[a]) lo[a] = v;
      if (v > hi[a]) hi[a] = v;
    }
  }
  if (!(lo[0] <= hi[0])) {
    lo = [-1, -1, -1];
    hi = [1, 1, 1];
  }
  const center: [number, number, number] = [0, 1, 2].map((a) => (lo[a] + hi[a]) / 2) as [number, number, number];
  // A single point (or all at one spot) still gets a sensible frame.
  const spanX = Math.max(hi[0] - lo[0], 1e-3);
  const spanY = Math.max(hi[1] - lo[1], 1e-3);
  const zoom = Math.min(width / spanX, height / spanY) / margin;

  const tanV = Math.tan(fovY / 2);
  const tanH = tanV * (width / height);
  // A point at (dx, dy, dz) from the centre is in view once the camera is at least
  // dz + margin * |dx| / tanH (and likewise for y) away: take the largest over all points.
  let distance = 0;
  let nearest = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = positions[3 * i];
    if (!placed(x)) continue;
    const dx = Math.abs(x - center[0]);
    const dy = Math.abs(positions[3 * i + 1] - center[1]);
    const dz = positions[3 * i + 2] - center[2];
    distance = Math.max(distance, dz + (margin * dx) / tanH, dz + (margin * dy) / tanV);
    nearest = Math.max(nearest, dz);
  }
  // Never inside the cloud: the nearest point stays in front of the camera.
  distance = Math.max(distance, nearest + 0.1, 0.2);
  return { center, distance, zoom };
}
