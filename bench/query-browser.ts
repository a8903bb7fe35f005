/**
 * In-browser query bench section ('query-browser'; `npm run bench -- --only=query-browser`, or
 * alone: `npx tsx bench/query-browser.ts [--dist=<built app dir>]`, which writes
 * bench/results/query-browser.json). bench/query.ts times the kernels in Node; this times what a
 * page sees through window.projector, in headless Chromium, one fresh 1280x720 page per dataset:
 *
 *   (1) search() over 1 000 000 metadata rows (3-D .bytes points, so no reduction; columns `word`,
 *       random lowercase 3-10 letters, and `group`, one of 20 values): a substring in all
 *       columns, a substring in `word`, a regex in `word`. Median of 5 runs from the call to the
 *       promise resolving and to "N selected" in [data-testid=selection-count]; the longest
 *       main-thread task ('longtask' observer) during each, and in the second after it (the
 *       label layer re-places its labels once the view rests). Baseline in the same page: the
 *       metadata TSV fetched and split into arrays beforehand, then one synchronous
 *       `indices.filter(i => col[i].toLowerCase().includes(q))` (re.test for the regex); the rows
 *       are checked equal. Then 3 more runs per query with the label column off (notes: how
 *       much of the time and of the long tasks is the label layer's).
 *   (2) neighbors(i, 100, metric) on mnist-10k (../shared/data) and on 1 000 000 x 50 seeded
 *       clusters (.bytes): the first call (which copies the vectors to the query worker) and the
 *       median of further calls per metric (20 on mnist, 5 at 1M), with the longest main-thread
 *       task. Baseline in the same page: the tensor fetched and parsed into a Float32Array
 *       beforehand, then a naive main-thread loop (all distances into {index, distance}
 *       objects, Array.sort, slice k) for the same rows (twice per metric at 1M); indices checked.
 *
 * Every timed call starts in a task of its own (a timer, as an event handler would): work done
 * inside CDP's evaluate is not a task to the long-task observer. Long tasks are Chromium's
 * >= 50 ms ones; the long-animation-frame entries overlapping a window name the scripts
 * (extra.*Frames). An extra untimed run per case measures the longest gap of a MessageChannel
 * heartbeat, i.e. the longest main-thread block even under 50 ms. The viewport is 1280x720.
 *
 * The app is built into bench/results/query-browser-dist (not dist/, which the e2e tests serve).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, closeSync, openSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createRandom } from '../src/reduce/random';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/chromium';
import { startStaticServer } from '../tests/e2e/static-server';
import { runInfo, type Row } from './common';
import { until } from './page-wait';
import { clusters, writeSyntheticDataset } from './synthetic-data';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = path.join(ROOT, 'bench/results/data');
const SHARED_DATA = path.resolve(ROOT, '../shared/data');
const DIST = path.join(ROOT, 'bench/results/query-browser-dist');
const RESULTS = path.join(ROOT, 'bench/results/query-browser.json');
const SECTION = 'query-browser';
const W = 1280;
const H = 720;

const SEARCH_N = 1_000_000;
const SEARCH_DIR = 'query-1m-words';
const SEARCH_RUNS = 5;
const GROUPS = [
  'alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliett',
  'kilo', 'lima', 'mike', 'november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango',
];
const WORDS_SEED = 23;
const WORDS_VERSION = 1;

const K = 100;
const METRICS = ['cosine', 'euclidean'] as const;
type Metric = (typeof METRICS)[number];

type Log = (line: string) => void;

export interface QueryBrowserBenchOptions {
  /** Serve this built app instead of building one. */
  dist?: string;
  log?: Log;
  skipped?: string[];
}

// ---------------------------------------------------------------------------------------------
// Data

