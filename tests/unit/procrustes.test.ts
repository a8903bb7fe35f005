import { describe, expect, it } from 'vitest';
import { ALIGN_ANCHOR, alignTo, alignedChain, warmStart } from '../../src/reduce/align/align';
import { normalizeLayout } from '../../src/reduce/layout';
import { procrustes } from '../../src/reduce/align/procrustes';
import { createRandom } from '../../src/reduce/random';
import { NOT_PLACED } from '../../src/reduce/sample';
import { Tsne } from '../../src/reduce/tsne/tsne';
import { Umap } from '../../src/reduce/umap/umap';
import { readTsvTensor } from './reduce-fixtures';
import { exactKnn } from './umap-helpers';

/** n*3 random layout (z = 0 in 2D). */
function randomLayout(n: number, dim: 2 | 3, seed: number): Float32Array {
  const rng = createRandom(seed);
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) for (let a = 0; a < dim; a++) out[i * 3 + a] = rng.gaussian();
  return out;
}

/** Rows x -> s x R + t, R a dim x dim row-major matrix. */
function transform(x: Float32Array, n: number, dim: 2 | 3, R: number[], s: number, t: number[]): Float32Array {
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < dim; b++) {
      let v = 0;
      for (let a = 0; a < dim; a++) v += x[i * 3 + a] * R[a * dim + b];
      out[i * 3 + b] = s * v + t[b];
    }
  }
  return out;
}

