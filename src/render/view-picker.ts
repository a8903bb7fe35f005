/**
 * Answers "which point is under the cursor" and "which points are inside this shape" for the
 * current view, three ways: a screen-space grid index over the CPU-projected points (the default,
 * built once per view and reused until the camera, layout, flags or sizing change), a linear scan
 * (the reference), and a GPU id buffer (the points drawn again with their index as colour, one
 * pixel read back). `npm run bench` measures all three on 100k and 1M points.
 */
import * as THREE from 'three';
import type { PickResult, PickStrategy } from '../state/store';
import type { DrawnPoints } from './drawn-points';
import { projectForPicking } from './picking';
import { createPointMaterial } from './point-shader';
import type { Sizing } from './point-sizing';
import { buildScreenIndex, pickLinear, type ScreenIndex, type ScreenPoints } from './screen-index';

export interface PickerContext {
  drawn: DrawnPoints;
  camera: THREE.Camera;
  renderer: THREE.WebGLRenderer;
  /** Canvas size in CSS px. */
  width: number;
  height: number;
}

interface Cached<T> {
  key: string;
  value: T;
}

export class ViewPicker {
  private points: Cached<ScreenPoints> | null = null;
  private index: Cached<ScreenIndex> | null = null;
  private ids: Cached<THREE.WebGLRenderTarget> | null = null;
  private idMaterial: THREE.ShaderMaterial | null = null;
  private readonly pixel = new Uint8Array(4);

  constructor(private ctx: () => PickerContext) {}

  invalidate(): void {
    this.points = null;
    this.index = null;
    if (this.ids) this.ids.key = '';
  }

  dispose(): void {
    this.ids?.value.dispose();
    this.idMaterial?.dispose();
  }

  private key(c: PickerContext): string {
    c.camera.updateMatrixWorld();
    const m = c.camera.matrixWorldInverse.elements;
    const p = c.camera.projectionMatrix.elements;
    return `${c.drawn.version}|${c.width}x${c.height}@${c.renderer.getPixelRatio()}|${m.join(',')}|${p.join(',')}`;
  }

  /** Screen placement of a few points (labels of hovered and selected points), not cached. */
  projectSome(indices: number[]): ScreenPoints {
    const c = this.ctx();
    const { positions, flags } = c.drawn;
    const pos = new Float32Array(indices.length * 3);
    const sub = new Uint8Array(indices.length);
    indices.forEach((i, k) => {
      pos.set(positions.subarray(3 * i, 3 * i + 3), 3 * k);
      sub[k] = flags?.[i] ?? 0;
    });
    return projectForPicking(pos, indices.length, sub, this.viewProjection(c), c.width, c.height, this.sizing(c));
  }

  private viewProjection(c: PickerContext): number[] {
    c.camera.updateMatrixWorld();
    return new THREE.Matrix4().multiplyMatrices(c.camera.projectionMatrix, c.camera.matrixWorldInverse).elements;
  }

  private sizing(c: PickerContext): Sizing {
    return {
      ...c.drawn.sizing,
      focal: c.camera.projectionMatrix.elements[5],
      viewportHeight: c.height,
      pixelRatio: c.renderer.getPixelRatio(),
    };
  }

  /** Every point's screen centre, depth and drawn half-size in this view (cached per view). */
  screenPoints(): { points: ScreenPoints; buildMs: number } {
    const c = this.ctx();
    const key = this.key(c);
    if (this.points?.key === key) return { points: this.points.value, buildMs: 0 };
    const t0 = performance.now();
    const value = projectForPicking(c.drawn.positions, c.drawn.n, c.drawn.flags, this.viewProjection(c), c.width, c.height, this.sizing(c));
    this.points = { key, value };
    return { points: value, buildMs: performance.now() - t0 };
  }