/** 1M 3-D points (a .bytes layout) with `word` and `group` metadata; reused when its stamp matches. */
function writeSearchDataset(log: Log): string {
  const dir = path.join(DATA, SEARCH_DIR);
  const stamp = JSON.stringify({ version: WORDS_VERSION, seed: WORDS_SEED, n: SEARCH_N, groups: GROUPS.length });
  const stampPath = path.join(dir, 'stamp.json');
  const files = ['tensors.bytes', 'metadata.tsv', 'projector_config.json'];
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp && files.every((f) => existsSync(path.join(dir, f)))) return dir;
  log(`query-browser: writing ${SEARCH_N} rows of words (cached after the first run)…`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(stampPath, '');
  const { data } = clusters(SEARCH_N, 3);
  writeFileSync(path.join(dir, 'tensors.bytes'), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const rng = createRandom(WORDS_SEED);
  const fd = openSync(path.join(dir, 'metadata.tsv'), 'w');
  try {
    writeSync(fd, 'word\tgroup\n');
    for (let at = 0; at < SEARCH_N; at += 1 << 16) {
      let s = '';
      for (let i = at; i < Math.min(SEARCH_N, at + (1 << 16)); i++) {
        const len = 3 + Math.floor(rng.next() * 8);
        let w = '';
        for (let c = 0; c < len; c++) w += String.fromCharCode(97 + Math.floor(rng.next() * 26));
        s += `${w}\t${GROUPS[Math.floor(rng.next() * GROUPS.length)]}\n`;
      }
      writeSync(fd, s);
    }
  } finally {
    closeSync(fd);
  }
  const config = {
    embeddings: [{ tensorName: `words-${SEARCH_N}`, tensorShape: [SEARCH_N, 3], tensorPath: 'tensors.bytes', metadataPath: 'metadata.tsv' }],
  };
  writeFileSync(path.join(dir, 'projector_config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(stampPath, stamp);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Page helpers

/**
 * Installed before the app loads: long-task and long-animation-frame observers, and helpers the
 * measurements share (window.__qb). Plain JS: tsx-compiled functions carry `__name` helpers.
 */
const INIT_SCRIPT = `(() => {
  const long = [], loaf = [], observers = [];
  const watch = (type, map, into) => {
    try {
      const o = new PerformanceObserver((list) => { for (const e of list.getEntries()) into.push(map(e)); });
      o.observe({ type, buffered: true });
      observers.push([o, map, into]);
    } catch (e) {}
  };
  watch('longtask', (e) => ({ start: e.startTime, duration: e.duration }), long);
  watch('long-animation-frame', (e) => ({
    start: e.startTime, duration: e.duration, blocking: e.blockingDuration,
    scripts: (e.scripts || []).map((s) => ({
      invoker: s.invoker, invokerType: s.invokerType, fn: s.sourceFunctionName,
      url: s.sourceURL, pos: s.sourceCharPosition, start: s.startTime, duration: s.duration,
    })),
  }), loaf);
  const flush = () => { for (const [o, map, into] of observers) for (const e of o.takeRecords()) into.push(map(e)); };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  const waitFor = (cond, timeoutMs) => new Promise((resolve) => {
    if (cond()) return resolve(true);
    let done = false, raf = 0;
    const finish = (ok) => { if (done) return; done = true; mo.disconnect(); cancelAnimationFrame(raf); clearTimeout(timer); resolve(ok); };
    const mo = new MutationObserver(() => cond() && finish(true));
    mo.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
    const tick = () => { if (cond()) finish(true); else raf = requestAnimationFrame(tick); };
    raf = requestAnimationFrame(tick);
    const timer = setTimeout(() => finish(cond()), timeoutMs);
  });
  const quiet = async (maxMs = 3000) => {
    for (let ok = 0, t = performance.now(), end = t + maxMs; ok < 3 && t < end; ) {
      await frame();
      const now = performance.now();
      ok = now - t < 30 ? ok + 1 : 0;
      t = now;
    }
    await sleep(0);
  };
  window.__qb = {
    types: PerformanceObserver.supportedEntryTypes,
    sleep, frame, waitFor, quiet,
    /** Runs fn in a task of its own (a timer), as an event handler would: CDP's evaluate is no task to the long-task observer. */
    inTask: (fn) => new Promise((ok, fail) => setTimeout(() => { try { ok(fn()); } catch (e) { fail(e); } }, 0)),
    /** Quiet frames, and no long task in the last ~400 ms (the labels' rest timer fires 150 ms after a change). */
    async settle(maxMs = 15000) {
      const end = performance.now() + maxMs;
      for (;;) {
        await quiet();
        await sleep(400);
        flush();
        const now = performance.now();
        if (!long.some((e) => e.start + e.duration >= now - 450) || now > end) return;
      }
    },
    /** Long tasks (and long animation frames) overlapping [t0, t1] (starting in it, with startsIn); call after the window. */
    async tasksIn(t0, t1, startsIn = false) {
      await sleep(20); await frame(); await sleep(20);
      flush();
      const overlaps = (e) => startsIn ? e.start >= t0 && e.start <= t1 : e.start <= t1 && e.start + e.duration >= t0;
      const tasks = long.filter(overlaps);
      const frames = loaf.filter(overlaps).sort((a, b) => b.duration - a.duration).slice(0, 3).map((f) => ({
        ...f, start: f.start - t0, scripts: f.scripts.filter((s) => s.duration >= 5).sort((a, b) => b.duration - a.duration).slice(0, 5),
      }));
      return {
        longestMs: tasks.reduce((m, e) => Math.max(m, e.duration), 0),
        count: tasks.length,
        tasks: tasks.map((e) => ({ start: e.start - t0, duration: e.duration })),
        frames,
      };
    },
    /** A MessageChannel ping-pong; stop() returns the longest gap between pings (ms). */
    heartbeat() {
      const ch = new MessageChannel();
      let last = performance.now(), max = 0, on = true;
      ch.port1.onmessage = () => { const t = performance.now(); max = Math.max(max, t - last); last = t; if (on) ch.port2.postMessage(0); };
      ch.port2.postMessage(0);
      return () => { on = false; max = Math.max(max, performance.now() - last); ch.port1.close(); return max; };
    },
  };
})();`;

const evaluate = <T>(page: Page, expr: string): Promise<T> => page.evaluate(expr) as Promise<T>;
/** Calls a page function (JS source) with one JSON argument. */
const call = <T>(page: Page, fn: string, arg: unknown): Promise<T> => evaluate<T>(page, `(${fn})(${JSON.stringify(arg)})`);

interface Tasks {
  longestMs: number;
  count: number;
  tasks: { start: number; duration: number }[];
  frames: { start: number; duration: number; blocking: number; scripts: { invoker: string; fn: string; url: string; pos: number; duration: number }[] }[];
}

interface OpenApp {
  page: Page;
  loadMs: number;
  errors: string[];
  crashed: () => boolean;
}

async function openApp(browser: Browser, url: string, config: string): Promise<OpenApp> {
  const page = await browser.newPage({ viewport: { width: W, height: H }, deviceScaleFactor: 1 });
  page.setDefaultTimeout(600_000);
  const errors: string[] = [];
  let crashed = false;
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('crash', () => (crashed = true));
  await page.addInitScript({ content: INIT_SCRIPT });
  const t0 = performance.now();
  await page.goto(`${url}?config=${config}`);
  await until(page, `window.projector && ['ready', 'error'].includes(window.projector.state().status)`);
  const loadMs = performance.now() - t0;
  const state = await evaluate<{ status: string; error: string | null }>(page, 'window.projector.state()');
  if (state.status !== 'ready') throw new Error(`app: ${config} did not load: ${state.error}`);
  await evaluate(page, 'window.__qb.settle()');
  return { page, loadMs, errors, crashed: () => crashed };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0)} ms` : '—');
const longest = (t: number) => (t > 0 ? ms(t) : 'none >= 50 ms');
const load1 = () => Number(os.loadavg()[0].toFixed(2));

function row(kase: string, oursMs: number, baselineMs: number, runs: Row['runs'], notes: string, extra?: Record<string, unknown>): Row {
  return { section: SECTION, case: kase, oursMs, baselineMs, speedup: baselineMs / oursMs, runs, notes, extra };
}

/** The script most to blame in the longest long-animation-frame of a window, if any. */
function blame(t: Tasks): string {
  const s = t.frames[0]?.scripts[0];
  if (!s) return '';
  const where = s.url ? `${s.url.split('/').pop()}:${s.pos}` : '';
  return ` [${s.invoker}${s.fn ? ` ${s.fn}` : ''}${where ? ` @ ${where}` : ''} ${ms(s.duration)}]`;
}

// ---------------------------------------------------------------------------------------------
// (1) Search

interface SearchCase {
  label: string;
  query: string;
  column: string | null;
  regex: boolean;
}

const SEARCH_CASES: SearchCase[] = [
  { label: "substring 'ra' in all columns", query: 'ra', column: null, regex: false },
  { label: "substring 'ab' in word", query: 'ab', column: 'word', regex: false },
  { label: "regex '^ab.*z$' in word", query: '^ab.*z$', column: 'word', regex: true },
];

interface OursSearch {
  resolveMs: number;
  domMs: number | null;
  frameMs: number;
  count: number;
  selected: number;
  text: string | null;
  /** Long tasks overlapping the search (call to the next frame). */
  tasks: Tasks;
  /** Long tasks starting in the AFTER_MS after that frame. */
  after: Tasks;
  maxGapMs: number | null;
}

/** How long after a search's frame long tasks are still counted as its aftermath. */
const AFTER_MS = 1000;

/**
 * Clears the selection, waits for a settled page, then times search() (called in a task of its
 * own) to resolve, to the count in the DOM and to the next frame; then watches AFTER_MS more.
 */
const OURS_SEARCH = `async ({ query, opts, heartbeat, afterMs }) => {
  const p = window.projector, qb = window.__qb;
  const text = () => { const el = document.querySelector('[data-testid=selection-count]'); return el ? el.textContent : null; };
  await p.search('');
  await qb.waitFor(() => text() === 'none selected', 10000);
  await qb.settle();
  const stop = heartbeat ? qb.heartbeat() : null;
  let t0 = 0;
  const res = await qb.inTask(() => { t0 = performance.now(); return p.search(query, opts); });
  const t1 = performance.now();
  const want = res.length > 0 ? res.length.toLocaleString('en-US') + ' selected' : 'none selected';
  const ok = await qb.waitFor(() => text() === want, 30000);
  const t2 = performance.now();
  const t3 = await qb.frame();
  const maxGapMs = stop ? stop() : null;
  window.__qbLast = res;
  await qb.sleep(afterMs);
  const tasks = await qb.tasksIn(t0, t3);
  const after = await qb.tasksIn(t3, t3 + afterMs, true);
  return { resolveMs: t1 - t0, domMs: ok ? t2 - t0 : null, frameMs: t3 - t0, count: res.length, selected: p.selected().length, text: text(), tasks, after, maxGapMs };
}`;

const PREPARE_COLUMNS = `async (url) => {
  const text = await (await fetch(url)).text();
  const lines = text.split('\\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = lines[0].split('\\t');
  const n = lines.length - 1;
  const cols = header.map(() => new Array(n));
  for (let r = 0; r < n; r++) {
    const f = lines[r + 1].split('\\t');
    for (let c = 0; c < header.length; c++) cols[c][r] = f[c];
  }
  window.__qbCols = Object.fromEntries(header.map((h, c) => [h, cols[c]]));
  window.__qbIdx = Array.from({ length: n }, (_, i) => i);
  return { n, header };
}`;

/** One synchronous Array.filter; compares with the last search() result. */
const BASELINE_SEARCH = `({ query, columns, regex }) => {
  const cols = columns.map((c) => window.__qbCols[c]);
  const ix = window.__qbIdx;
  let out;
  const t0 = performance.now();
  if (regex) {
    const re = new RegExp(query, 'i');
    out = cols.length === 1 ? ix.filter((i) => re.test(cols[0][i])) : ix.filter((i) => cols.some((c) => re.test(c[i])));
  } else {
    const q = query.toLowerCase();
    if (cols.length === 1) {
      const col = cols[0];
      out = ix.filter((i) => col[i].toLowerCase().includes(q));
    } else {
      out = ix.filter((i) => { for (const c of cols) if (c[i].toLowerCase().includes(q)) return true; return false; });
    }
  }
  const t1 = performance.now();
  const last = window.__qbLast;
  const same = !!last && last.length === out.length && last.every((v, k) => v === out[k]);
  return { ms: t1 - t0, t0, t1, count: out.length, same };
}`;

/** Runs a synchronous page function (JS source) in a task of its own. */
const callInTask = <T>(page: Page, fn: string, arg: unknown): Promise<T> =>
  evaluate<T>(page, `window.__qb.inTask(() => (${fn})(${JSON.stringify(arg)}))`);

async function searchSection(browser: Browser, url: string, log: Log, rows: Row[], skipped: string[]): Promise<void> {
  writeSearchDataset(log);
  log(`query-browser: search: loading ${SEARCH_N} rows…`);
  const loadAvg = load1();
  const app = await openApp(browser, url, `data/${SEARCH_DIR}/projector_config.json`);
  const { page } = app;
  try {
    const state = await evaluate<{ numPoints: number; dims: number; columns: string[] }>(page, 'window.projector.state()');
    const labelColumn = await evaluate<string | null>(page, `(() => { const s = document.querySelector('[data-testid=label-select]'); return s ? s.selectedOptions[0]?.textContent ?? null : null; })()`);
    const prep = await call<{ n: number; header: string[] }>(page, PREPARE_COLUMNS, `data/${SEARCH_DIR}/metadata.tsv`);
    if (prep.n !== state.numPoints) throw new Error(`metadata has ${prep.n} rows, the app ${state.numPoints}`);
    const results: { c: SearchCase; ours: OursSearch[]; base: { ms: number; count: number; same: boolean; tasks: Tasks }[]; beat: OursSearch; placeMs: number; labels: number }[] = [];
    for (const c of SEARCH_CASES) {
      log(`query-browser: search ${c.label}…`);
      const opts = { ...(c.column ? { column: c.column } : {}), regex: c.regex };
      const columns = c.column ? [c.column] : state.columns;
      const ours: OursSearch[] = [];
      const base: { ms: number; count: number; same: boolean; tasks: Tasks }[] = [];
      // Alternating runs, so drift in machine load falls on both alike.
      for (let r = 0; r < SEARCH_RUNS; r++) {
        ours.push(await call<OursSearch>(page, OURS_SEARCH, { query: c.query, opts, heartbeat: false, afterMs: AFTER_MS }));
        await evaluate(page, 'window.__qb.settle()');
        const b = await callInTask<{ ms: number; t0: number; t1: number; count: number; same: boolean }>(page, BASELINE_SEARCH, { query: c.query, columns, regex: c.regex });
        const tasks = await evaluate<Tasks>(page, `window.__qb.tasksIn(${b.t0}, ${b.t1})`);
        base.push({ ...b, tasks });
      }
      // The app's own figure for the last at-rest label placement, with this selection.
      const placeMs = await evaluate<number>(page, 'window.projector.debug.labelPlacementMs()');
      const labels = await evaluate<number>(page, 'window.projector.labels().length');
      // One more, untimed: the heartbeat's longest gap is the longest main-thread block, under 50 ms too.
      const beat = await call<OursSearch>(page, OURS_SEARCH, { query: c.query, opts, heartbeat: true, afterMs: AFTER_MS });
      results.push({ c, ours, base, beat, placeMs, labels });
    }

    // The same searches with text labels off: how much of the above is the label layer's.
    log('query-browser: search again with labels off…');
    await evaluate(page, 'window.projector.setViewOptions({ labelColumn: -1 })');
    const noLabels: OursSearch[][] = [];
    for (const c of SEARCH_CASES) {
      const opts = { ...(c.column ? { column: c.column } : {}), regex: c.regex };
      const runs: OursSearch[] = [];
      for (let r = 0; r < 3; r++) runs.push(await call<OursSearch>(page, OURS_SEARCH, { query: c.query, opts, heartbeat: false, afterMs: AFTER_MS }));
      runs.push(await call<OursSearch>(page, OURS_SEARCH, { query: c.query, opts, heartbeat: true, afterMs: AFTER_MS }));
      noLabels.push(runs);
    }

    results.forEach(({ c, ours, base, beat, placeMs, labels }, k) => {
      const resolve = median(ours.map((o) => o.resolveMs));
      const dom = median(ours.flatMap((o) => (o.domMs === null ? [] : [o.domMs])));
      const frame = median(ours.map((o) => o.frameMs));
      const baseMs = median(base.map((b) => b.ms));
      const oursLongest = Math.max(...ours.map((o) => o.tasks.longestMs));
      const worst = ours.reduce((a, o) => (o.tasks.longestMs > a.tasks.longestMs ? o : a), ours[0]);
      const afterLongest = Math.max(...ours.map((o) => o.after.longestMs));
      const worstAfter = ours.reduce((a, o) => (o.after.longestMs > a.after.longestMs ? o : a), ours[0]);
      const baseLongest = Math.max(...base.map((b) => b.tasks.longestMs));
      const counts = new Set([...ours.map((o) => o.count), ...base.map((b) => b.count)]);
      const sameRows = base.every((b) => b.same);
      const domMissing = ours.filter((o) => o.domMs === null).length;
      const selectedOk = ours.every((o) => o.selected === o.count);
      if (domMissing) skipped.push(`query-browser ${c.label}: count text not seen in ${domMissing} runs (last: ${ours[ours.length - 1].text})`);
      const off = noLabels[k];
      const offTimed = off.slice(0, -1);
      const offBeat = off[off.length - 1];
      const offResolve = median(offTimed.map((o) => o.resolveMs));
      const offLongest = Math.max(...offTimed.map((o) => o.tasks.longestMs));
      const offAfter = Math.max(...offTimed.map((o) => o.after.longestMs));
      rows.push(
        row(`search ${SEARCH_N / 1e6}M rows: ${c.label} (to resolve)`, resolve, baseMs, { ours: ours.length, baseline: base.length },
          `${ours[0].count} hits, ${counts.size === 1 && sameRows ? 'same rows as the baseline' : 'ROWS DIFFER'}${selectedOk ? '' : ', SELECTION DIFFERS'}; ` +
            `"N selected" in DOM ${ms(dom)}, next frame ${ms(frame)}; longest task ours ${longest(oursLongest)}${oursLongest > 0 ? blame(worst.tasks) : ''} ` +
            `(heartbeat max block ${ms(beat.maxGapMs ?? NaN)}), then ${longest(afterLongest)}${afterLongest > 0 ? blame(worstAfter.after) : ''} within ${AFTER_MS / 1000} s; ` +
            `baseline one synchronous task, longest ${longest(baseLongest)}; app's label placement ${ms(placeMs)} (${labels} labels); labels (${labelColumn}) off: resolve ${ms(offResolve)}, longest task ${longest(offLongest)} ` +
            `(heartbeat ${ms(offBeat.maxGapMs ?? NaN)}), after ${longest(offAfter)}`,
          {
            query: c.query, column: c.column, regex: c.regex, hits: ours[0].count, sameRows, selectedMatches: selectedOk,
            resolveMs: ours.map((o) => o.resolveMs), domMs: ours.map((o) => o.domMs), frameMs: ours.map((o) => o.frameMs),
            medianDomMs: dom, medianFrameMs: frame, baselineMs: base.map((b) => b.ms),
            oursLongestTaskMs: ours.map((o) => o.tasks.longestMs), oursLongTasks: worst.tasks.tasks, oursFrames: worst.tasks.frames,
            afterLongestTaskMs: ours.map((o) => o.after.longestMs), afterLongTasks: worstAfter.after.tasks, afterFrames: worstAfter.after.frames,
            baselineLongestTaskMs: base.map((b) => b.tasks.longestMs), heartbeatMaxBlockMs: beat.maxGapMs,
            labelColumn, labelPlacementMs: placeMs, labelsPlaced: labels,
            labelsOff: {
              resolveMs: offTimed.map((o) => o.resolveMs), domMs: offTimed.map((o) => o.domMs), longestTaskMs: offTimed.map((o) => o.tasks.longestMs),
              afterLongestTaskMs: offTimed.map((o) => o.after.longestMs), heartbeatMaxBlockMs: offBeat.maxGapMs, frames: offTimed.map((o) => o.tasks.frames),
            },
            loadMs: app.loadMs, loadAvg1mBefore: loadAvg, loadAvg1mAfter: load1(),
          }),
      );
    });
    if (app.errors.length) skipped.push(`query-browser search: page errors: ${app.errors.slice(0, 3).join(' | ')}`);
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------------------------
// (2) Neighbours

