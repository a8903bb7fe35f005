/**
 * Render bench section (`npm run bench -- --only=render`, or alone: `npx tsx bench/render.ts
 * [--quick] [--dist=<built app dir>]`, which writes bench/results/render.json). In headless
 * Chromium (SwiftShader), 1280x720 canvas at deviceScaleFactor 1, one fresh page per case:
 *
 *   (1) orbit frame time (rotate + render + one-pixel readPixels flush), ours vs a bare
 *       THREE.Points page (bench/render-page) drawing the same points — n = 10k, 100k, 1M;
 *   (2) picking: 'index' and 'gpu' against 'scan', build ms and mean query ms at the screen
 *       positions of 200 random visible points, and how many positions all three agree on;
 *   (3) hover latency at 100k: pointermove → hovered() set and tooltip in the DOM;
 *   (4) layout update at 100k (debug.measureLayoutUpdate), beside the orbit frame time;
 *   (5) memory: 1M x 50 TSV load time, JS heap, GPU buffers and textures, no crash (not --quick).
 *
 * The app is rebuilt first (`npx vite build`) so a stale dist/ is never measured; --dist=<dir>
 * skips that and serves dir instead (to compare builds).
 */
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/chromium';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { startStaticServer } from '../tests/e2e/static-server';
import { runInfo, type Row } from './common';
import { until } from './page-wait';
import { writeSyntheticDataset } from './synthetic-data';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = path.join(ROOT, 'bench/results/data');
const BARE_SRC = path.join(ROOT, 'bench/render-page');
const BARE_DIST = path.join(ROOT, 'bench/results/bare-dist');
const RESULTS = path.join(ROOT, 'bench/results/render.json');
/** One screenshot per page, to check by eye that both draw the same cloud at the same size. */
const SHOTS = path.join(ROOT, 'bench/results/render-shots');
const W = 1280;
const H = 720;
const WARMUP = 3;
/** Orbit frames are measured in this many alternating bare/ours rounds. */
const ROUNDS = 2;
const PICKS = 200;
const HOVERS = 200;
const STRATEGIES = ['index', 'gpu', 'scan'] as const;
const SECTION = 'render';

type Log = (line: string) => void;

export interface RenderBenchOptions {
  /** Serve this built app instead of rebuilding dist/. */
  dist?: string;
  log?: Log;
  skipped?: string[];
}

interface Ctx {
  browser: Browser;
  url: string;
  log: Log;
  skipped: string[];
}

// ---------------------------------------------------------------------------------------------
// Setup

function buildApp(log: Log): string {
  log('render: building the app (npx vite build)…');
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed:\n${(r.stdout + r.stderr).slice(-4000)}`);
  return path.join(ROOT, 'dist');
}

async function buildBarePage(): Promise<void> {
  // configFile: false — the repo's vite.config.ts (React, vitest projects) is for the app.
  await build({
    root: BARE_SRC,
    base: './',
    configFile: false,
    logLevel: 'error',
    build: { outDir: BARE_DIST, emptyOutDir: true, target: 'es2022' },
  });
}

function launch(): Promise<Browser> {
  // The e2e tests' Chromium, plus precise heap figures.
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
  });
}

interface OpenPage {
  page: Page;
  crashed: () => boolean;
  errors: string[];
}

async function newPage(ctx: Ctx, viewport = { width: W, height: H }): Promise<OpenPage> {
  const page = await ctx.browser.newPage({ viewport, deviceScaleFactor: 1 });
  page.setDefaultTimeout(300_000);
  let crashed = false;
  const errors: string[] = [];
  page.on('crash', () => (crashed = true));
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, crashed: () => crashed, errors };
}

// page.evaluate gets strings: tsx compiles functions with `__name` helpers the page lacks.
const evaluate = <T>(page: Page, expr: string): Promise<T> => page.evaluate(expr) as Promise<T>;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 1 ? 3 : x < 10 ? 2 : x < 100 ? 1 : 0)} ms` : '—');
const mib = (b: number | null | undefined) => (b == null ? '—' : `${(b / 2 ** 20).toFixed(0)} MiB`);
const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

function row(kase: string, oursMs: number, baselineMs: number, runs: Row['runs'], notes: string, extra?: Record<string, unknown>): Row {
  return { section: SECTION, case: kase, oursMs, baselineMs, speedup: baselineMs / oursMs, runs, notes, extra };
}

