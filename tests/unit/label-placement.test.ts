import { describe, expect, it } from 'vitest';
import { LABEL_HEIGHT, labelOrder, placeLabels, type LabelCandidate, type PlacedLabel } from '../../src/render/label-placement';
import type { ScreenPoints } from '../../src/render/screen-index';
import { createRandom } from '../../src/reduce/random';

const c = (index: number, x: number, y: number, rank: number): LabelCandidate => ({ index, x, y, rank, half: 5 });
const opts = (cap: number, text = (i: number) => `p${i}`) => ({
  cap,
  width: 800,
  height: 600,
  boxWidth: (i: number) => text(i).length * 7 + 8,
  hasText: (i: number) => text(i) !== '',
});

function screenPoints(xs: number[], ys: number[], depth?: number[]): ScreenPoints {
  const n = xs.length;
  return {
    n,
    x: Float32Array.from(xs),
    y: Float32Array.from(ys),
    depth: Float32Array.from(depth ?? xs.map(() => 0)),
    half: new Float32Array(n).fill(2),
    round: new Uint8Array(n).fill(1),
  };
}

const overlap = (a: PlacedLabel, b: PlacedLabel) =>
  a.left < b.left + b.width && a.left + a.width > b.left && a.top < b.top + LABEL_HEIGHT && a.top + LABEL_HEIGHT > b.top;

describe('label placement', () => {
  it('hovered first, then marked, then the ordered rest; overlapping labels are dropped', () => {
    const points = screenPoints([100, 100], [100, 100 + LABEL_HEIGHT + 1]);
    const placed = placeLabels([c(2, 100, 100, 1), c(4, 100, 100, 0)], [0, 1], points, opts(10));
    expect(placed.map((p) => p.index)).toEqual([4, 1]);
    expect(placed.map((p) => p.rank)).toEqual([0, 2]);
  });

  it('the order decides among the rest, and the cap holds', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 10 + (i % 10) * 70);
    const ys = Array.from({ length: 100 }, (_, i) => 10 + Math.floor(i / 10) * 30);
    const order = Int32Array.from({ length: 100 }, (_, k) => 99 - k);
    const placed = placeLabels([], order, screenPoints(xs, ys), opts(7));
    expect(placed.map((p) => p.index)).toEqual([99, 98, 97, 96, 95, 94, 93]);
  });

  it('labels past the edge and points without text get none; a marked point is placed once', () => {
    const text = (i: number) => (i === 1 ? '' : `p${i}`);
    expect(placeLabels([], [0, 1], screenPoints([795, 100], [100, 100]), opts(10, text))).toEqual([]);
    const once = placeLabels([c(0, 100, 100, 1)], [0], screenPoints([100], [100]), opts(10));
    expect(once.map((p) => p.index)).toEqual([0]);
  });

  it('places the same labels as checking every placed box, and none overlap', () => {
    const rnd = createRandom(3);
    const n = 3000;
    const xs = Array.from({ length: n }, () => rnd.next() * 800);
    const ys = Array.from({ length: n }, () => rnd.next() * 600);
    const text = (i: number) => 'w'.repeat(1 + (i % 9));
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const placed = placeLabels([], order, screenPoints(xs, ys), { ...opts(500, text) });
    // The reference: greedy over every placed box.
    const ref: PlacedLabel[] = [];
    for (let i = 0; i < n && ref.length < 500; i++) {
      const l = { index: i, x: xs[i], y: ys[i], half: 2, left: xs[i] + 2 + 2, top: ys[i] - LABEL_HEIGHT / 2, width: text(i).length * 7 + 8, rank: 2 };
      if (l.left < 0 || l.top < 0 || l.left + l.width > 800 || l.top + LABEL_HEIGHT > 600) continue;
      if (ref.some((r) => overlap(r, l))) continue;
      ref.push(l);
    }
    expect(placed.map((p) => p.index)).toEqual(ref.map((r) => r.index));
    expect(placed.length).toBeGreaterThan(100);
    for (let a = 0; a < placed.length; a++) for (let b = a + 1; b < placed.length; b++) expect(overlap(placed[a], placed[b])).toBe(false);
  });
});

describe('label order', () => {
  it('nearest first in 3D, rows in order within a depth; row order in 2D; off-canvas and undrawn points left out', () => {
    const points = screenPoints([10, 20, 30, 40, 900], [10, 10, 10, 10, 10], [5, 1, 5, 3, 0]);
    points.half[3] = 0;
    expect(Array.from(labelOrder(points, 800, 600, true))).toEqual([1, 0, 2]);
    expect(Array.from(labelOrder(points, 800, 600, false))).toEqual([0, 1, 2]);
  });

  it('a minimum size keeps small pictures unlabelled', () => {
    const points = screenPoints([10, 20], [10, 10]);
    points.half[1] = 8;
    expect(Array.from(labelOrder(points, 800, 600, true, 7))).toEqual([1]);
  });
});