interface NeighborCase {
  name: string;
  config: string;
  /** Where the page fetches the vectors for the naive baseline. */
  tensorUrl: string;
  format: 'tsv' | 'bytes';
  further: number;
  /** Naive baseline runs per metric (the first `naive` of the further rows). */
  naive: number;
}

const OURS_NEIGHBORS = `async ({ qs, k, metric, heartbeat }) => {
  const p = window.projector, qb = window.__qb;
  await qb.settle();
  const stop = heartbeat ? qb.heartbeat() : null;
  const times = [], lists = [];
  const t0 = performance.now();
  for (const i of qs) {
    let s = 0;
    const r = await qb.inTask(() => { s = performance.now(); return p.neighbors(i, k, metric); });
    times.push(performance.now() - s);
    lists.push(r.map((x) => x.index));
  }
  const t1 = performance.now();
  const maxGapMs = stop ? stop() : null;
  const tasks = await qb.tasksIn(t0, t1);
  return { times, lists, tasks, maxGapMs };
}`;

const PREPARE_VECTORS = `async ({ url, format, n, d }) => {
  const res = await fetch(url);
  if (format === 'bytes') {
    const data = new Float32Array(await res.arrayBuffer());
    window.__qbVec = { data, n, d };
    return { n: data.length / d, d };
  }
  const lines = (await res.text()).split('\\n').filter((l) => l !== '');
  const rows = lines.length, cols = lines[0].split('\\t').length;
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const f = lines[r].split('\\t');
    for (let c = 0; c < cols; c++) data[r * cols + c] = Number(f[c]);
  }
  window.__qbVec = { data, n: rows, d: cols };
  return { n: rows, d: cols };
}`;