/** Which parts of the automation contract the loaded app has; missing ones are reported, not faked. */
async function appApi(page: Page): Promise<Record<string, boolean>> {
  return evaluate(page, `(() => {
    const p = window.projector, d = p && p.debug;
    return {
      measureOrbit: typeof (d && d.measureOrbit) === 'function',
      pickAt: typeof (d && d.pickAt) === 'function',
      invalidatePicking: typeof (d && d.invalidatePicking) === 'function',
      measureLayoutUpdate: typeof (d && d.measureLayoutUpdate) === 'function',
      memory: typeof (d && d.memory) === 'function',
    };
  })()`);
}

// ---------------------------------------------------------------------------------------------
// Pages

const CANVAS = `(document.querySelector('[data-testid=canvas] canvas') || document.querySelector('canvas'))`;

/** Opens the app on a config and waits for 'ready'; returns the ms from navigation to ready. */
async function openApp(ctx: Ctx, config: string): Promise<{ open: OpenPage; loadMs: number }> {
  const open = await newPage(ctx);
  const t0 = performance.now();
  await open.page.goto(`${ctx.url}?config=${config}`);
  await until(open.page, `window.projector && ['ready', 'error'].includes(window.projector.state().status)`, { timeout: 300_000 });
  const loadMs = performance.now() - t0;
  const state = await evaluate<{ status: string; error: string | null }>(open.page, 'window.projector.state()');
  if (state.status !== 'ready') throw new Error(`app: ${config} did not load: ${state.error}`);
  await fitCanvas(open.page);
  return { open, loadMs };
}

/** Grows the viewport by the toolbar and status line so the app's canvas is W x H, then waits for a still view. */
async function fitCanvas(page: Page): Promise<void> {
  const size = () =>
    evaluate<{ w: number; h: number; pw: number; ph: number }>(
      page,
      `(() => { const c = ${CANVAS}; const r = c.getBoundingClientRect(); return { w: r.width, h: r.height, pw: c.width, ph: c.height }; })()`,
    );
  // The canvas follows its wrapper a frame or more later: size the viewport by the wrapper.
  const wrapper = () =>
    evaluate<{ w: number; h: number }>(
      page,
      `(() => { const c = ${CANVAS}; const r = (c.parentElement || c).getBoundingClientRect(); return { w: r.width, h: r.height }; })()`,
    );
  for (let k = 0; k < 4; k++) {
    const s = await wrapper();
    if (s.w === W && s.h === H) break;
    const vp = page.viewportSize() ?? { width: W, height: H };
    await page.setViewportSize({ width: Math.round(vp.width + W - s.w), height: Math.round(vp.height + H - s.h) });
  }
  await until(
    page,
    `(() => { const c = ${CANVAS}; const r = c.getBoundingClientRect(); return r.width === ${W} && r.height === ${H} && c.width === ${W} && c.height === ${H}; })()`,
    { timeout: 30_000 },
  ).catch(async () => {
      throw new Error(`app canvas is not ${W}x${H}: ${JSON.stringify(await size())}, viewport ${JSON.stringify(page.viewportSize())}`);
    });
  // The camera refits to the new size; wait until points stop moving on screen.
  let last = '';
  for (let k = 0; k < 50; k++) {
    const now = await evaluate<string>(page, `JSON.stringify([0, 1, 2].map((i) => window.projector.screenPosition(i)))`);
    if (now === last) return;
    last = now;
    await page.waitForTimeout(100);
  }
}

async function openBare(ctx: Ctx, n: number): Promise<OpenPage> {
  const open = await newPage(ctx);
  await open.page.goto(`${ctx.url}bare/?data=../synthetic/${n}/tensors.bytes&n=${n}`);
  await open.page.waitForFunction(`window.bare && (window.bare.ready || window.bare.error)`, null, { timeout: 300_000, polling: 50 });
  const error = await evaluate<string | null>(open.page, 'window.bare.error');
  if (error) throw new Error(`bare page: ${error}`);
  return open;
}

/** Per-frame ms of `frames` frames, each turning the camera 360/frames degrees about the vertical axis. */
function orbit(page: Page, api: 'window.bare' | 'window.projector.debug', frames: number): Promise<number[]> {
  return evaluate<number[]>(page, `Promise.resolve(${api}.measureOrbit(${frames}))`);
}

// ---------------------------------------------------------------------------------------------
// Cases

interface Sample {
  i: number;
  x: number;
  y: number;
}

