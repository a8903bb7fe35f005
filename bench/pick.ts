/**
 * Hover-pick bench section ('pick', src/render/screen-index): benchPick() returns bench rows
 * (bench/common's Row). For 100 000 and 1 000 000 synthetic clustered points in a 1280 x 720
 * viewport (half 1..6 px, random depth, mixed discs and squares), per n:
 *
 *   (a) grid build, with KDBush's build (add + finish) as the baseline;
 *   (b) mean pick over 1000 uniform cursor positions: grid vs pickLinear (the baseline), with
 *       KDBush (range query of the cursor box widened by the largest half, then the exact test)
 *       in notes / extra;
 *   (c) build + one pick (rebuilding after every camera move) vs one linear pick, KDBush's
 *       build + pick in notes / extra.
 *
 * Every pick is checked against pickLinear; mismatches go to extra. Run alone:
 * `npx tsx bench/pick.ts [--quick]`.
 */
import { pathToFileURL } from 'node:url';
import KDBush from 'kdbush';
import { buildScreenIndex, pickLinear, type ScreenPoints } from '../src/render/screen-index';
import { createRandom } from '../src/reduce/random';
import { measure, type Row } from './common';

export const WIDTH = 1280;
export const HEIGHT = 720;
const QUERIES = 1000;
const SEED = 7;

export function syntheticPoints(n: number, seed: number): ScreenPoints {
  const rnd = createRandom(seed);
  const clusters = Array.from({ length: 40 }, () => ({
    x: rnd.next() * WIDTH,
    y: rnd.next() * HEIGHT,
    s: 10 + rnd.next() * 90,
  }));
  const p: ScreenPoints = {
    n,
    x: new Float32Array(n),
    y: new Float32Array(n),
    depth: new Float32Array(n),
    half: new Float32Array(n),
    round: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const c = clusters[Math.floor(rnd.next() * clusters.length)];
    p.x[i] = c.x + rnd.gaussian() * c.s;
    p.y[i] = c.y + rnd.gaussian() * c.s;
    p.depth[i] = rnd.next() * 2 - 1;
    p.half[i] = 1 + rnd.next() * 5;
    p.round[i] = rnd.next() < 0.5 ? 1 : 0;
  }
  return p;
}

interface KdIndex {
  tree: KDBush;
  ids: Int32Array;
  maxHalf: number;
}

function buildKd(p: ScreenPoints): KdIndex {
  let count = 0;
  let maxHalf = 0;
  for (let i = 0; i < p.n; i++) {
    if (p.half[i] > 0) {
      count++;
      if (p.half[i] > maxHalf) maxHalf = p.half[i];
    }
  }
  const tree = new KDBush(count);
  const ids = new Int32Array(count);
  for (let i = 0; i < p.n; i++) if (p.half[i] > 0) ids[tree.add(p.x[i], p.y[i])] = i;
  tree.finish();
  return { tree, ids, maxHalf };
}

function pickKd(kd: KdIndex, p: ScreenPoints, px: number, py: number): number | null {
  const r = kd.maxHalf * (1 + 1e-9) + 1e-9;
  let best = -1;
  let bestDepth = Infinity;
  for (const k of kd.tree.range(px - r, py - r, px + r, py + r)) {
    const i = kd.ids[k];
    const h = p.half[i];
    const dx = px - p.x[i];
    const dy = py - p.y[i];
    const inside = p.round[i] !== 0 ? dx * dx + dy * dy <= h * h : Math.abs(dx) <= h && Math.abs(dy) <= h;
    const d = p.depth[i];
    if (inside && (d < bestDepth || (d === bestDepth && i > best))) {
      best = i;
      bestDepth = d;
    }
  }
  return best < 0 ? null : best;
}

