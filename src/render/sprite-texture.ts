/**
 * A sprite atlas as GPU textures: the image itself when it fits, else its cells re-packed onto
 * pages (atlas-pages.ts). No mipmaps: they would bleed neighbouring cells together.
 */
import * as THREE from 'three';
import type { Sprite } from '../state/store';
import { copyRuns, planAtlas, type AtlasPlan } from './atlas-pages';

export interface AtlasTextures {
  plan: AtlasPlan;
  textures: THREE.Texture[];
  /** Bytes the pages take on the GPU (RGBA8). */
  bytes: number;
}

function configure<T extends THREE.Texture>(tex: T): T {
  // ImageBitmaps and canvases are uploaded top row first: row 0 of the image is v = 0, as the shader expects.
  tex.flipY = false;
  tex.premultiplyAlpha = false;
  tex.generateMipmaps = false;
  tex.minFilter = THREE.LinearFilter;
  tex.magFilter = THREE.LinearFilter;
  tex.colorSpace = THREE.NoColorSpace;
  tex.needsUpdate = true;
  return tex;
}

/** The largest texture side to use: the GPU's, or less when `?maxTextureSize=` asks (to try small GPUs). */
export function maxTextureSize(gl: THREE.WebGLRenderer): number {
  const asked = Number(new URLSearchParams(window.location.search).get('maxTextureSize'));
  const limit = gl.capabilities.maxTextureSize;
  return asked > 0 ? Math.min(asked, limit) : limit;
}

/** At most one atlas made ahead of the view that will show it (see prepareAtlas). */
let prepared: { sprite: Sprite; n: number; limit: number; atlas: AtlasTextures } | null = null;

/**
 * Makes the atlas for a dataset about to be shown and uploads it now: the first layout is still
 * being computed, and uploading ~30 MB in the frame that first draws the points (as three.js does
 * on first use) holds that frame up by tens of ms in SwiftShader. The view takes it with takeAtlas;
 * a newer one replaces (and frees) one never taken.
 */
export function prepareAtlas(gl: THREE.WebGLRenderer, sprite: Sprite, n: number): void {
  const limit = maxTextureSize(gl);
  if (prepared?.sprite === sprite && prepared.n === n && prepared.limit === limit) return;
  if (prepared) prepared.atlas.textures.forEach((t) => t.dispose());
  const atlas = atlasTextures(sprite, n, limit);
  atlas.textures.forEach((t) => gl.initTexture(t));
  prepared = { sprite, n, limit, atlas };
}

/** The atlas prepareAtlas made for exactly this sprite, size and limit (the caller then owns it), else a new one. */
export function takeAtlas(sprite: Sprite, n: number, maxTextureSize: number): AtlasTextures {
  if (prepared?.sprite === sprite && prepared.n === n && prepared.limit === maxTextureSize) {
    const { atlas } = prepared;
    prepared = null;
    return atlas;
  }
  return atlasTextures(sprite, n, maxTextureSize);
}

export function atlasTextures(sprite: Sprite, n: number, maxTextureSize: number): AtlasTextures {
  const geom = sprite.geometry;
  const plan = planAtlas(geom, n, maxTextureSize);
  if (plan.direct) {
    return { plan, textures: [configure(new THREE.Texture(sprite.bitmap))], bytes: geom.imageWidth * geom.imageHeight * 4 };
  }
  // Pages share one size: the shader maps a cell to uv the same way on each.
  const pages = Array.from({ length: plan.pages }, () => {
    const canvas = new OffscreenCanvas(plan.pageWidth, plan.pageHeight);
    const ctx = canvas.getContext('2d')!;
    ctx.imageSmoothingQuality = 'high';
    return { canvas, ctx };
  });
  for (const r of copyRuns(geom, plan, n)) {
    pages[r.page].ctx.drawImage(sprite.bitmap, r.sx, r.sy, r.sw, r.sh, r.dx, r.dy, r.dw, r.dh);
  }
  let bytes = 0;
  const textures = pages.map(({ canvas }) => {
    bytes += canvas.width * canvas.height * 4;
    return configure(new THREE.CanvasTexture(canvas));
  });
  return { plan, textures, bytes };
}
