/**
 * Where each point is drawn on screen, computed on the CPU with the vertex shader's own math
 * (point-sizing.ts): the input of the screen index that answers hover, click and box/lasso
 * selection without reading pixels back.
 */
import { NOT_PLACED } from '../reduce/sample';
import { HIDDEN, SELECTED } from '../state/point-flags';
import { devicePx, isRound, SELECTED_DEPTH_BIAS, SELECTED_SCALE, type Sizing } from './point-sizing';
import type { ScreenPoints } from './screen-index';

const DEPTH_STEPS = 2 ** 24 - 1;

export function projectPoint(m: ArrayLike<number>, x: number, y: number, z: number, width: number, height: number) {
  const cw = m[3] * x + m[7] * y + m[11] * z + m[15];
  if (cw <= 1e-6) return null;
  const sx = ((m[0] * x + m[4] * y + m[8] * z + m[12]) / cw + 1) * 0.5 * width;
  const sy = (1 - (m[1] * x + m[5] * y + m[9] * z + m[13]) / cw) * 0.5 * height;
  const depth = (m[2] * x + m[6] * y + m[10] * z + m[14]) / cw;
  return { x: sx, y: sy, depth, w: cw };
}

/**
 * Every point's centre (CSS px from the canvas's top-left), depth (in depth-buffer steps) and drawn
 * half-size; points not drawn (hidden, outside a sample, clipped) get half 0. `viewProjection` is
 * column-major.
 */
export function projectForPicking(
  positions: Float32Array,
  n: number,
  flags: Uint8Array | null,
  viewProjection: ArrayLike<number>,
  width: number,
  height: number,
  sizing: Sizing,
): ScreenPoints {
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const depth = new Float32Array(n);
  const half = new Float32Array(n);
  const round = new Uint8Array(n);
  const m = viewProjection;
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15] = Array.from({ length: 16 }, (_, k) => m[k]);
  const ratio = sizing.pixelRatio;
  for (let i = 0; i < n; i++) {
    const f = flags ? flags[i] : 0;
    const px = positions[3 * i];
    if (f & HIDDEN || Math.abs(px) >= NOT_PLACED) continue;
    const py = positions[3 * i + 1];
    const pz = positions[3 * i + 2];
    const cw = m3 * px + m7 * py + m11 * pz + m15;
    if (cw <= 1e-6) continue;
    const selected = f & SELECTED ? 1 : 0;
    const d = (m2 * px + m6 * py + m10 * pz + m14) / cw - selected * SELECTED_DEPTH_BIAS;
    if (d < -1 || d > 1) continue;
    // Compared as the 24-bit depth buffer holds it: points it cannot tell apart tie, and the
    // later-drawn one wins, as on screen.
    depth[i] = Math.round((d + 1) * 0.5 * DEPTH_STEPS);
    const size = devicePx(sizing, cw);
    x[i] = ((m0 * px + m4 * py + m8 * pz + m12) / cw + 1) * 0.5 * width;
    y[i] = (1 - (m1 * px + m5 * py + m9 * pz + m13) / cw) * 0.5 * height;
    round[i] = isRound(sizing, size) ? 1 : 0;
    half[i] = (size * (selected ? SELECTED_SCALE : 1)) / ratio / 2;
  }
  return { n, x, y, depth, half, round };
}
