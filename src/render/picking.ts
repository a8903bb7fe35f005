/**
 * Exact hover picking on the CPU, with the vertex shader's own sizing: a point is hit when the
 * cursor is inside the square (or dot) it is drawn as; of several, the front-most wins, and at
 * equal depth the one drawn last (the depth test passes LessEqual), as on screen.
 */
import { NOT_PLACED } from '../reduce/sample';

export interface PickView {
  /** Column-major projection * view matrix (model is identity). */
  viewProjection: ArrayLike<number>;
  /** projectionMatrix[1][1]: cot(fov/2) for a perspective camera. */
  focal: number;
  width: number;
  height: number;
  worldSize: number;
  maxPx: number;
  round: boolean;
}

export function projectPoint(m: ArrayLike<number>, x: number, y: number, z: number, width: number, height: number) {
  const cw = m[3] * x + m[7] * y + m[11] * z + m[15];
  if (cw <= 1e-6) return null;
  const sx = ((m[0] * x + m[4] * y + m[8] * z + m[12]) / cw + 1) * 0.5 * width;
  const sy = (1 - (m[1] * x + m[5] * y + m[9] * z + m[13]) / cw) * 0.5 * height;
  const depth = (m[2] * x + m[6] * y + m[10] * z + m[14]) / cw;
  return { x: sx, y: sy, depth, w: cw };
}

export function pickPoint(positions: Float32Array, n: number, v: PickView, px: number, py: number): number | null {
  let best: number | null = null;
  let bestDepth = Infinity;
  for (let i = 0; i < n; i++) {
    if (Math.abs(positions[3 * i]) >= NOT_PLACED) continue;
    const p = projectPoint(v.viewProjection, positions[3 * i], positions[3 * i + 1], positions[3 * i + 2], v.width, v.height);
    if (!p || p.depth < -1 || p.depth > 1) continue;
    const half = Math.min((v.worldSize * v.focal * v.height * 0.5) / p.w, v.maxPx) / 2;
    const dx = px - p.x;
    const dy = py - p.y;
    const inside = v.round ? dx * dx + dy * dy <= half * half : Math.abs(dx) <= half && Math.abs(dy) <= half;
    if (inside && p.depth <= bestDepth) {
      best = i;
      bestDepth = p.depth;
    }
  }
  return best;
}
