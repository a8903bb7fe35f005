/**
 * Which text labels to draw: the marked points' first (hovered, then selected or found), then the
 * rest in a stable order (nearest the camera in 3D, row order in 2D), each only where its box
 * clears every label already placed, up to a cap. Placed boxes are kept in a grid of screen
 * buckets, so each candidate tests only its neighbours: hundreds of labels out of a million
 * candidates place in milliseconds (a list of placed boxes scanned per candidate is quadratic).
 */
import type { ScreenPoints } from './screen-index';

export interface LabelCandidate {
  index: number;
  /** Anchor (the point's centre) in CSS px. */
  x: number;
  y: number;
  /** Half the point's drawn size: the label starts just right of it. */
  half: number;
  /** 0 hovered, 1 selected or found, 2 placed before (kept while nothing moved). */
  rank: number;
}

export interface PlacedLabel {
  index: number;
  /** The point's anchor, to place the label again while the view has not moved. */
  x: number;
  y: number;
  half: number;
  left: number;
  top: number;
  /** The box's width in CSS px (the text's measured width plus padding). */
  width: number;
  /** 0 hovered, 1 marked, 2 the rest. */
  rank: number;
}

export const LABEL_HEIGHT = 16;
/** Space between a point's edge and its label. */
const GAP = 2;
const BUCKET_W = 64;
const BUCKET_H = LABEL_HEIGHT;

/** Placed boxes bucketed by screen area. */
export class LabelGrid {
  private readonly cols: number;
  private readonly rows: number;
  private readonly buckets: number[][];
  private readonly boxes: number[] = [];

  constructor(width: number, height: number) {
    this.cols = Math.max(1, Math.ceil(width / BUCKET_W));
    this.rows = Math.max(1, Math.ceil(height / BUCKET_H));
    this.buckets = Array.from({ length: this.cols * this.rows }, () => []);
  }

  /** True when the box overlaps no box added so far. */
  fits(l: number, t: number, r: number, b: number): boolean {
    const boxes = this.boxes;
    const c0 = this.col(l);
    const c1 = this.col(r);
    const r1 = this.row(b);
    for (let row = this.row(t); row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        const bucket = this.buckets[row * this.cols + col];
        for (let j = 0; j < bucket.length; j++) {
          const k = bucket[j];
          if (l < boxes[k + 2] && r > boxes[k] && t < boxes[k + 3] && b > boxes[k + 1]) return false;
        }
      }
    }
    return true;
  }

  add(l: number, t: number, r: number, b: number): void {
    const k = this.boxes.length;
    this.boxes.push(l, t, r, b);
    const c1 = this.col(r);
    const r1 = this.row(b);
    for (let row = this.row(t); row <= r1; row++) for (let col = this.col(l); col <= c1; col++) this.buckets[row * this.cols + col].push(k);
  }

  private col(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor(x / BUCKET_W)));
  }

  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor(y / BUCKET_H)));
  }
}

/**
 * Indices of the points drawn inside the canvas (at least `minHalf` px half-size), in label
 * priority: by depth, nearest first, when `byDepth` (3D), else by row. Depth is bucketed (a
 * counting sort, O(n)); within a bucket rows keep their order, so the order is stable.
 */
export function labelOrder(points: ScreenPoints, width: number, height: number, byDepth: boolean, minHalf = 0): Int32Array {
  const { n, x, y, half, depth } = points;
  const shown = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (half[i] > minHalf && x[i] >= 0 && y[i] >= 0 && x[i] <= width && y[i] <= height) shown[m++] = i;
  }
  const order = shown.subarray(0, m);
  if (!byDepth || m < 2) return order;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < m; k++) {
    const d = depth[order[k]];
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  const BUCKETS = 4096;
  const scale = hi > lo ? (BUCKETS - 1) / (hi - lo) : 0;
  const counts = new Int32Array(BUCKETS + 1);
  for (let k = 0; k < m; k++) counts[1 + Math.floor((depth[order[k]] - lo) * scale)]++;
  for (let b = 0; b < BUCKETS; b++) counts[b + 1] += counts[b];
  const sorted = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const i = order[k];
    sorted[counts[Math.floor((depth[i] - lo) * scale)]++] = i;
  }
  return sorted;
}

export interface PlaceOptions {
  cap: number;
  width: number;
  height: number;
  /** The label box's width for point i at a rank (the hovered label is bold). */
  boxWidth: (index: number, rank: number) => number;
  /** Points without text get no label. */
  hasText: (index: number) => boolean;
  /** The unmarked labels' box height in CSS px (default LABEL_HEIGHT, the marked labels' height). */
  lineHeight?: number;
  /** Areas covered by something else (panels over the canvas): no label goes there. */
  blocked?: { left: number; top: number; right: number; bottom: number }[];
  /**
   * Stop trying the ordered points after this many ms: the labels placed by then are the most
   * important ones, and a million candidates never hold the page. Default: no limit.
   */
  budgetMs?: number;
  /** The row of `points`' entry k, when `points` holds a subset of the rows (default: k itself). */
  rowOf?: (k: number) => number;
}

/**
 * Places the marked candidates (the hovered one always, even off the edge or overlapping), then
 * `order`'s points from `points`, skipping any already marked.
 */
export function placeLabels(marked: LabelCandidate[], order: ArrayLike<number> | null, points: ScreenPoints | null, o: PlaceOptions): PlacedLabel[] {
  const lineHeight = o.lineHeight ?? LABEL_HEIGHT;
  const grid = new LabelGrid(o.width, o.height);
  for (const b of o.blocked ?? []) grid.add(b.left, b.top, b.right, b.bottom);
  const placed: PlacedLabel[] = [];
  // Only the few marked points can come up twice.
  const taken = new Set<number>();
  const tryPlace = (index: number, x: number, y: number, half: number, rank: number): void => {
    if (!o.hasText(index)) return;
    const w = o.boxWidth(index, rank);
    const left = x + half + GAP;
    const h = rank === 2 ? lineHeight : LABEL_HEIGHT;
    const top = y - h / 2;
    const right = left + w;
    const bottom = top + h;
    if (rank > 0) {
      if (left < 0 || top < 0 || right > o.width || bottom > o.height) return;
      if (!grid.fits(left, top, right, bottom)) return;
    }
    grid.add(left, top, right, bottom);
    taken.add(index);
    placed.push({ index, x, y, half, left, top, width: w, rank });
  };
  const sorted = [...marked].sort((a, b) => a.rank - b.rank);
  for (const c of sorted) {
    if (placed.length >= o.cap) return placed;
    if (!taken.has(c.index)) tryPlace(c.index, c.x, c.y, c.half, c.rank);
  }
  if (!order || !points) return placed;
  const anyMarked = taken.size > 0;
  const { x, y, half } = points;
  const h = lineHeight;
  const deadline = o.budgetMs === undefined ? Infinity : performance.now() + o.budgetMs;
  for (let k = 0; k < order.length && placed.length < o.cap; k++) {
    if ((k & 1023) === 1023 && performance.now() > deadline) break;
    const i = order[k];
    const row = o.rowOf ? o.rowOf(i) : i;
    if (anyMarked && taken.has(row)) continue;
    // Where the box would start is taken already: no need to measure the text.
    const left = x[i] + half[i] + GAP;
    const top = y[i] - h / 2;
    if (!grid.fits(left, top, left + 1, top + h)) continue;
    tryPlace(row, x[i], y[i], half[i], 2);
  }
  return placed;
}
