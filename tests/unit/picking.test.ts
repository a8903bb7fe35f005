import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { projectForPicking, projectPoint } from '../../src/render/picking';
import { devicePx, DOT_BELOW_PX, SCREEN_BASE_PX, type Sizing } from '../../src/render/point-sizing';
import { pickLinear } from '../../src/render/screen-index';
import { HIDDEN, SELECTED } from '../../src/state/point-flags';

const W = 800;
const H = 600;

function sizing(camera: THREE.Camera, patch: Partial<Sizing> = {}): Sizing {
  return {
    units: 'world',
    style: 'auto',
    scale: 1,
    worldSize: 0.1,
    focal: camera.projectionMatrix.elements[5],
    viewportHeight: H,
    pixelRatio: 1,
    maxDevicePx: 256,
    hasSprite: true,
    ...patch,
  };
}

function viewProjection(camera: THREE.Camera) {
  camera.updateMatrixWorld();
  return new THREE.Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse).elements;
}

function cameraAt(z: number) {
  const c = new THREE.PerspectiveCamera(50, W / H, 0.01, 100);
  c.position.set(0, 0, z);
  c.lookAt(0, 0, 0);
  c.updateProjectionMatrix();
  return c;
}

function pick(positions: number[], camera: THREE.Camera, x: number, y: number, opts: { flags?: number[]; sizing?: Partial<Sizing> } = {}) {
  const n = positions.length / 3;
  const flags = opts.flags ? Uint8Array.from(opts.flags) : null;
  const pts = projectForPicking(Float32Array.from(positions), n, flags, viewProjection(camera), W, H, sizing(camera, opts.sizing));
  return { hit: pickLinear(pts, x, y), pts };
}

describe('picking by the shader’s own geometry', () => {
  it('agrees with three.js projection for the point centre', () => {
    const cam = cameraAt(3);
    const p = projectPoint(viewProjection(cam), 0.3, -0.2, 0.1, W, H)!;
    const ndc = new THREE.Vector3(0.3, -0.2, 0.1).project(cam);
    expect(p.x).toBeCloseTo((ndc.x + 1) * 400, 4);
    expect(p.y).toBeCloseTo((1 - ndc.y) * 300, 4);
  });

  it('picks the front-most of overlapping points, whatever their order', () => {
    const cam = cameraAt(3);
    expect(pick([0, 0, -0.5, 0, 0, 0.5], cam, 400, 300).hit).toBe(1);
    expect(pick([0, 0, 0.5, 0, 0, -0.5], cam, 400, 300).hit).toBe(0);
  });

  it('at equal depth the point drawn last wins, as the depth test draws it', () => {
    expect(pick([0, 0, 0, 0.01, 0, 0], cameraAt(3), 401, 300).hit).toBe(1);
  });

  it('uses the drawn size: inside the square hits, just outside misses; dots are round', () => {
    const cam = cameraAt(3);
    // Size in px = worldSize * focal * height / 2 / distance.
    const half = (0.1 * cam.projectionMatrix.elements[5] * H * 0.5) / 3 / 2;
    expect(pick([0, 0, 0], cam, 400 + half - 0.5, 300 + half - 0.5).hit).toBe(0);
    expect(pick([0, 0, 0], cam, 400 + half + 0.5, 300).hit).toBeNull();
    expect(pick([0, 0, 0], cam, 400 + half - 0.5, 300 + half - 0.5, { sizing: { style: 'dots' } }).hit).toBeNull();
    expect(pick([0, 0, 0], cam, 400 + half - 0.5, 300 + half - 0.5, { sizing: { hasSprite: false } }).hit).toBeNull();
  });

  it('auto style draws points smaller than the dot threshold as dots', () => {
    const cam = cameraAt(3);
    const s = sizing(cam, { worldSize: 0.005 });
    expect(devicePx(s, 3)).toBeLessThan(DOT_BELOW_PX);
    expect(pick([0, 0, 0], cam, 400, 300, { sizing: { worldSize: 0.005 } }).pts.round[0]).toBe(1);
    expect(pick([0, 0, 0], cam, 400, 300, { sizing: { worldSize: 0.005, style: 'thumbnails' } }).pts.round[0]).toBe(0);
  });

  it('ignores points behind the camera, hidden points, and points outside a sample', () => {
    const cam = cameraAt(3);
    expect(pick([0, 0, 5], cam, 400, 300).hit).toBeNull();
    expect(pick([0, 0, 0], cam, 400, 300, { flags: [HIDDEN] }).hit).toBeNull();
    expect(pick([1e6, 1e6, 1e6], cam, 400, 300).hit).toBeNull();
  });

  it('a selected point is drawn larger and in front, and is picked so', () => {
    const cam = cameraAt(3);
    // Point 1 is behind point 0 but selected: its depth bias brings it in front.
    const { hit, pts } = pick([0, 0, 0.02, 0, 0, 0], cam, 400, 300, { flags: [0, SELECTED] });
    expect(hit).toBe(1);
    expect(pts.half[1]).toBeGreaterThan(pts.half[0] * 1.3);
  });

  it('screen units keep the same size at any distance', () => {
    const cam = cameraAt(3);
    const { pts } = pick([0, 0, 0, 0, 0, 2], cam, 0, 0, { sizing: { units: 'screen', scale: 2 } });
    expect(pts.half[0]).toBeCloseTo(SCREEN_BASE_PX, 5);
    expect(pts.half[1]).toBeCloseTo(SCREEN_BASE_PX, 5);
  });

  it('an orthographic camera sizes points by zoom, not distance', () => {
    const cam = new THREE.OrthographicCamera(-W / 2, W / 2, H / 2, -H / 2, 0.1, 100);
    cam.position.set(0, 0, 10);
    cam.zoom = 250;
    cam.updateProjectionMatrix();
    const { hit, pts } = pick([0, 0, 0, 0.5, 0.5, 0], cam, 400 + 125, 300 - 125);
    expect(hit).toBe(1);
    // World size 0.1 at zoom 250 px per unit: 25 px wide.
    expect(pts.half[0]).toBeCloseTo(12.5, 4);
  });
});
