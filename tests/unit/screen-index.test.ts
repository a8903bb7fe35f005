import { describe, it, expect } from 'vitest';
import { buildScreenIndex, pickLinear, type ScreenPoints } from '../../src/render/screen-index';
import { createRandom } from '../../src/reduce/random';

const W = 800;
const H = 600;

function emptyPoints(n: number): ScreenPoints {
  return {
    n,
    x: new Float32Array(n),
    y: new Float32Array(n),
    depth: new Float32Array(n),
    half: new Float32Array(n),
    round: new Uint8Array(n),
  };
}

interface P {
  x: number;
  y: number;
  half: number;
  depth?: number;
  round?: boolean;
}

function fromList(list: P[]): ScreenPoints {
  const p = emptyPoints(list.length);
  list.forEach((q, i) => {
    p.x[i] = q.x;
    p.y[i] = q.y;
    p.half[i] = q.half;
    p.depth[i] = q.depth ?? 0;
    p.round[i] = q.round ? 1 : 0;
  });
  return p;
}

/**
 * Clustered cloud with the awkward cases: coarse depths (many ties), duplicates of earlier
 * points (same position and depth), undrawn points (half 0 or negative), a few huge points,
 * points partly or wholly outside the viewport, mixed discs and squares.
 */
function makeCloud(seed: number, n: number, opts: { maxHalf?: number; huge?: number } = {}): ScreenPoints {
  const rnd = createRandom(seed);
  const p = emptyPoints(n);
  const maxHalf = opts.maxHalf ?? 8;
  const centres = Array.from({ length: 6 }, () => [rnd.next() * W, rnd.next() * H, 10 + rnd.next() * 60]);
  for (let i = 0; i < n; i++) {
    const r = rnd.next();
    if (i > 0 && r < 0.08) {
      const j = Math.floor(rnd.next() * i);
      p.x[i] = p.x[j];
      p.y[i] = p.y[j];
      p.depth[i] = p.depth[j];
      p.half[i] = rnd.next() < 0.5 ? p.half[j] : 0.5 + rnd.next() * maxHalf;
      p.round[i] = rnd.next() < 0.5 ? 1 : 0;
      continue;
    }
    if (r < 0.15) {
      // Anywhere, including well outside the viewport.
      p.x[i] = -100 + rnd.next() * (W + 200);
      p.y[i] = -100 + rnd.next() * (H + 200);
    } else {
      const c = centres[Math.floor(rnd.next() * centres.length)];
      p.x[i] = c[0] + rnd.gaussian() * c[2];
      p.y[i] = c[1] + rnd.gaussian() * c[2];
    }
    const s = rnd.next();
    p.half[i] = s < 0.03 ? 0 : s < 0.05 ? -3 : 0.5 + rnd.next() * maxHalf;
    p.depth[i] = Math.floor(rnd.next() * 16) / 16 - 0.5;
    p.round[i] = rnd.next() < 0.5 ? 1 : 0;
  }
  for (let k = 0; k < (opts.huge ?? 3); k++) {
    const i = Math.floor(rnd.next() * n);
    p.half[i] = 200;
    p.depth[i] = 0.4; // behind most points, so the others still win where they overlap it
  }
  return p;
}

/** Query points: uniform, exactly on shape edges and corners, just past them, outside the viewport. */
function queries(p: ScreenPoints, seed: number, count: number): [number, number][] {
  const rnd = createRandom(seed);
  const out: [number, number][] = [];
  for (let k = 0; k < count; k++) out.push([rnd.next() * W, rnd.next() * H]);
  for (let k = 0; k < count; k++) {
    const i = Math.floor(rnd.next() * p.n);
    const x = p.x[i];
    const y = p.y[i];
    const h = Math.abs(p.half[i]);
    const d = h / Math.SQRT2;
    out.push(
      [x + h, y],
      [x - h, y],
      [x, y + h],
      [x, y - h],
      [x + h, y + h],
      [x - h, y - h],
      [x + d, y - d],
      [x + h + 1e-4, y],
      [x, y],
    );
  }
  out.push([0, 0], [W, H], [0, H], [W, 0], [-5, 30], [W + 3, H / 2], [100, -1], [NaN, 5]);
  for (let k = 0; k < 50; k++) out.push([-50 + rnd.next() * (W + 100), -50 + rnd.next() * (H + 100)]);
  return out;
}