function sqError(a: Float32Array, b: Float32Array, n: number): number {
  let e = 0;
  for (let i = 0; i < n * 3; i++) e += (a[i] - b[i]) ** 2;
  return e;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

// A rotation by 0.7 rad composed with the reflection y -> -y, and in 3D a rotation about an
// oblique axis composed with z -> -z.
const R2 = (() => {
  const c = Math.cos(0.7), s = Math.sin(0.7);
  return [c, s, s, -c]; // [[c, s], [-s, c]] then flip the second column
})();
const R3 = (() => {
  const k = [1, 2, 2].map((v) => v / 3);
  const th = 1.1, c = Math.cos(th), s = Math.sin(th), C = 1 - c;
  const [x, y, z] = k;
  const rot = [
    c + x * x * C, x * y * C - z * s, x * z * C + y * s,
    y * x * C + z * s, c + y * y * C, y * z * C - x * s,
    z * x * C - y * s, z * y * C + x * s, c + z * z * C,
  ];
  return rot.map((v, e) => (e % 3 === 2 ? -v : v));
})();

describe('procrustes', () => {
  for (const dim of [2, 3] as const) {
    it(`${dim}D: recovers a known rotation + reflection + scale + translation`, () => {
      const n = 200;
      const reference = randomLayout(n, dim, 1);
      const R = dim === 2 ? R2 : R3;
      // moving = reference mapped by (R, 2.5, t); procrustes must undo it.
      const moving = transform(reference, n, dim, R, 2.5, [3, -7, 0.5]);
      const back = procrustes(reference, moving, n, dim);
      expect(maxAbsDiff(back, reference)).toBeLessThan(1e-5);
      if (dim === 2) for (let i = 0; i < n; i++) expect(back[i * 3 + 2]).toBe(0);
    });

    it(`${dim}D: is the identity on identical layouts (also degenerate ones)`, () => {
      const n = 50;
      const a = randomLayout(n, dim, 2);
      expect(maxAbsDiff(procrustes(a, a, n, dim), a)).toBeLessThan(1e-6);
      // All points on a line: singular cross-covariance.
      const line = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) for (let c = 0; c < dim; c++) line[i * 3 + c] = (i - 20) * (c + 1) * 0.01;
      expect(maxAbsDiff(procrustes(line, line, n, dim), line)).toBeLessThan(1e-6);
    });

    it(`${dim}D: reduces the error of a noisy transformed copy`, () => {
      const n = 300;
      const reference = randomLayout(n, dim, 3);
      const R = dim === 2 ? R2 : R3;
      const moving = transform(reference, n, dim, R, 0.4, [1, 2, 3]);
      const rng = createRandom(4);
      for (let i = 0; i < n; i++) for (let a = 0; a < dim; a++) moving[i * 3 + a] += 0.1 * rng.gaussian();
      const aligned = procrustes(reference, moving, n, dim);
      const before = sqError(moving, reference, n);
      const after = sqError(aligned, reference, n);
      expect(after).toBeLessThan(0.2 * before);
      // Noise 0.1 / 0.4 per coordinate in the moving frame: about 0.25^2 per coordinate after.
      expect(after / (n * dim)).toBeLessThan(0.1);
      // Least squares: no other scale of the same fit does better.
      for (const f of [0.95, 1.05]) {
        const scaled = aligned.map((v, e) => (e % 3 < dim ? v * f : v));
        // Scale about the reference centroid (the fit's centre).
        const mu = [0, 0, 0];
        for (let i = 0; i < n; i++) for (let a = 0; a < dim; a++) mu[a] += reference[i * 3 + a] / n;
        for (let i = 0; i < n; i++) for (let a = 0; a < dim; a++) scaled[i * 3 + a] -= mu[a] * (f - 1);
        expect(sqError(scaled, reference, n)).toBeGreaterThan(after);
      }
    });

    it(`${dim}D: leaves unplaced rows out of the fit and unchanged`, () => {
      const n = 100;
      const reference = randomLayout(n, dim, 5);
      const R = dim === 2 ? R2 : R3;
      const moving = transform(reference, n, dim, R, 1.7, [-1, 0.5, 2]);
      // Unplaced in the moving layout, in the reference, and NaN.
      moving.set([NOT_PLACED, NOT_PLACED, NOT_PLACED], 3 * 3);
      moving.set([NaN, NaN, NaN], 7 * 3);
      reference.set([NOT_PLACED, NOT_PLACED, NOT_PLACED], 11 * 3);
      const movingIn11 = moving.slice(33, 36);
      const back = procrustes(reference, moving, n, dim);
      expect(Array.from(back.subarray(9, 12))).toEqual([NOT_PLACED, NOT_PLACED, NOT_PLACED]);
      expect(back.subarray(21, 24).every(Number.isNaN)).toBe(true);
      expect(Array.from(back.subarray(33, 36))).toEqual(Array.from(movingIn11));
      for (let i = 0; i < n; i++) {
        if (i === 3 || i === 7 || i === 11) continue;
        for (let a = 0; a < 3; a++) expect(Math.abs(back[i * 3 + a] - reference[i * 3 + a])).toBeLessThan(1e-5);
      }
    });
  }

  it('does not modify its inputs and rejects bad shapes', () => {
    const n = 10;
    const a = randomLayout(n, 3, 6);
    const b = randomLayout(n, 3, 7);
    const a0 = a.slice(), b0 = b.slice();
    procrustes(a, b, n, 3);
    expect(a).toEqual(a0);
    expect(b).toEqual(b0);
    expect(() => procrustes(a, b, n + 1, 3)).toThrow(RangeError);
    expect(() => procrustes(a, b, n, 4 as 3)).toThrow(RangeError);
  });
});

// Aligned chains (src/reduce/align) and the warm starts they use (UMAP's init + anchor, t-SNE's
// init) are tested here too, beside the registration they build on.

function farthest(l: Float32Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.hypot(l[i * 3], l[i * 3 + 1], l[i * 3 + 2]));
  return m;
}

