/** A sprite atlas as a texture: no mipmaps (they would bleed neighbouring cells together). */
import * as THREE from 'three';
import type { Sprite } from '../state/store';

export function spriteTexture(sprite: Sprite): THREE.Texture {
  const tex = new THREE.Texture(sprite.bitmap);
  // ImageBitmaps ignore flipY: row 0 of the image is v = 0, which the shader expects.
  tex.flipY = false;
  tex.premultiplyAlpha = false;
  tex.generateMipmaps = false;
  tex.minFilter = THREE.LinearFilter;
  tex.magFilter = THREE.LinearFilter;
  tex.colorSpace = THREE.NoColorSpace;
  tex.needsUpdate = true;
  return tex;
}
