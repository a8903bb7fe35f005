/**
 * How big each point is drawn, in one place for the shader and for picking: the vertex shader
 * in point-shader.ts computes exactly this, so the CPU can tell what is under the cursor
 * without reading pixels back.
 */
import type { PointStyle, SizeUnits } from '../state/store';

/** CSS px of a point in screen units at scale 1. */
export const SCREEN_BASE_PX = 8;
/** Below this many CSS px, 'auto' draws a dot instead of an unreadable thumbnail. */
export const DOT_BELOW_PX = 6;
export const MAX_POINT_PX = 256;
export const SELECTED_SCALE = 1.4;
export const HOVERED_SCALE = 1.6;
/** NDC depth offsets that draw selected and hovered points in front of their neighbours. */
export const SELECTED_DEPTH_BIAS = 0.05;
export const HOVERED_DEPTH_BIAS = 0.1;

export interface Sizing {
  units: SizeUnits;
  style: PointStyle;
  scale: number;
  /** World size at scale 1 (see pointWorldSize). */
  worldSize: number;
  /** projectionMatrix[1][1]. */
  focal: number;
  /** Canvas height in CSS px. */
  viewportHeight: number;
  pixelRatio: number;
  /** Largest point the GPU draws, in device px. */
  maxDevicePx: number;
  hasSprite: boolean;
}

/** World size of a point for n points in a unit-radius cloud: dense clouds get smaller pictures. */
export const pointWorldSize = (n: number) => Math.min(0.06, Math.max(0.01, 1.8 / Math.sqrt(Math.max(n, 1))));

/** Side in device px of an unselected point whose clip-space w is `w`. */
export function devicePx(s: Sizing, w: number): number {
  const px =
    s.units === 'world'
      ? (s.worldSize * s.scale * s.focal * s.viewportHeight * s.pixelRatio * 0.5) / Math.max(w, 1e-6)
      : SCREEN_BASE_PX * s.scale * s.pixelRatio;
  return Math.min(px, s.maxDevicePx);
}

/** Drawn as a disc (no sprite, dots, or too small for a thumbnail) rather than a square picture. */
export function isRound(s: Sizing, px: number): boolean {
  return !s.hasSprite || s.style === 'dots' || (s.style === 'auto' && px < DOT_BELOW_PX * s.pixelRatio);
}

export const STYLE_CODE: Record<PointStyle, number> = { auto: 0, thumbnails: 1, dots: 2 };