function benchN(n: number, quick: boolean): Row[] {
  const p = syntheticPoints(n, SEED + n);
  const rnd = createRandom(SEED);
  const qx = new Float64Array(QUERIES);
  const qy = new Float64Array(QUERIES);
  for (let k = 0; k < QUERIES; k++) {
    qx[k] = rnd.next() * WIDTH;
    qy[k] = rnd.next() * HEIGHT;
  }
  const buildRuns = quick ? 3 : 7;
  const queryRuns = quick ? 1 : 3;
  const linearRuns = n >= 1_000_000 ? 1 : queryRuns;

  const grid = measure(buildRuns, () => buildScreenIndex(p, WIDTH, HEIGHT));
  const kdBuild = measure(buildRuns, () => buildKd(p));
  const index = grid.result;
  const kd = kdBuild.result;

  const runQueries = (pick: (x: number, y: number) => number | null) => () => {
    const out = new Int32Array(QUERIES);
    for (let k = 0; k < QUERIES; k++) out[k] = pick(qx[k], qy[k]) ?? -1;
    return out;
  };
  const gridQ = measure(queryRuns, runQueries(index.pick));
  const kdQ = measure(queryRuns, runQueries((x, y) => pickKd(kd, p, x, y)));
  const linQ = measure(linearRuns, runQueries((x, y) => pickLinear(p, x, y)));

  let gridMismatches = 0;
  let kdMismatches = 0;
  let hits = 0;
  for (let k = 0; k < QUERIES; k++) {
    if (gridQ.result[k] !== linQ.result[k]) gridMismatches++;
    if (kdQ.result[k] !== linQ.result[k]) kdMismatches++;
    if (linQ.result[k] >= 0) hits++;
  }

  const gridMs = gridQ.medianMs / QUERIES;
  const kdMs = kdQ.medianMs / QUERIES;
  const linMs = linQ.medianMs / QUERIES;
  const label = `n=${n.toLocaleString('en-US')} ${WIDTH}x${HEIGHT}`;
  const s = index.stats;
  const gridInfo = `${s.cols}x${s.rows} cells of ${s.cellSize.toFixed(2)} px, ${s.bigCount} large, ${s.droppedCount} off-screen`;
  const check = `mismatches vs linear: grid ${gridMismatches}, kdbush ${kdMismatches}`;
  const us = (ms: number) => `${(ms * 1000).toFixed(2)} µs`;

  return [
    {
      section: 'pick',
      case: `${label}: build grid vs KDBush`,
      oursMs: grid.medianMs,
      baselineMs: kdBuild.medianMs,
      speedup: kdBuild.medianMs / grid.medianMs,
      runs: { ours: buildRuns, baseline: buildRuns },
      notes: `${gridInfo}; build = ${(grid.medianMs / linMs).toFixed(1)} linear picks`,
      extra: { ...s, gridBuildTimesMs: grid.timesMs, kdBuildTimesMs: kdBuild.timesMs },
    },
    {
      section: 'pick',
      case: `${label}: pick, mean of ${QUERIES} cursors, grid vs linear`,
      oursMs: gridMs,
      baselineMs: linMs,
      speedup: linMs / gridMs,
      runs: { ours: queryRuns, baseline: linearRuns },
      notes: `grid ${us(gridMs)}, KDBush ${us(kdMs)} (${(linMs / kdMs).toFixed(0)}x linear); ${hits} hits; ${check}`,
      extra: { kdbushQueryMs: kdMs, hits, gridMismatches, kdMismatches },
    },
    {
      section: 'pick',
      case: `${label}: build + 1 pick vs 1 linear pick`,
      oursMs: grid.medianMs + gridMs,
      baselineMs: linMs,
      speedup: linMs / (grid.medianMs + gridMs),
      runs: { ours: buildRuns, baseline: linearRuns },
      notes: `KDBush build + pick ${(kdBuild.medianMs + kdMs).toFixed(2)} ms`,
      extra: { kdbushBuildPlusQueryMs: kdBuild.medianMs + kdMs },
    },
  ];
}

export async function benchPick(quick: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of [100_000, 1_000_000]) rows.push(...benchN(n, quick));
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchPick(process.argv.includes('--quick'));
  console.table(
    rows.map((r) => ({
      case: r.case,
      oursMs: +r.oursMs.toPrecision(4),
      baselineMs: +r.baselineMs.toPrecision(4),
      speedup: +r.speedup.toPrecision(3),
      notes: r.notes,
    })),
  );
}
