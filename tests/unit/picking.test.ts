import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { pickPoint, projectPoint, type PickView } from '../../src/render/picking';

function view(camera: THREE.PerspectiveCamera, round = false): PickView {
  camera.updateMatrixWorld();
  camera.updateProjectionMatrix();
  const m = new THREE.Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
  return { viewProjection: m.elements, focal: camera.projectionMatrix.elements[5], width: 800, height: 600, worldSize: 0.1, maxPx: 256, round };
}

function cameraAt(z: number) {
  const c = new THREE.PerspectiveCamera(50, 800 / 600, 0.01, 100);
  c.position.set(0, 0, z);
  c.lookAt(0, 0, 0);
  return c;
}

describe('pickPoint', () => {
  it('agrees with three.js projection for the point centre', () => {
    const cam = cameraAt(3);
    const v = view(cam);
    const p = projectPoint(v.viewProjection, 0.3, -0.2, 0.1, 800, 600)!;
    const ndc = new THREE.Vector3(0.3, -0.2, 0.1).project(cam);
    expect(p.x).toBeCloseTo((ndc.x + 1) * 400, 4);
    expect(p.y).toBeCloseTo((1 - ndc.y) * 300, 4);
  });

  it('picks the front-most of overlapping points, whatever their order', () => {
    const cam = cameraAt(3);
    // Two points on the camera axis: index 0 behind, index 1 in front; and the reverse.
    const behindFirst = new Float32Array([0, 0, -0.5, 0, 0, 0.5]);
    expect(pickPoint(behindFirst, 2, view(cam), 400, 300)).toBe(1);
    const frontFirst = new Float32Array([0, 0, 0.5, 0, 0, -0.5]);
    expect(pickPoint(frontFirst, 2, view(cam), 400, 300)).toBe(0);
  });

  it('at equal depth the point drawn last wins, as the depth test draws it', () => {
    const cam = cameraAt(3);
    const same = new Float32Array([0, 0, 0, 0.01, 0, 0]);
    expect(pickPoint(same, 2, view(cam), 401, 300)).toBe(1);
  });

  it('uses the drawn size: inside the square hits, just outside misses', () => {
    const cam = cameraAt(3);
    const v = view(cam);
    // Size in CSS px = worldSize * focal * height / 2 / distance.
    const half = (0.1 * v.focal * 600 * 0.5) / 3 / 2;
    const one = new Float32Array([0, 0, 0]);
    expect(pickPoint(one, 1, v, 400 + half - 0.5, 300 + half - 0.5)).toBe(0);
    expect(pickPoint(one, 1, v, 400 + half + 0.5, 300)).toBeNull();
    // Dots (no sprite) are round: the square's corner misses.
    expect(pickPoint(one, 1, view(cam, true), 400 + half - 0.5, 300 + half - 0.5)).toBeNull();
  });

  it('ignores points behind the camera', () => {
    const cam = cameraAt(3);
    expect(pickPoint(new Float32Array([0, 0, 5]), 1, view(cam), 400, 300)).toBeNull();
  });
});