/** Screen positions of `count` random (seeded) points inside the canvas. */
function visiblePoints(page: Page, n: number, count: number): Promise<Sample[]> {
  return evaluate(page, `(() => {
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    const out = [], seen = new Set();
    for (let tries = 0; out.length < ${count} && tries < ${count} * 150; tries++) {
      const i = Math.floor(rnd() * ${n});
      if (seen.has(i)) continue;
      seen.add(i);
      const p = window.projector.screenPosition(i);
      if (!p) continue;
      // Visible: the point is what the GPU draws in the pixel holding its centre (not covered by
      // a nearer point, not under a panel) and, where points are big enough (n <= 100k), in the
      // eight pixels around it too: rasterizers and exact geometry may differ by a fraction of a
      // pixel on an edge. The cursor goes to the centre pixel's centre.
      const x = Math.floor(p.x) + 0.5, y = Math.floor(p.y) + 0.5;
      if (document.elementFromPoint(x, y)?.tagName !== 'CANVAS') continue;
      const reach = ${n} <= 100000 ? 1 : 0;
      let shown = true;
      for (let dy = -reach; dy <= reach && shown; dy++)
        for (let dx = -reach; dx <= reach && shown; dx++) shown = window.projector.debug.pickAt(x + dx, y + dy, 'gpu').index === i;
      if (!shown) continue;
      out.push({ i, x, y });
    }
    return out;
  })()`);
}

interface PickResult {
  buildMs: number;
  queryMs: number[];
  index: (number | null)[];
}

async function picking(page: Page, points: Sample[]): Promise<Record<(typeof STRATEGIES)[number], PickResult>> {
  return evaluate(page, `(async () => {
    const points = ${JSON.stringify(points)};
    const d = window.projector.debug;
    const out = {};
    for (const s of ${JSON.stringify(STRATEGIES)}) {
      d.invalidatePicking();
      let buildMs = 0;
      const queryMs = [], index = [];
      for (const p of points) {
        const r = await d.pickAt(p.x, p.y, s);
        buildMs += r.buildMs;
        queryMs.push(r.queryMs);
        index.push(r.index);
      }
      out[s] = { buildMs, queryMs, index };
    }
    return out;
  })()`);
}

interface HoverSample {
  ms: number | null;
  hovered: number | null;
  expected: number | null;
}

/**
 * In-page: for each point, clear the hover (pointerleave, wait until the tooltip is gone), then
 * time a pointermove until hovered() is set and the tooltip is in the DOM. The checks run on DOM
 * mutations (the tooltip appearing) and on every frame, so no busy loop competes with the app.
 */
function hover(page: Page, points: { x: number; y: number; expected: number | null }[]): Promise<HoverSample[]> {
  return evaluate(page, `(async () => {
    const points = ${JSON.stringify(points)};
    const canvas = ${CANVAS};
    const tooltip = () => document.querySelector('[data-testid=tooltip]');
    const waitFor = (cond, timeoutMs) => new Promise((resolve) => {
      if (cond()) return resolve(true);
      let done = false, raf = 0;
      const finish = (ok) => { if (done) return; done = true; mo.disconnect(); cancelAnimationFrame(raf); clearTimeout(timer); resolve(ok); };
      const mo = new MutationObserver(() => cond() && finish(true));
      mo.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
      const frame = () => { if (cond()) finish(true); else raf = requestAnimationFrame(frame); };
      raf = requestAnimationFrame(frame);
      const timer = setTimeout(() => finish(cond()), timeoutMs);
    });
    const out = [];
    for (const p of points) {
      canvas.dispatchEvent(new PointerEvent('pointerleave', { pointerType: 'mouse', pointerId: 1, isPrimary: true }));
      await waitFor(() => window.projector.hovered() === null && !tooltip(), 2000);
      // Measure from a quiet page: wait until the un-hover frame has rendered (SwiftShader can
      // take 100+ ms a frame) and frames come at the normal pace again.
      for (let quiet = 0, t = performance.now(), end = t + 3000; quiet < 3 && t < end; ) {
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        quiet = now - t < 30 ? quiet + 1 : 0;
        t = now;
      }
      await new Promise((r) => setTimeout(r, 0));
      const t0 = performance.now();
      canvas.dispatchEvent(new PointerEvent('pointermove', {
        clientX: p.x, clientY: p.y, bubbles: true, cancelable: true, pointerType: 'mouse', pointerId: 1, isPrimary: true,
      }));
      const ok = await waitFor(() => window.projector.hovered() !== null && !!tooltip(), 2000);
      out.push({ ms: ok ? performance.now() - t0 : null, hovered: window.projector.hovered(), expected: p.expected });
    }
    return out;
  })()`);
}