/** bench/query.ts's naive loop, in the page: every distance into an object, Array.sort, slice k. */
const NAIVE_NEIGHBORS = `({ i, k, metric }) => {
  const { data, n, d } = window.__qbVec;
  const t0 = performance.now();
  const q = i * d;
  const all = [];
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    const o = j * d;
    let distance;
    if (metric === 'cosine') {
      let dot = 0, na = 0, nb = 0;
      for (let c = 0; c < d; c++) {
        dot += data[q + c] * data[o + c];
        na += data[q + c] * data[q + c];
        nb += data[o + c] * data[o + c];
      }
      distance = na === 0 || nb === 0 ? 1 : Math.min(2, Math.max(0, 1 - dot / Math.sqrt(na * nb)));
    } else {
      let s = 0;
      for (let c = 0; c < d; c++) s += (data[q + c] - data[o + c]) ** 2;
      distance = Math.sqrt(s);
    }
    all.push({ index: j, distance });
  }
  all.sort((a, b) => a.distance - b.distance || a.index - b.index);
  const top = all.slice(0, k);
  const t1 = performance.now();
  return { ms: t1 - t0, t0, t1, indices: top.map((e) => e.index) };
}`;

interface Naive {
  i: number;
  ms: number;
  indices: number[];
  tasks: Tasks;
}

