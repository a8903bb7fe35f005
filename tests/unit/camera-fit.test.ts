import { describe, expect, it } from 'vitest';
import { fitCamera } from '../../src/render/camera-fit';
import { createRandom } from '../../src/reduce/random';
import { NOT_PLACED } from '../../src/reduce/sample';

const FOV = (50 * Math.PI) / 180;

/** Screen position (CSS px) of a point for a camera at centre + (0, 0, distance) looking down -Z. */
function project(p: number[], fit: ReturnType<typeof fitCamera>, w: number, h: number) {
  const tanV = Math.tan(FOV / 2);
  const depth = fit.distance - (p[2] - fit.center[2]);
  const nx = (p[0] - fit.center[0]) / depth / (tanV * (w / h));
  const ny = (p[1] - fit.center[1]) / depth / tanV;
  return [((nx + 1) / 2) * w, ((1 - ny) / 2) * h];
}

describe('camera fit', () => {
  it('every point is in view and the cloud fills most of the canvas (3D)', () => {
    const rnd = createRandom(5);
    const n = 2000;
    // A flattened, off-centre cloud, as PCA layouts are: far smaller than the unit sphere.
    const pos = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) pos.set([0.3 + rnd.next() * 0.5, -0.2 + rnd.next() * 0.3, rnd.next() * 0.2 - 0.1], 3 * i);
    pos.set([NOT_PLACED, NOT_PLACED, NOT_PLACED], 0);
    const [w, h] = [1000, 700];
    const fit = fitCamera(pos, FOV, w, h, 1.1);
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 1; i < n; i++) {
      const [x, y] = project(Array.from(pos.subarray(3 * i, 3 * i + 3)), fit, w, h);
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
    expect(x0).toBeGreaterThanOrEqual(0);
    expect(y0).toBeGreaterThanOrEqual(0);
    expect(x1).toBeLessThanOrEqual(w);
    expect(y1).toBeLessThanOrEqual(h);
    // One side spans the canvas but for the margin.
    expect(Math.max((x1 - x0) / w, (y1 - y0) / h)).toBeGreaterThan(0.8);
  });

  it('2D: the zoom fits the bounding box; a single point still gets a frame', () => {
    const pos = Float32Array.from([-0.5, 0, 0, 0.5, 0.1, 0, 0.1, -0.1, 0]);
    const fit = fitCamera(pos, FOV, 800, 600, 1);
    expect(fit.center[0]).toBeCloseTo(0);
    expect(fit.zoom).toBeCloseTo(800);
    const one = fitCamera(Float32Array.from([0.2, 0.3, 0.4]), FOV, 800, 600, 1.1);
    expect(one.center).toEqual([0.2, 0.3, 0.4].map((v) => Math.fround(v)));
    expect(Number.isFinite(one.zoom) && one.distance > 0).toBe(true);
  });
});