describe('alignTo / warmStart / alignedChain', () => {
  it('alignTo: the first title as it is; later ones registered and renormalised', () => {
    const n = 120;
    const prev = normalizeLayout(randomLayout(n, 3, 8), n, 3);
    expect(alignTo(null, prev, n, 3)).toBe(prev);
    // A rotated, reflected, shrunk, shifted copy comes back onto prev exactly.
    const moved = transform(prev, n, 3, R3, 0.3, [2, 2, 2]);
    expect(maxAbsDiff(alignTo(prev, moved, n, 3), prev)).toBeLessThan(1e-5);
    // A noisy copy: the least-squares scale shrinks, the renormalisation puts the farthest point back at 1.
    const rng = createRandom(9);
    const noisy = prev.map((v, e) => (e % 3 < 2 ? v + 0.3 * rng.gaussian() : 0));
    const a = alignTo(prev, noisy, n, 2);
    expect(farthest(a, n)).toBeCloseTo(1, 5);
    expect(maxAbsDiff(a, normalizeLayout(procrustes(prev, noisy, n, 2), n, 3))).toBeLessThan(1e-6);
    for (let i = 0; i < n; i++) expect(a[i * 3 + 2]).toBe(0);
  });

  it('alignTo: unplaced rows are left out of the centring and scaling, and unchanged', () => {
    const n = 60;
    const prev = normalizeLayout(randomLayout(n, 2, 10), n, 2);
    const next = transform(prev, n, 2, R2, 4, [1, -1, 0]);
    next.set([NOT_PLACED, NOT_PLACED, NOT_PLACED], 5 * 3);
    const a = alignTo(prev, next, n, 2);
    expect(Array.from(a.subarray(15, 18))).toEqual([NOT_PLACED, NOT_PLACED, NOT_PLACED]);
    for (let i = 0; i < n; i++) if (i !== 5) expect(Math.abs(a[i * 3] - prev[i * 3])).toBeLessThan(0.05);
  });

  it('warmStart: the first dim coordinates; unplaced rows at the centroid of the rest', () => {
    const prev = new Float32Array([1, 2, 0, 3, 4, 0, NOT_PLACED, NOT_PLACED, NOT_PLACED]);
    expect(Array.from(warmStart(prev, 3, 2))).toEqual([1, 2, 3, 4, 2, 3]);
    expect(Array.from(warmStart(prev, 3, 3))).toEqual([1, 2, 0, 3, 4, 0, 2, 3, 0]);
  });

  it('alignedChain: warm-starts each title from the previous aligned layout, from title 0 up', () => {
    const n = 80;
    const layouts = [0, 1, 2].map((t) => normalizeLayout(randomLayout(n, 2, 20 + t), n, 2));
    const seen: (Float32Array | null)[] = [];
    const chain = alignedChain(3, n, 2, (t, warm) => {
      seen.push(warm);
      return layouts[t];
    });
    expect(chain[0]).toBe(layouts[0]);
    expect(seen[0]).toBeNull();
    expect(Array.from(seen[1] as Float32Array)).toEqual(Array.from(warmStart(chain[0], n, 2)));
    expect(Array.from(seen[2] as Float32Array)).toEqual(Array.from(warmStart(chain[1], n, 2)));
    expect(maxAbsDiff(chain[2], alignTo(chain[1], layouts[2], n, 2))).toBe(0);
    // A function of the inputs alone: the same chain again is identical.
    const again = alignedChain(3, n, 2, (t) => layouts[t]);
    for (let t = 0; t < 3; t++) expect(Array.from(again[t])).toEqual(Array.from(chain[t]));
  });
});