async function naiveRuns(page: Page, qs: number[], metric: Metric): Promise<Naive[]> {
  const out: Naive[] = [];
  for (const i of qs) {
    await evaluate(page, 'window.__qb.settle()');
    const r = await callInTask<{ ms: number; t0: number; t1: number; indices: number[] }>(page, NAIVE_NEIGHBORS, { i, k: K, metric });
    const tasks = await evaluate<Tasks>(page, `window.__qb.tasksIn(${r.t0}, ${r.t1})`);
    out.push({ i, ms: r.ms, indices: r.indices, tasks });
  }
  return out;
}

function agreement(qs: number[], lists: number[][], naive: Naive[]): { compared: number; identical: number; overlap: number } {
  let compared = 0;
  let identical = 0;
  let kept = 0;
  for (const b of naive) {
    const at = qs.indexOf(b.i);
    if (at < 0) continue;
    compared++;
    const a = lists[at];
    if (a.length === b.indices.length && a.every((v, k) => v === b.indices[k])) identical++;
    const set = new Set(a);
    kept += b.indices.filter((v) => set.has(v)).length;
  }
  return { compared, identical, overlap: compared ? kept / (compared * K) : NaN };
}

async function neighborSection(browser: Browser, url: string, c: NeighborCase, log: Log, rows: Row[], skipped: string[]): Promise<void> {
  log(`query-browser: neighbours ${c.name}: loading…`);
  const loadAvg = load1();
  const app = await openApp(browser, url, c.config);
  const { page } = app;
  try {
    const st = await evaluate<{ numPoints: number; dims: number }>(page, 'window.projector.state()');
    const { numPoints: n, dims: d } = st;
    const rng = createRandom(n ^ 0x5eed);
    const pick = () => Math.floor(rng.next() * n);
    const first = pick();
    const qs = Array.from({ length: c.further }, pick);
    const size = `${n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`}x${d}`;

    // The first call: the vectors go to the worker (16 MB slices), then the query.
    log(`query-browser: neighbours ${c.name}: first call…`);
    const firstRun = await call<{ times: number[]; lists: number[][]; tasks: Tasks }>(page, OURS_NEIGHBORS, { qs: [first], k: K, metric: 'cosine', heartbeat: false });
    const further: Record<Metric, { times: number[]; lists: number[][]; tasks: Tasks; beat: number }> = {} as never;
    for (const metric of METRICS) {
      log(`query-browser: neighbours ${c.name}: ${c.further} ${metric} queries…`);
      const r = await call<{ times: number[]; lists: number[][]; tasks: Tasks }>(page, OURS_NEIGHBORS, { qs, k: K, metric, heartbeat: false });
      // Untimed: the heartbeat's longest gap (the main thread's longest block) over a few queries.
      const b = await call<{ maxGapMs: number }>(page, OURS_NEIGHBORS, { qs: qs.slice(0, 3), k: K, metric, heartbeat: true });
      further[metric] = { ...r, beat: b.maxGapMs };
    }

    log(`query-browser: neighbours ${c.name}: naive baseline (fetch and parse the vectors first)…`);
    const prep = await call<{ n: number; d: number }>(page, PREPARE_VECTORS, { url: c.tensorUrl, format: c.format, n, d });
    if (prep.n !== n || prep.d !== d) throw new Error(`baseline vectors are ${prep.n}x${prep.d}, the app's ${n}x${d}`);
    const naiveFirst = c.naive >= c.further ? await naiveRuns(page, [first], 'cosine') : [];
    const naive: Record<Metric, Naive[]> = {} as never;
    for (const metric of METRICS) naive[metric] = await naiveRuns(page, qs.slice(0, c.naive), metric);

    const firstMs = firstRun.times[0];
    const firstNaive = naiveFirst.length ? naiveFirst[0].ms : median(naive.cosine.map((b) => b.ms));
    const firstAgree = agreement([first], firstRun.lists, naiveFirst);
    const naiveLongest = (xs: Naive[]) => Math.max(...xs.map((b) => b.tasks.longestMs));
    rows.push(
      row(`neighbours ${c.name} ${size} k=${K} cosine: first call (vectors to the worker + query)`, firstMs, firstNaive, { ours: 1, baseline: naiveFirst.length || naive.cosine.length },
        `longest task ours ${longest(firstRun.tasks.longestMs)}${firstRun.tasks.longestMs > 0 ? blame(firstRun.tasks) : ''}, naive ${longest(naiveLongest(naiveFirst.length ? naiveFirst : naive.cosine))}; ` +
          (naiveFirst.length ? `${firstAgree.identical}/1 identical to naive` : `baseline: median naive cosine query (other rows)`) +
          `; then ${ms(median(further.cosine.times))} a query; load ${(app.loadMs / 1000).toFixed(1)} s`,
        {
          n, d, row: first, firstMs, naiveMs: firstNaive, oursTasks: firstRun.tasks, naiveLongestTaskMs: naiveLongest(naiveFirst.length ? naiveFirst : naive.cosine),
          agreement: firstAgree, loadMs: app.loadMs, loadAvg1mBefore: loadAvg, loadAvg1mAfter: load1(),
        }),
    );
    for (const metric of METRICS) {
      const f = further[metric];
      const b = naive[metric];
      const agree = agreement(qs, f.lists, b);
      const oursMed = median(f.times);
      const naiveMed = median(b.map((x) => x.ms));
      rows.push(
        row(`neighbours ${c.name} ${size} k=${K} ${metric}: per query (worker round trip)`, oursMed, naiveMed, { ours: f.times.length, baseline: b.length },
          `max ${ms(Math.max(...f.times))}; longest task ours ${longest(f.tasks.longestMs)}${f.tasks.longestMs > 0 ? blame(f.tasks) : ''} (heartbeat max block ${ms(f.beat)}), ` +
            `naive ${longest(naiveLongest(b))} (one synchronous task: the main thread blocked throughout); ${agree.identical}/${agree.compared} identical to naive (overlap ${agree.overlap.toFixed(4)})`,
          {
            n, d, metric, rows: qs, oursTimesMs: f.times, naiveTimesMs: b.map((x) => x.ms), naiveRows: b.map((x) => x.i),
            oursLongestTaskMs: f.tasks.longestMs, oursTasks: f.tasks.tasks, oursFrames: f.tasks.frames, heartbeatMaxBlockMs: f.beat,
            naiveLongestTaskMs: b.map((x) => x.tasks.longestMs), agreement: agree, loadAvg1mAfter: load1(),
          }),
      );
    }
    if (app.errors.length) skipped.push(`query-browser ${c.name}: page errors: ${app.errors.slice(0, 3).join(' | ')}`);
  } finally {
    if (app.crashed()) skipped.push(`query-browser ${c.name}: TAB CRASHED`);
    await page.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------

function buildApp(log: Log): string {
  // Not dist/: the e2e tests serve it, perhaps at this very moment.
  log(`query-browser: building the app into ${path.relative(ROOT, DIST)} (npx vite build)…`);
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', DIST, '--emptyOutDir'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed:\n${(r.stdout + r.stderr).slice(-4000)}`);
  return DIST;
}

export async function benchQueryBrowser(opts: QueryBrowserBenchOptions = {}): Promise<Row[]> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const skipped = opts.skipped ?? [];
  let dist: string;
  try {
    dist = opts.dist ? path.resolve(opts.dist) : buildApp(log);
  } catch (e) {
    skipped.push(`query-browser: section skipped, build failed: ${e instanceof Error ? e.message : String(e)}`);
    log(skipped[skipped.length - 1]);
    return [];
  }
  if (opts.dist) skipped.push(`query-browser: served ${opts.dist} without rebuilding`);
  const mounts: Record<string, string> = { '/': dist, '/data/': DATA };
  const haveMnist = existsSync(path.join(SHARED_DATA, 'mnist-10k/projector_config.json'));
  if (haveMnist) mounts['/shared/'] = SHARED_DATA;
  const { url, server } = await startStaticServer(mounts);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const rows: Row[] = [];
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      skipped.push(`query-browser ${what}: ${e instanceof Error ? e.message : String(e)}`);
      log(`query-browser: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  try {
    await attempt('search', () => searchSection(browser, url, log, rows, skipped));
    if (haveMnist) {
      await attempt('mnist-10k', () =>
        neighborSection(browser, url, {
          name: 'mnist-10k', config: 'shared/mnist-10k/projector_config.json', tensorUrl: 'shared/mnist-10k/tensors.tsv',
          format: 'tsv', further: 20, naive: 20,
        }, log, rows, skipped));
    } else {
      const why = `query-browser: ${SHARED_DATA}/mnist-10k missing: its neighbour rows skipped`;
      log(why);
      skipped.push(why);
    }
    await attempt('1M x 50', async () => {
      log('query-browser: writing 1M x 50 clusters as .bytes (cached after the first run)…');
      const dir = '1000000x50-bytes';
      await writeSyntheticDataset(path.join(DATA, dir), 1_000_000, { dims: 50, format: 'bytes', withSprite: false });
      await neighborSection(browser, url, {
        name: 'clusters', config: `data/${dir}/projector_config.json`, tensorUrl: `data/${dir}/tensors.bytes`,
        format: 'bytes', further: 5, naive: 2,
      }, log, rows, skipped);
    });
  } finally {
    await browser.close();
    await new Promise<void>((done) => server.close(() => done()));
  }
  return rows;
}

async function main(): Promise<void> {
  const dist = process.argv.find((a) => a.startsWith('--dist='))?.slice(7);
  const skipped: string[] = [];
  const rows = await benchQueryBrowser({ dist, skipped });
  console.table(rows.map((r) => ({ case: r.case, ours: ms(r.oursMs), baseline: ms(r.baselineMs), speedup: `${r.speedup.toFixed(1)}x`, notes: r.notes })));
  if (skipped.length) console.log(`skipped / notes:\n  ${skipped.join('\n  ')}`);
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  const json = {
    ...runInfo(false),
    viewport: { width: W, height: H, deviceScaleFactor: 1 },
    baselines: {
      search: "metadata TSV fetched and split in the page beforehand; one synchronous indices.filter(i => col[i].toLowerCase().includes(q)) (re.test for regex)",
      neighbors: 'tensor fetched and parsed into a Float32Array in the page beforehand; naive main-thread loop into {index, distance} objects, Array.sort, slice k',
    },
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