async function caseN(ctx: Ctx, n: number, frames: number, rows: Row[]): Promise<void> {
  const { log } = ctx;
  const name = label(n);
  await writeSyntheticDataset(path.join(DATA, String(n)), n, { format: 'bytes' });

  log(`render: ${name} bare THREE.Points and ours: load…`);
  const bare = await openBare(ctx, n);
  await bare.page.screenshot({ path: path.join(SHOTS, `${n}-bare.png`) });
  const { open, loadMs } = await openApp(ctx, `synthetic/${n}/projector_config.json`);
  const { page } = open;
  try {
    await page.locator('canvas').first().screenshot({ path: path.join(SHOTS, `${n}-ours.png`) });
    const api = await appApi(page);
    const missing = Object.entries(api).filter(([, ok]) => !ok).map(([k]) => k);
    if (missing.length) ctx.skipped.push(`render ${name}: window.projector lacks ${missing.join(', ')}`);

    // (1) orbit: both pages open, measured in alternating rounds so drift in machine load
    // (two cores, SwiftShader) falls on both alike.
    log(`render: ${name} orbit…`);
    const bareTimes: number[] = [];
    const ours: number[] = [];
    await orbit(bare.page, 'window.bare', WARMUP);
    if (api.measureOrbit) await orbit(page, 'window.projector.debug', WARMUP);
    for (let r = 0; r < ROUNDS; r++) {
      bareTimes.push(...(await orbit(bare.page, 'window.bare', frames / ROUNDS)));
      if (api.measureOrbit) ours.push(...(await orbit(page, 'window.projector.debug', frames / ROUNDS)));
    }
    const gpu = { browser: ctx.browser.version(), renderer: await evaluate<string>(bare.page, 'window.bare.renderer') };
    await bare.page.close();
    if (api.measureOrbit) {
      const ratio = median(ours) / median(bareTimes);
      const target = n >= 100_000 ? ` (target <= 1.5)` : '';
      rows.push(
        row(`orbit frame, ${name} points (1280x720)`, median(ours), median(bareTimes), { ours: ours.length, baseline: bareTimes.length },
          `ours/bare = ${ratio.toFixed(2)}${target}; load ${(loadMs / 1000).toFixed(1)} s`,
          { n, ratio, oursFramesMs: ours, bareFramesMs: bareTimes, loadMs, warmupFrames: WARMUP, rounds: ROUNDS, ...gpu }),
      );
    } else {
      rows.push(row(`orbit frame, ${name} points (1280x720)`, NaN, median(bareTimes), { ours: 0, baseline: bareTimes.length },
        'window.projector.debug.measureOrbit missing', { n, bareFramesMs: bareTimes, loadMs, ...gpu }));
    }

    // (2) picking
    let points = await visiblePoints(page, n, PICKS);
    let gpuIndex: (number | null)[] | null = null;
    let cpuIndex: (number | null)[] | null = null;
    if (api.pickAt && api.invalidatePicking) {
      log(`render: ${name} ours: picking…`);
      const r = await picking(page, points);
      gpuIndex = r.gpu.index;
      cpuIndex = r.index.index;
      const agree = points.filter((_, k) => r.index.index[k] === r.gpu.index[k] && r.gpu.index[k] === r.scan.index[k]).length;
      const pair = (a: PickResult, b: PickResult) => points.filter((_, k) => a.index[k] === b.index[k]).length;
      const pairwise = { indexGpu: pair(r.index, r.gpu), indexScan: pair(r.index, r.scan), gpuScan: pair(r.gpu, r.scan) };
      const disagreements = points
        .map((p, k) => ({ ...p, index: r.index.index[k], gpu: r.gpu.index[k], scan: r.scan.index[k] }))
        .filter((d) => !(d.index === d.gpu && d.gpu === d.scan))
        .slice(0, 10);
      const hits = (s: PickResult) => s.index.filter((i) => i !== null).length;
      // How often the pick is the sampled point itself (others may be drawn over it).
      const sampled = (s: PickResult) => s.index.filter((i, k) => i === points[k].i).length;
      const scanQ = mean(r.scan.queryMs);
      for (const s of ['index', 'gpu'] as const) {
        rows.push(
          row(`pick '${s}' vs 'scan', ${name} points`, mean(r[s].queryMs), scanQ, { ours: points.length, baseline: points.length },
            `mean query ${ms(mean(r[s].queryMs))} vs scan ${ms(scanQ)}; build ${ms(r[s].buildMs)} (scan ${ms(r.scan.buildMs)}); ${agree}/${points.length} agree across index/gpu/scan`,
            {
              n, strategy: s, buildMs: r[s].buildMs, scanBuildMs: r.scan.buildMs, meanQueryMs: mean(r[s].queryMs),
              maxQueryMs: Math.max(...r[s].queryMs), hits: hits(r[s]), scanHits: hits(r.scan), sampledHits: sampled(r[s]), scanSampledHits: sampled(r.scan), agree, pairwise, positions: points.length,
              ...(s === 'index' ? { disagreements } : {}),
            }),
        );
      }
    }

    // (3) hover latency and (4) layout update, at 100k
    if (n === 100_000) {
      points = points.slice(0, HOVERS);
      if (!gpuIndex) ctx.skipped.push(`render ${name}: hover correctness unchecked (no debug.pickAt)`);
      log(`render: ${name} ours: hover…`);
      // Each sampled point is the one the GPU drew at its pixel (visiblePoints): hover must name it.
      const samples = await hover(page, points.map((p) => ({ x: p.x, y: p.y, expected: p.i })));
      // The hover path picks with the default strategy; say how often it matched 'index' too.
      const matchesIndex = cpuIndex ? samples.filter((s, k) => s.ms !== null && s.hovered === cpuIndex[k]).length : null;
      const times = samples.flatMap((s) => (s.ms === null ? [] : [s.ms]));
      const correct = samples.filter((s) => s.ms !== null && s.expected !== null && s.hovered === s.expected).length;
      const checked = samples.some((s) => s.expected !== null);
      const timedOut = samples.length - times.length;
      rows.push(
        row(`hover latency, ${name} points`, median(times), NaN, { ours: times.length, baseline: 0 },
          `max ${ms(Math.max(...times))} (${ms(Math.max(...times.slice(WARMUP)))} after the first ${WARMUP}; target <= 50); ${checked ? `${correct}/${samples.length} named the sampled visible point (${matchesIndex}/${samples.length} the index pick)` : 'correctness unchecked'}${timedOut ? `; ${timedOut} timed out` : ''}`,
          { n, timesMs: times, maxMs: Math.max(...times), maxAfterWarmupMs: Math.max(...times.slice(WARMUP)), correct, matchesIndex, samples: samples.length, timedOut, detail: samples }),
      );

      if (api.measureLayoutUpdate) {
        log(`render: ${name} ours: layout update…`);
        const u = await evaluate<{ commitMs: number; glideFrameJsMs: number[]; frameMs: number }>(
          page,
          'window.projector.debug.measureLayoutUpdate()',
        );
        const orbitRow = rows.find((r) => r.case.startsWith('orbit frame') && r.extra?.n === n);
        rows.push(
          row(`layout update (same n), ${name} points`, u.commitMs, NaN, { ours: 1, baseline: 0 },
            `commit; glide frame JS median ${ms(median(u.glideFrameJsMs))} max ${ms(Math.max(...u.glideFrameJsMs))} over ${u.glideFrameJsMs.length}; frame ${ms(u.frameMs)} (orbit frame ${ms(orbitRow?.oursMs ?? NaN)})`,
            { n, ...u, orbitFrameMs: orbitRow?.oursMs ?? null }),
        );
      }
    }
    if (open.errors.length) ctx.skipped.push(`render ${name}: page errors: ${open.errors.slice(0, 3).join(' | ')}`);
  } finally {
    if (!bare.page.isClosed()) await bare.page.close();
    await page.close();
  }
}