describe('warm starts: UMAP init + anchor, t-SNE init', () => {
  const iris = readTsvTensor('public/data/iris/tensors.tsv');
  const graph = exactKnn(iris, 15);
  const n = iris.n;
  const params = { dim: 2, nNeighbors: 15, minDist: 0.1, epochs: 100, seed: 3 } as const;
  // A start from another run, as the previous title's layout would be.
  const start = (() => {
    const u = new Umap(graph, { ...params, seed: 11 });
    u.step(100);
    return u.positions().slice();
  })();

  /** Mean distance of a 2D layout from the start rescaled as UMAP rescales init (columns to [0, 10]). */
  function fromStart(pos: Float32Array): number {
    const lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
    for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) { lo[c] = Math.min(lo[c], start[i * 2 + c]); hi[c] = Math.max(hi[c], start[i * 2 + c]); }
    let s = 0;
    for (let i = 0; i < n; i++) {
      const dx = pos[i * 2] - ((start[i * 2] - lo[0]) * 10) / (hi[0] - lo[0]);
      const dy = pos[i * 2 + 1] - ((start[i * 2 + 1] - lo[1]) * 10) / (hi[1] - lo[1]);
      s += Math.hypot(dx, dy);
    }
    return s / n;
  }

  it('UMAP: anchor 0 changes nothing; a larger anchor keeps the layout nearer its start', () => {
    const plain = new Umap(graph, { ...params, init: start });
    const zero = new Umap(graph, { ...params, init: start, anchor: 0 });
    plain.step(100);
    zero.step(100);
    expect(Array.from(zero.positions())).toEqual(Array.from(plain.positions()));
    const far = fromStart(plain.positions());
    let previous = far;
    for (const anchor of [ALIGN_ANCHOR, 2]) {
      const u = new Umap(graph, { ...params, init: start, anchor });
      u.step(100);
      expect(u.positions().every(Number.isFinite)).toBe(true);
      const d = fromStart(u.positions());
      expect(d).toBeLessThan(previous);
      previous = d;
    }
    expect(previous).toBeLessThan(0.5 * far);
  });

  it('UMAP: anchor needs an init and a finite weight >= 0', () => {
    expect(() => new Umap(graph, { ...params, anchor: 0.5 })).toThrow(/anchor/);
    expect(() => new Umap(graph, { ...params, init: start, anchor: -1 })).toThrow(/anchor/);
    expect(() => new Umap(graph, { ...params, init: start, anchor: NaN })).toThrow(/anchor/);
  });

  it('t-SNE: init is centred, its widest column scaled to sd 1e-4, its shape kept', () => {
    const tsneParams = { dim: 2, perplexity: 10, learningRate: 'auto', iterations: 50, theta: 0.5, seed: 1 } as const;
    const init = start.map((v, e) => (e % 2 === 0 ? 3 * v : v) + 5);
    const tsneGraph = { ...exactKnn(iris, 30), metric: 'euclidean' as const };
    const t = new Tsne(tsneGraph, { ...tsneParams, init });
    const y = t.positions();
    const meanOf = (c: number, a: ArrayLike<number>) => { let s = 0; for (let i = 0; i < n; i++) s += a[i * 2 + c]; return s / n; };
    const sdOf = (c: number, a: ArrayLike<number>) => { const m = meanOf(c, a); let s = 0; for (let i = 0; i < n; i++) s += (a[i * 2 + c] - m) ** 2; return Math.sqrt(s / n); };
    for (const c of [0, 1]) expect(Math.abs(meanOf(c, y))).toBeLessThan(1e-10);
    expect(Math.max(sdOf(0, y), sdOf(1, y))).toBeCloseTo(1e-4, 9);
    // Uniform scaling: the ratio of the columns' spreads is the init's.
    expect(sdOf(0, y) / sdOf(1, y)).toBeCloseTo(sdOf(0, init) / sdOf(1, init), 4);
    expect(init[0]).toBe(3 * start[0] + 5); // not modified
    // Warm-started runs are reproducible and differ from the random start.
    const a = new Tsne(tsneGraph, { ...tsneParams, init });
    const b = new Tsne(tsneGraph, { ...tsneParams, init });
    const r = new Tsne(tsneGraph, tsneParams);
    for (let i = 0; i < 50; i++) { a.step(); b.step(); r.step(); }
    expect(Array.from(a.positions())).toEqual(Array.from(b.positions()));
    expect(Array.from(a.positions())).not.toEqual(Array.from(r.positions()));
    expect(() => new Tsne(tsneGraph, { ...tsneParams, init: new Float32Array(3) })).toThrow(/init/);
  });
});