function expectPicksMatch(p: ScreenPoints, qs: [number, number][], w = W, h = H): number {
  const index = buildScreenIndex(p, w, h);
  let hits = 0;
  const bad: string[] = [];
  for (const [qx, qy] of qs) {
    const want = pickLinear(p, qx, qy);
    const got = index.pick(qx, qy);
    if (got !== want) bad.push(`(${qx}, ${qy}): got ${got}, want ${want}`);
    if (want !== null) hits++;
  }
  expect(bad.slice(0, 5)).toEqual([]);
  return hits;
}

function bruteRect(p: ScreenPoints, x0: number, y0: number, x1: number, y1: number): number[] {
  const [ax, bx] = x0 < x1 ? [x0, x1] : [x1, x0];
  const [ay, by] = y0 < y1 ? [y0, y1] : [y1, y0];
  const out: number[] = [];
  for (let i = 0; i < p.n; i++) {
    if (p.half[i] > 0 && p.x[i] >= ax && p.x[i] <= bx && p.y[i] >= ay && p.y[i] <= by) out.push(i);
  }
  return out;
}

function brutePolygon(p: ScreenPoints, poly: number[]): number[] {
  const m = poly.length / 2;
  const out: number[] = [];
  for (let i = 0; i < p.n; i++) {
    if (!(p.half[i] > 0)) continue;
    const px = p.x[i];
    const py = p.y[i];
    let inside = false;
    for (let a = 0, b = m - 1; a < m; b = a++) {
      const [xa, ya, xb, yb] = [poly[2 * a], poly[2 * a + 1], poly[2 * b], poly[2 * b + 1]];
      if (ya > py !== yb > py && px < ((xb - xa) * (py - ya)) / (yb - ya) + xa) inside = !inside;
    }
    if (inside) out.push(i);
  }
  return out;
}

describe('pickLinear', () => {
  it('takes the nearest, and the later of equal depths', () => {
    const p = fromList([
      { x: 10, y: 10, half: 5, depth: 0.5 },
      { x: 10, y: 10, half: 5, depth: 0.2 },
      { x: 10, y: 10, half: 5, depth: 0.2 },
      { x: 10, y: 10, half: 5, depth: 0.3 },
    ]);
    expect(pickLinear(p, 10, 10)).toBe(2);
  });

  it('uses the drawn shape: square corners hit, disc corners miss, edges inclusive', () => {
    const p = fromList([{ x: 50, y: 50, half: 4 }, { x: 150, y: 50, half: 4, round: true }]);
    expect(pickLinear(p, 54, 54)).toBe(0);
    expect(pickLinear(p, 54.001, 50)).toBeNull();
    expect(pickLinear(p, 154, 54)).toBeNull();
    expect(pickLinear(p, 154, 50)).toBe(1);
    expect(pickLinear(p, 150, 46)).toBe(1);
  });

  it('never picks points with half <= 0', () => {
    const p = fromList([{ x: 5, y: 5, half: 0 }, { x: 5, y: 5, half: -2 }]);
    expect(pickLinear(p, 5, 5)).toBeNull();
  });
});

