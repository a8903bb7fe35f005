/**
 * The view as a PNG at 1x, 2x or 4x the canvas: the scene rendered once more into an off-screen
 * target of that size (point sizes scaled with it), on the page's background colour, with the
 * legend drawn in when asked. The canvas on screen is not touched.
 */
import type { RootState } from '@react-three/fiber';
import * as THREE from 'three';
import { coloringFor } from '../state/color-by';
import { rgbCss, sequentialColor } from '../color/palette';
import { getState } from '../state/store';

/** The element that carries the theme's colours: the app's root (the page's when embedded elsewhere). */
const themed = (): Element => document.querySelector('.app') ?? document.documentElement;

/** Uniforms given in device pixels: scaled with the export. */
const PIXEL_UNIFORMS = ['uViewportHeight', 'uScreenPx', 'uDotBelow', 'uMaxPx'];

export async function exportPng(root: RootState, scale: number, legend: boolean): Promise<Blob> {
  if (![1, 2, 4].includes(scale)) throw new Error(`scale must be 1, 2 or 4; got ${scale}`);
  const { gl, scene, camera, size } = root;
  const w = Math.round(size.width * scale);
  const h = Math.round(size.height * scale);
  const max = gl.capabilities.maxTextureSize;
  if (w > max || h > max) throw new Error(`${w} x ${h} px is more than this GPU renders (${max} px a side): choose a smaller scale`);
  const factor = scale / gl.getPixelRatio();
  const saved: [THREE.ShaderMaterial, string, number][] = [];
  scene.traverse((o) => {
    const m = (o as THREE.Points).material;
    if (!(m instanceof THREE.ShaderMaterial)) return;
    for (const name of PIXEL_UNIFORMS) {
      const u = m.uniforms[name];
      if (u && typeof u.value === 'number') {
        saved.push([m, name, u.value]);
        u.value *= factor;
      }
    }
  });
  const target = new THREE.WebGLRenderTarget(w, h, { depthBuffer: true });
  const pixels = new Uint8Array(w * h * 4);
  const before = gl.getRenderTarget();
  try {
    gl.setRenderTarget(target);
    gl.setClearColor(0x000000, 0);
    gl.clear();
    gl.render(scene, camera);
    gl.readRenderTargetPixels(target, 0, 0, w, h, pixels);
  } finally {
    gl.setRenderTarget(before);
    target.dispose();
    for (const [m, name, value] of saved) m.uniforms[name].value = value;
    root.invalidate();
  }
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = getComputedStyle(themed()).getPropertyValue('--bg').trim() || '#ffffff';
  ctx.fillRect(0, 0, w, h);
  // WebGL rows run bottom-up.
  const flipped = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) flipped.set(pixels.subarray((h - 1 - y) * w * 4, (h - y) * w * 4), y * w * 4);
  const layer = new OffscreenCanvas(w, h);
  layer.getContext('2d')!.putImageData(new ImageData(flipped, w, h), 0, 0);
  ctx.drawImage(layer, 0, 0);
  if (legend) drawLegend(ctx, w, scale);
  return canvas.convertToBlob({ type: 'image/png' });
}

function drawLegend(ctx: OffscreenCanvasRenderingContext2D, width: number, scale: number): void {
  const s = getState();
  const column = s.dataset?.metadata?.columns[s.colorColumn] ?? null;
  if (!s.dataset || !column) return;
  const { legend } = coloringFor(s.dataset.n, column);
  if (legend.kind === 'none') return;
  const line = 18 * scale;
  const pad = 10 * scale;
  const fg = getComputedStyle(themed()).getPropertyValue('--fg').trim() || '#000';
  ctx.font = `${12 * scale}px sans-serif`;
  ctx.textBaseline = 'middle';
  const x = width - 200 * scale;
  let y = pad + line / 2;
  ctx.fillStyle = fg;
  ctx.fillText(legend.column, x, y);
  y += line;
  if (legend.kind === 'numeric') {
    const ramp = ctx.createLinearGradient(x, 0, x + 120 * scale, 0);
    [0, 0.25, 0.5, 0.75, 1].forEach((t) => ramp.addColorStop(t, rgbCss(sequentialColor(t))));
    ctx.fillStyle = ramp;
    ctx.fillRect(x, y - 5 * scale, 120 * scale, 10 * scale);
    ctx.fillStyle = fg;
    ctx.fillText(`${legend.min} – ${legend.max}`, x, y + line);
    return;
  }
  for (const e of legend.entries) {
    if (s.hiddenValues.includes(e.value)) continue;
    ctx.fillStyle = rgbCss(e.color);
    ctx.fillRect(x, y - 6 * scale, 12 * scale, 12 * scale);
    ctx.fillStyle = fg;
    ctx.fillText(e.value, x + 18 * scale, y);
    y += line;
  }
}