/** (5) 1M x 50 as a TSV through the whole load path (parse, PCA, upload). */
async function memoryCase(ctx: Ctx, rows: Row[]): Promise<void> {
  const n = 1_000_000;
  const d = 50;
  const dirName = `${n}x${d}-tsv`;
  ctx.log(`render: memory: generating ${n} x ${d} TSV (cached after the first run)…`);
  await writeSyntheticDataset(path.join(DATA, dirName), n, { dims: d, format: 'tsv' });
  const kase = `memory, ${label(n)} x ${d} TSV load`;
  ctx.log('render: memory: loading in the app…');
  const open = await newPage(ctx);
  const { page } = open;
  try {
    await page.goto(`${ctx.url}?empty`);
    await until(page, 'typeof window.projector !== "undefined"');
    let loadMs = NaN;
    let status = 'crashed';
    let error: string | null = null;
    try {
      const load = evaluate<{ ms: number; status: string; error: string | null }>(page, `(async () => {
        const t0 = performance.now();
        const s = await window.projector.load('synthetic/${dirName}/projector_config.json');
        return { ms: performance.now() - t0, status: s.status, error: s.error };
      })()`);
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('load took over 10 minutes')), 600_000);
      });
      const r = await Promise.race([load, limit]).finally(() => clearTimeout(timer));
      ({ ms: loadMs, status, error } = r);
    } catch (e) {
      if (!open.crashed()) throw e;
    }
    if (open.crashed() || status !== 'ready') {
      rows.push(row(kase, loadMs, NaN, { ours: 1, baseline: 0 }, open.crashed() ? 'TAB CRASHED' : `status ${status}: ${error}`,
        { n, d, crashed: open.crashed(), status, error }));
      return;
    }
    const api = await appApi(page);
    if (!api.memory) ctx.skipped.push('render memory: window.projector.debug.memory missing');
    type Memory = { jsHeapBytes: number | null; gpuBufferBytes: number; gpuTextureBytes: number };
    const readMemory = () =>
      evaluate<Memory>(page, `(() => {
        const heap = (performance.memory && performance.memory.usedJSHeapSize) || null;
        const m = window.projector.debug && window.projector.debug.memory ? window.projector.debug.memory() : { gpuBufferBytes: NaN, gpuTextureBytes: NaN };
        return { ...m, jsHeapBytes: m.jsHeapBytes ?? heap };
      })()`);
    const mem = await readMemory();
    // Garbage from parsing is still counted right after the load: also report what survives a GC.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.detach();
    const retained = await readMemory();
    const crashed = open.crashed();
    rows.push(
      row(kase, loadMs, NaN, { ours: 1, baseline: 0 },
        `JS heap ${mib(mem.jsHeapBytes)} (${mib(retained.jsHeapBytes)} after GC), GPU buffers ${mib(mem.gpuBufferBytes)}, textures ${mib(mem.gpuTextureBytes)}; ${crashed ? 'TAB CRASHED' : 'no crash'}`,
        { n, d, crashed, ...mem, jsHeapBytesAfterGc: retained.jsHeapBytes }),
    );
  } finally {
    if (!page.isClosed()) await page.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------

export async function benchRender(quick: boolean, opts: RenderBenchOptions = {}): Promise<Row[]> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const skipped = opts.skipped ?? [];
  let dist: string;
  try {
    dist = opts.dist ? path.resolve(opts.dist) : buildApp(log);
    await buildBarePage();
  } catch (e) {
    // The other sections' rows still get written.
    skipped.push(`render: section skipped, build failed: ${e instanceof Error ? e.message : String(e)}`);
    log(skipped[skipped.length - 1]);
    return [];
  }
  if (opts.dist) skipped.push(`render: served ${opts.dist} without rebuilding`);
  mkdirSync(SHOTS, { recursive: true });
  const { url, server } = await startStaticServer({ '/': dist, '/synthetic/': DATA, '/bare/': BARE_DIST });
  const browser = await launch();
  const ctx: Ctx = { browser, url, log, skipped };
  const rows: Row[] = [];
  try {
    const cases = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
    for (const n of cases) {
      try {
        await caseN(ctx, n, n >= 1_000_000 ? 8 : 20, rows);
      } catch (e) {
        skipped.push(`render ${label(n)}: ${e instanceof Error ? e.message : String(e)}`);
        log(`render: ${label(n)} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (quick) skipped.push('render: memory (1M x 50 TSV) skipped (--quick)');
    else {
      try {
        await memoryCase(ctx, rows);
      } catch (e) {
        skipped.push(`render memory: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    await browser.close();
    await new Promise<void>((done) => server.close(() => done()));
  }
  return rows;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const dist = process.argv.find((a) => a.startsWith('--dist='))?.slice(7);
  const skipped: string[] = [];
  const rows = await benchRender(quick, { dist, skipped });
  console.table(rows.map((r) => ({ case: r.case, ours: ms(r.oursMs), baseline: ms(r.baselineMs), notes: r.notes })));
  if (skipped.length) console.log(`skipped / notes:\n  ${skipped.join('\n  ')}`);
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  const json = {
    ...runInfo(quick),
    canvas: { width: W, height: H, deviceScaleFactor: 1 },
    baseline: 'bare THREE.Points + PointsMaterial page (bench/render-page) in the same Chromium',
    skipped,
    rows,
  };
  writeFileSync(RESULTS, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(ROOT, RESULTS)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
