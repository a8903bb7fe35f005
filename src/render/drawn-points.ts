/**
 * What the point cloud has drawn, shared by the cloud (which writes it) and the view's picking,
 * selection and labels (which read it): the live position buffer (mid-glide included), the
 * per-point flags and the sizing. `version` changes whenever any of them does.
 */
import type * as THREE from 'three';
import type { Sizing } from './point-sizing';

export type SizingBase = Omit<Sizing, 'focal' | 'viewportHeight' | 'pixelRatio'>;

export class DrawnPoints {
  n = 0;
  positions: Float32Array = new Float32Array(0);
  flags: Uint8Array | null = null;
  sizing: SizingBase = { units: 'world', style: 'auto', scale: 1, worldSize: 0.05, maxDevicePx: 256, hasSprite: false };
  geometry: THREE.BufferGeometry | null = null;
  material: THREE.ShaderMaterial | null = null;
  version = 0;
  /** Main-thread ms of the last frame's glide step (for the layout-update benchmark). */
  lastGlideMs = 0;
  /** Bytes of the atlas pages on the GPU. */
  atlasBytes = 0;

  changed(): void {
    this.version++;
  }
}
