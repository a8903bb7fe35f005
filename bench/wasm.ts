/**
 * WebAssembly SIMD section ('wasm'; `npm run bench -- --only=wasm`, or alone: `npx tsx
 * bench/wasm.ts`, which writes bench/results/wasm.json). The exact neighbour searches with the
 * JavaScript kernels (baseline) and with the SIMD ones (src/reduce/kernels/simd.wat), in the
 * same run, in Node and in headless Chromium (a page of our own with no CSP, since the app's
 * forbids compiling WebAssembly unless 'wasm-unsafe-eval' is allowed), on:
 *   mnist-10k (10,000 x 784, ~80% zeros: both paths take the sparse kernel), all rows;
 *   GloVe 100d 10k (dense), all rows;
 *   100,000 x 50 seeded gaussian clusters (dense): 2,000 query rows against all (all rows
 *   would take minutes per path on these machines).
 * Figures: full exact kNN k=15 cosine (one run per path), the PCA of the first view (10
 * components, the median of 3 alternating runs) and one row's neighbours k=100 per metric (median of the runs, the
 * two paths alternating); and t-SNE's repulsion on mnist-10k's 2D and 3D t-SNE layouts after 300
 * iterations (perplexity 30, the app's k = 90 graph), and its attraction over P's upper triangle
 * (median of the runs, alternating). Each notes whether the results are identical.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { VectorsTsvParser } from '../src/data/vectors-tsv';
import type { Tensor } from '../src/data/types';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/chromium';
import { startStaticServer } from '../tests/e2e/static-server';
import { runInfo, type Row } from './common';
import { gaussianClusters } from './knn';
import { knnGraph } from '../src/reduce/knn/knn';
import { tsneAffinities, upperTriangle } from '../src/reduce/tsne/affinities';
import { Tsne } from '../src/reduce/tsne/tsne';
import { measureWasm, type LayoutCase, type WasmCase, type WasmFigure } from './wasm-cases';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED_DATA = path.resolve(ROOT, '../shared/data');
const PAGE = path.join(ROOT, 'bench/results/wasm-page');
const RESULTS = path.join(ROOT, 'bench/results/wasm.json');

export interface WasmBenchOptions {
  quick?: boolean;
  log?: (line: string) => void;
  skipped?: string[];
}

function readTsv(name: string): Tensor | null {
  const file = path.join(SHARED_DATA, name, 'tensors.tsv');
  if (!existsSync(file)) return null;
  const parser = new VectorsTsvParser('tensors.tsv', null);
  const bytes = new Uint8Array(readFileSync(file));
  for (let at = 0; at < bytes.length; at += 1 << 16) parser.push(bytes.subarray(at, at + (1 << 16)));
  const { data, n, d } = parser.finish();
  return { data, n, d };
}

function cases(quick: boolean, skipped: string[]): WasmCase[] {
  const out: WasmCase[] = [];
  for (const name of ['mnist-10k', 'glove-100d-10k']) {
    const t = readTsv(name);
    if (t) out.push({ name, t, knnQueries: null });
    else skipped.push(`wasm: ${name} missing in ${SHARED_DATA}`);
  }
  out.push({ name: 'clusters-100k-50d', t: gaussianClusters(100_000, 50, 20, 7), knnQueries: quick ? 500 : 2000 });
  return out;
}

/** mnist-10k's t-SNE layouts after 300 iterations, 2D and 3D: what the repulsion meets mid-run. */
function layoutCases(all: WasmCase[], quick: boolean): LayoutCase[] {
  const mnist = all.find((c) => c.name === 'mnist-10k');
  if (!mnist) return [];
  const P = tsneAffinities(knnGraph(mnist.t, 90, 'cosine', { seed: 1 }), 30);
  const U = upperTriangle(P);
  return ([2, 3] as const).map((dim) => {
    const tsne = new Tsne(P, { dim, perplexity: 30, learningRate: 'auto', iterations: quick ? 150 : 300, theta: 0.5, seed: 1 });
    while (!tsne.done) tsne.step();
    return { name: `mnist-10k t-SNE ${quick ? 150 : 300} iterations`, n: mnist.t.n, dim, Y: Float64Array.from(tsne.positions()), U };
  });
}