describe('buildScreenIndex: pick', () => {
  it('handles empty input and all-undrawn input', () => {
    const empty = buildScreenIndex(emptyPoints(0), W, H);
    expect(empty.pick(10, 10)).toBeNull();
    expect(empty.pick(-10, 10)).toBeNull();
    expect(empty.inRect(0, 0, W, H)).toEqual(new Int32Array(0));
    expect(empty.inPolygon([0, 0, W, 0, 0, H])).toEqual(new Int32Array(0));
    const undrawn = fromList([{ x: 5, y: 5, half: 0 }, { x: 6, y: 6, half: -1 }]);
    const index = buildScreenIndex(undrawn, W, H);
    expect(index.pick(5, 5)).toBeNull();
    expect(index.inRect(0, 0, 10, 10)).toEqual(new Int32Array(0));
  });

  it('breaks ties towards the larger index, through the grid', () => {
    // Enough points for a real grid; the three stacked ones share a cell.
    const list: P[] = Array.from({ length: 2000 }, (_, i) => ({ x: (i * 37) % W, y: (i * 53) % H, half: 2, depth: 0.9 }));
    list.push({ x: 400.5, y: 300.5, half: 3, depth: 0.1 }, { x: 400.5, y: 300.5, half: 3, depth: 0.1 }, { x: 401, y: 300, half: 3, depth: 0.1, round: true });
    const p = fromList(list);
    const index = buildScreenIndex(p, W, H);
    expect(index.stats.gridCount).toBeGreaterThan(1000);
    expect(index.pick(400.5, 300.5)).toBe(2002);
    expect(index.pick(398, 298)).toBe(2001); // outside the disc, inside both squares
  });

  it('picks a point whose centre is off-screen but whose shape reaches in', () => {
    const list: P[] = Array.from({ length: 500 }, (_, i) => ({ x: 100 + (i % 50) * 10, y: 100 + Math.floor(i / 50) * 10, half: 2 }));
    list.push({ x: -3, y: 100, half: 5 }, { x: 200, y: H + 4, half: 6, round: true });
    const p = fromList(list);
    const index = buildScreenIndex(p, W, H);
    expect(index.pick(1, 100)).toBe(500);
    expect(index.pick(0, 98)).toBe(500);
    expect(index.pick(200, H - 1)).toBe(501);
    expect(index.pick(200, H)).toBe(501);
  });

  for (const [seed, n, maxHalf, count] of [
    [1, 3000, 8, 1500],
    [2, 20000, 3, 500],
    [3, 500, 40, 1500],
    [4, 100, 8, 1500],
    [5, 60000, 1.5, 150],
  ] as const) {
    it(`matches pickLinear on a random cloud (seed ${seed}, n ${n}, half up to ${maxHalf})`, () => {
      const p = makeCloud(seed, n, { maxHalf });
      const qs = queries(p, seed + 100, count);
      const hits = expectPicksMatch(p, qs);
      // The cloud must exercise what it is meant to.
      expect(hits).toBeGreaterThan(qs.length / 4);
      const index = buildScreenIndex(p, W, H);
      expect(index.stats.bigCount).toBeGreaterThan(0);
      expect(index.stats.droppedCount).toBeGreaterThan(0);
      if (n >= 3000) expect(index.stats.gridCount).toBeGreaterThan(n / 2);
    });
  }

  it('the random clouds contain depth ties that a wrong tie rule would get wrong', () => {
    const p = makeCloud(1, 3000);
    const qs = queries(p, 101, 1500);
    // Reference with ties going to the smaller index: it must disagree somewhere.
    let differs = 0;
    for (const [qx, qy] of qs) {
      let best = -1;
      let bestDepth = Infinity;
      for (let i = 0; i < p.n; i++) {
        const h = p.half[i];
        if (!(h > 0)) continue;
        const dx = qx - p.x[i];
        const dy = qy - p.y[i];
        const inside = p.round[i] ? dx * dx + dy * dy <= h * h : Math.abs(dx) <= h && Math.abs(dy) <= h;
        if (inside && p.depth[i] < bestDepth) {
          best = i;
          bestDepth = p.depth[i];
        }
      }
      if ((best < 0 ? null : best) !== pickLinear(p, qx, qy)) differs++;
    }
    expect(differs).toBeGreaterThan(10);
  });

  it('matches pickLinear when every point is huge, and on odd viewports', () => {
    const huge = makeCloud(7, 2000, { maxHalf: 150, huge: 20 });
    expectPicksMatch(huge, queries(huge, 8, 500));
    const p = makeCloud(9, 5000);
    for (const [w, h] of [
      [0, 0],
      [1, 1],
      [W, 3],
      [NaN, H],
    ]) {
      const rnd = createRandom(w + h);
      const qs: [number, number][] = Array.from({ length: 300 }, () => [rnd.next() * (w || 1), rnd.next() * (h || 1)]);
      qs.push([0, 0]);
      expectPicksMatch(p, qs, w, h);
    }
  });

  it('keeps queries fast by bounding the grid', () => {
    const p = makeCloud(11, 200000, { maxHalf: 2, huge: 5 });
    const index = buildScreenIndex(p, W, H);
    expect(index.stats.cols * index.stats.rows).toBeLessThanOrEqual(1 << 21);
    expect(index.stats.bigCount).toBeLessThan(2000);
    const qs = queries(p, 12, 60);
    expectPicksMatch(p, qs);
  });
});