  screenIndex(): { index: ScreenIndex; buildMs: number } {
    const c = this.ctx();
    const key = this.key(c);
    if (this.index?.key === key) return { index: this.index.value, buildMs: 0 };
    const { points, buildMs } = this.screenPoints();
    const t0 = performance.now();
    const value = buildScreenIndex(points, c.width, c.height);
    this.index = { key, value };
    return { index: value, buildMs: buildMs + performance.now() - t0 };
  }

  /**
   * x, y in CSS px from the canvas's top-left. The CPU strategies test the centre of the device
   * pixel under the cursor, as the rasterizer decides what a pixel shows: so they name the point
   * drawn in that pixel, as the GPU id buffer does, not one whose edge merely grazes the cursor.
   */
  pick(x: number, y: number, strategy: PickStrategy = 'index'): PickResult {
    if (strategy === 'gpu') return this.pickGpu(x, y);
    const ratio = this.ctx().renderer.getPixelRatio();
    x = (Math.floor(x * ratio) + 0.5) / ratio;
    y = (Math.floor(y * ratio) + 0.5) / ratio;
    if (strategy === 'scan') {
      const { points, buildMs } = this.screenPoints();
      const t0 = performance.now();
      const index = pickLinear(points, x, y);
      return { index, buildMs, queryMs: performance.now() - t0 };
    }
    const { index: grid, buildMs } = this.screenIndex();
    const t0 = performance.now();
    const index = grid.pick(x, y);
    return { index, buildMs, queryMs: performance.now() - t0 };
  }

  private pickGpu(x: number, y: number): PickResult {
    const c = this.ctx();
    const { geometry, material } = c.drawn;
    if (!geometry || !material || c.drawn.n === 0) return { index: null, buildMs: 0, queryMs: 0 };
    const key = this.key(c);
    let buildMs = 0;
    const ratio = c.renderer.getPixelRatio();
    const w = Math.max(1, Math.round(c.width * ratio));
    const h = Math.max(1, Math.round(c.height * ratio));
    if (this.ids?.key !== key) {
      const t0 = performance.now();
      const target = this.ids?.value ?? new THREE.WebGLRenderTarget(w, h, { depthBuffer: true });
      target.setSize(w, h);
      this.idMaterial ??= createPointMaterial(true);
      // Same uniforms as the cloud on screen: the ids are drawn exactly where the points are.
      for (const [name, u] of Object.entries(material.uniforms)) this.idMaterial.uniforms[name].value = u.value;
      const scene = new THREE.Scene();
      const cloud = new THREE.Points(geometry, this.idMaterial);
      cloud.frustumCulled = false;
      scene.add(cloud);
      const r = c.renderer;
      const before = { target: r.getRenderTarget(), clear: r.getClearColor(new THREE.Color()), alpha: r.getClearAlpha() };
      r.setRenderTarget(target);
      r.setClearColor(0x000000, 0);
      r.clear();
      r.render(scene, c.camera);
      r.setRenderTarget(before.target);
      r.setClearColor(before.clear, before.alpha);
      this.ids = { key, value: target };
      // Reading a pixel waits for the pass to finish: part of the build, not of the query.
      r.readRenderTargetPixels(target, 0, 0, 1, 1, this.pixel);
      buildMs = performance.now() - t0;
    }
    const t0 = performance.now();
    const px = Math.floor(x * ratio);
    const py = h - 1 - Math.floor(y * ratio);
    if (px < 0 || py < 0 || px >= w || py >= h) return { index: null, buildMs, queryMs: 0 };
    c.renderer.readRenderTargetPixels(this.ids.value, px, py, 1, 1, this.pixel);
    const id = this.pixel[0] + this.pixel[1] * 256 + this.pixel[2] * 65536;
    return { index: id === 0 ? null : id - 1, buildMs, queryMs: performance.now() - t0 };
  }

  /** Bytes the id buffer holds on the GPU (colour + depth), 0 until GPU picking was used. */
  idBufferBytes(): number {
    const t = this.ids?.value;
    return t ? t.width * t.height * 8 : 0;
  }
}