/** The page: the same measureWasm, bundled, reading the tensors as raw Float32 files. */
async function measureInChromium(all: WasmCase[], layouts: LayoutCase[], queryRuns: number, log: (line: string) => void): Promise<WasmFigure[] | null> {
  mkdirSync(PAGE, { recursive: true });
  const manifest = all.map(({ name, t, knnQueries }, i) => {
    writeFileSync(path.join(PAGE, `t${i}.f32`), new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    return { name, n: t.n, d: t.d, knnQueries, file: `t${i}.f32` };
  });
  const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const layoutManifest = layouts.map(({ name, n, dim, Y, U }, i) => {
    writeFileSync(path.join(PAGE, `y${i}.f64`), bytesOf(Y));
    writeFileSync(path.join(PAGE, `u${i}.ptr`), bytesOf(U.rowPtr));
    writeFileSync(path.join(PAGE, `u${i}.col`), bytesOf(U.cols));
    writeFileSync(path.join(PAGE, `u${i}.val`), bytesOf(U.vals));
    return { name, n, dim, file: `y${i}.f64`, u: `u${i}` };
  });
  writeFileSync(path.join(PAGE, 'manifest.json'), JSON.stringify({ tensors: manifest, layouts: layoutManifest }));
  const entry = `
    import { measureWasm } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'bench/wasm-cases.ts')).pathname)};
    const w = window;
    w.runWasmBench = async (queryRuns) => {
      const manifest = await (await fetch('manifest.json')).json();
      const cases = [];
      for (const m of manifest.tensors) {
        const data = new Float32Array(await (await fetch(m.file)).arrayBuffer());
        cases.push({ name: m.name, t: { data, n: m.n, d: m.d }, knnQueries: m.knnQueries });
      }
      const layouts = [];
      for (const m of manifest.layouts) {
        const get = async (f) => (await fetch(f)).arrayBuffer();
        const U = { n: m.n, rowPtr: new Int32Array(await get(m.u + '.ptr')), cols: new Int32Array(await get(m.u + '.col')), vals: new Float32Array(await get(m.u + '.val')) };
        layouts.push({ name: m.name, n: m.n, dim: m.dim, Y: new Float64Array(await get(m.file)), U });
      }
      const lines = [];
      return { figures: measureWasm(cases, queryRuns, (l) => lines.push(l), layouts), lines };
    };`;
  const esbuild = await import('esbuild');
  await esbuild.build({
    stdin: { contents: entry, resolveDir: ROOT, loader: 'js' }, bundle: true, format: 'esm', outfile: path.join(PAGE, 'page.js'),
    platform: 'browser', logLevel: 'silent',
  });
  writeFileSync(path.join(PAGE, 'index.html'), '<!doctype html><meta charset="utf-8"><title>wasm bench</title><script type="module" src="page.js"></script>\n');
  const { url, server } = await startStaticServer({ '/': PAGE });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => log(`wasm page error: ${e.message}`));
    page.on('console', (m) => log(`wasm page console: ${m.text()}`));
    await page.goto(new URL('index.html', url).href);
    await page.waitForFunction(() => 'runWasmBench' in window);
    log(`wasm: ${await browser.version()} running…`);
    const r = await page.evaluate(
      (runs) => (window as unknown as { runWasmBench(r: number): Promise<{ figures: WasmFigure[] | null; lines: string[] }> }).runWasmBench(runs),
      queryRuns,
    );
    for (const l of r.lines) log(`chromium ${l}`);
    return r.figures;
  } finally {
    await browser.close();
    server.close();
  }
}

function toRows(env: string, figures: WasmFigure[]): Row[] {
  return figures.map((f) => ({
    section: 'wasm',
    case: `${env}: ${f.dataset}, ${f.figure}`,
    oursMs: f.wasmMs,
    baselineMs: f.jsMs,
    speedup: f.jsMs / f.wasmMs,
    runs: { ours: f.runs, baseline: f.runs },
    notes: `ours = WASM SIMD, baseline = JS kernel; ${f.identical ? 'identical results' : 'RESULTS DIFFER'}; ${f.notes}`,
    extra: { env, identical: f.identical },
  }));
}

export async function benchWasm(opts: WasmBenchOptions = {}): Promise<Row[]> {
  const { quick = false, log = console.log, skipped = [] } = opts;
  const all = cases(quick, skipped);
  const queryRuns = quick ? 5 : 15;
  const rows: Row[] = [];
  log('wasm: mnist-10k t-SNE layouts for the repulsion…');
  const layouts = layoutCases(all, quick);
  const node = measureWasm(all, queryRuns, (l) => log(`node ${l}`), layouts);
  if (node) rows.push(...toRows('Node', node));
  else skipped.push('wasm: no WebAssembly SIMD in this Node');
  const page = await measureInChromium(all, layouts, queryRuns, log);
  if (page) rows.push(...toRows('Chromium', page));
  else skipped.push('wasm: no WebAssembly SIMD in Chromium');
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const skipped: string[] = [];
  const rows = await benchWasm({ quick: process.argv.includes('--quick'), skipped });
  for (const r of rows) console.log(`${r.case}: wasm ${r.oursMs.toFixed(2)} ms, js ${r.baselineMs.toFixed(2)} ms, ${r.speedup.toFixed(2)}x; ${r.notes}`);
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify({ ...runInfo(process.argv.includes('--quick')), rows, skipped }, null, 2) + '\n');
}