describe('buildScreenIndex: selection', () => {
  const p = makeCloud(21, 20000, { maxHalf: 5 });
  const index = buildScreenIndex(p, W, H);

  it('inRect matches brute force, any corner order, inclusive, inside and beyond the viewport', () => {
    const rnd = createRandom(22);
    const rects: [number, number, number, number][] = [
      [0, 0, W, H],
      [W, H, 0, 0],
      [-50, -50, W + 50, H + 50],
      [-1e9, -1e9, 1e9, 1e9],
      [100, 100, 100, 100],
    ];
    for (let k = 0; k < 200; k++) rects.push([rnd.next() * W, rnd.next() * H, rnd.next() * W, rnd.next() * H]);
    for (let k = 0; k < 50; k++) {
      // Edges exactly through point centres.
      const a = Math.floor(rnd.next() * p.n);
      const b = Math.floor(rnd.next() * p.n);
      rects.push([p.x[a], p.y[a], p.x[b], p.y[b]]);
    }
    for (let k = 0; k < 20; k++) rects.push([-100 + rnd.next() * 200, -100 + rnd.next() * 200, rnd.next() * (W + 100), rnd.next() * (H + 100)]);
    let nonEmpty = 0;
    for (const r of rects) {
      const got = index.inRect(...r);
      expect(got).toBeInstanceOf(Int32Array);
      const want = bruteRect(p, ...r);
      expect(Array.from(got), `rect ${r}`).toEqual(want);
      if (want.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(150);
  });

  it('inRect includes points exactly on the edge', () => {
    const i = p.half.findIndex((h, k) => h > 0 && p.x[k] > 10 && p.x[k] < W - 10 && p.y[k] > 10 && p.y[k] < H - 10);
    const got = Array.from(index.inRect(p.x[i], p.y[i], p.x[i] + 5, p.y[i] + 5));
    expect(got).toContain(i);
  });

  it('inPolygon matches brute force: triangle, concave, self-intersecting, beyond the viewport', () => {
    const star: number[] = [];
    for (let k = 0; k < 5; k++) {
      const a = (k * 4 * Math.PI) / 5 - Math.PI / 2;
      star.push(400 + 250 * Math.cos(a), 300 + 250 * Math.sin(a));
    }
    const polys: number[][] = [
      [100, 100, 500, 120, 300, 450], // triangle
      [100, 100, 700, 100, 700, 500, 550, 500, 550, 200, 250, 200, 250, 500, 100, 500], // concave U
      [100, 100, 600, 500, 600, 100, 100, 500], // bowtie
      star, // pentagram: even-odd leaves the centre out
      [-100, -100, 900, 300, 200, 700], // beyond the viewport
    ];
    const rnd = createRandom(23);
    for (let k = 0; k < 30; k++) {
      const poly: number[] = [];
      const m = 3 + Math.floor(rnd.next() * 10);
      for (let v = 0; v < m; v++) poly.push(rnd.next() * W, rnd.next() * H);
      polys.push(poly);
    }
    for (const poly of polys) {
      const want = brutePolygon(p, poly);
      expect(Array.from(index.inPolygon(poly)), `polygon ${poly}`).toEqual(want);
      expect(Array.from(index.inPolygon(new Float32Array(poly)))).toEqual(brutePolygon(p, Array.from(new Float32Array(poly))));
    }
    expect(brutePolygon(p, star).length).toBeGreaterThan(100);
  });

  it('inPolygon follows the even-odd rule and needs 3 vertices', () => {
    const q = fromList([
      { x: 400, y: 300, half: 2 }, // pentagram centre: outside under even-odd
      { x: 400, y: 80, half: 2 }, // in the top tip
      { x: 200, y: 300, half: 2 }, // bowtie left lobe
      { x: 350, y: 150, half: 2 }, // between the bowtie's lobes
    ]);
    const qi = buildScreenIndex(q, W, H);
    const star: number[] = [];
    for (let k = 0; k < 5; k++) {
      const a = (k * 4 * Math.PI) / 5 - Math.PI / 2;
      star.push(400 + 250 * Math.cos(a), 300 + 250 * Math.sin(a));
    }
    expect(Array.from(qi.inPolygon(star))).toEqual([1]);
    expect(Array.from(qi.inPolygon([100, 100, 600, 500, 600, 100, 100, 500]))).toEqual([0, 2]);
    expect(qi.inPolygon([0, 0, W, H]).length).toBe(0);
    expect(qi.inPolygon([0, 0, W, 0, W]).length).toBe(0);
  });
});
