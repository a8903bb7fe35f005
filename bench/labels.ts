/**
 * Label placement bench section ('labels', src/render/label-placement): text labels for points
 * without pictures, up to 500, placed greedily without overlap on synthetic clustered screen
 * points (1280 x 720, the pick section's clouds) with word-length texts. Ours: labelOrder (depth
 * bucketed, O(n)) + placeLabels (placed boxes in a grid of screen buckets). Baseline, in the same
 * run: what the view did before, an exact sort by depth and a scan of every placed box per
 * candidate. Both are given the same texts and widths; the counts placed are reported.
 */
import { labelOrder, LABEL_HEIGHT, placeLabels } from '../src/render/label-placement';
import { measure, type Row } from './common';
import { HEIGHT, syntheticPoints, WIDTH } from './pick';
import type { ScreenPoints } from '../src/render/screen-index';

const CAP = 500;
const boxWidth = (i: number) => (3 + (i % 9)) * 7 + 8;

function baseline(p: ScreenPoints): number {
  const near: number[] = [];
  for (let i = 0; i < p.n; i++) if (p.half[i] > 0 && p.x[i] >= 0 && p.y[i] >= 0 && p.x[i] <= WIDTH && p.y[i] <= HEIGHT) near.push(i);
  near.sort((a, b) => p.depth[a] - p.depth[b] || a - b);
  const boxes: [number, number, number, number][] = [];
  for (const i of near) {
    if (boxes.length >= CAP) break;
    const left = p.x[i] + p.half[i] + 2;
    const top = p.y[i] - LABEL_HEIGHT / 2;
    const w = boxWidth(i);
    if (left < 0 || top < 0 || left + w > WIDTH || top + LABEL_HEIGHT > HEIGHT) continue;
    if (boxes.some(([l, t, r, b]) => left < r && left + w > l && top < b && top + LABEL_HEIGHT > t)) continue;
    boxes.push([left, top, left + w, top + LABEL_HEIGHT]);
  }
  return boxes.length;
}

function ours(p: ScreenPoints): number {
  const order = labelOrder(p, WIDTH, HEIGHT, true);
  return placeLabels([], order, p, { cap: CAP, width: WIDTH, height: HEIGHT, boxWidth, hasText: () => true }).length;
}

export function benchLabels(quick: boolean): Row[] {
  const rows: Row[] = [];
  for (const n of quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000]) {
    const p = syntheticPoints(n, 11);
    const runs = n >= 1_000_000 ? 5 : 15;
    const a = measure(runs, () => ours(p));
    const b = measure(runs, () => baseline(p));
    rows.push({
      section: 'labels',
      case: `${n.toLocaleString('en-US')} points: up to ${CAP} labels placed (3D, nearest first)`,
      oursMs: a.medianMs,
      baselineMs: b.medianMs,
      speedup: b.medianMs / a.medianMs,
      runs: { ours: runs, baseline: runs },
      notes: `placed ${a.result} (ours) vs ${b.result} (baseline); target <= 8 ms`,
    });
  }
  return rows;
}
