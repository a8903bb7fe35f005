/**
 * `npm run bench`: times our hot paths against a naive or reference baseline measured in the
 * same run, prints a table and writes bench/results/bench.json.
 *
 *   (a) parse of mnist-10k's 23 MB tensors.tsv: VectorsTsvParser fed 64 KiB chunks (what the
 *       browser worker does) vs split('\n') / split('\t') / Number into a Float32Array;
 *   (b) PCA to 3D (10 components computed) of mnist-10k: ours vs ml-pca's `new PCA(matrix)`
 *       (SVD), with the agreement of the top-3 variances and subspace;
 *   (c) quality: 10-NN preservation of PCA's layout (UMAP and t-SNE report theirs in their rows);
 *   (d) the neighbour graph (bench/knn.ts), UMAP (bench/umap.ts) and t-SNE (bench/tsne.ts), each
 *       beside its baseline: exact search, umap-js, tsne-js;
 *   (e) hover picking (bench/pick.ts): the screen-space grid vs a linear scan and kdbush, in Node;
 *   (f) rendering in headless Chromium (bench/render.ts): orbit frames beside a bare THREE.Points
 *       page, picking, hover latency, layout updates, memory at 1M x 50;
 *   (h) label placement (bench/labels.ts): up to 500 text labels on 10k-1M points vs scanning
 *       every placed box;
 *   (g) queries (bench/query.ts): metadata search over 1M rows vs Array.filter, one row's exact
 *       neighbours (mnist-10k, 1M x 50) vs a naive loop + Array.sort;
 *   (i) the same queries in headless Chromium through window.projector (bench/query-browser.ts):
 *       search() over 1M rows to resolve and to the count in the DOM, neighbors() through the
 *       query worker (first call and later ones), each with the longest main-thread task, beside
 *       Array.filter and a naive loop run on the page's main thread;
 *   (j) aligned layouts across training epochs (bench/align.ts): digits-mlp-epochs, PCA 3D, UMAP
 *       and t-SNE 2D, displacement between consecutive titles and 10-NN preservation, aligned
 *       chain vs each title alone;
 *   (k) what a user waits for in headless Chromium (bench/browser.ts): mnist-10k load to the first
 *       PCA view, UMAP 3D end to end and its first layout on screen beside umap-js fit() in Node,
 *       t-SNE 2D 1,000 iterations, and the browser's peak memory for mnist-10k and 1M x 50 beside
 *       the raw tensor size, cross-origin isolated (shared vectors) and not;
 *   (l) thread scaling (bench/pool.ts): t-SNE's repulsion on 1, 2 and 4 threads;
 *   (m) neighbours via the top principal components vs all dimensions (bench/pca-knn.ts): time,
 *       recall@15 and the UMAP layout's 10-NN preservation, mnist-10k and GloVe.
 *
 * Options: --quick runs the ml-pca baseline on mnist-2k instead of mnist-10k and skips the
 * slowest baselines and the 100k cases (render: the 1M and memory cases);
 * --only=parse,pca,knn,umap,tsne,pick,labels,render,query,query-browser,align,pool,pca-knn,browser,tables,wasm picks sections.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PCA } from 'ml-pca';
import { VectorsTsvParser } from '../src/data/vectors-tsv';
import type { Tensor } from '../src/data/types';
import { pca, type PcaResult } from '../src/reduce/pca/pca';
import { principalAngleCosines } from '../tests/unit/reduce-fixtures';
import { neighbourPreservation } from '../src/reduce/embedding-quality';
import { knnExact, knnGraph } from '../src/reduce/knn/knn';
import { layoutFromProjections, normalizeLayout } from '../src/reduce/layout';
import { Umap } from '../src/reduce/umap/umap';
import { measure, runInfo, type Row } from './common';
import { benchAlign } from './align';
import { benchBrowser } from './browser';
import { benchPool } from './pool';
import { benchPcaKnn } from './pca-knn';
import { benchKnn } from './knn';
import { benchPick } from './pick';
import { benchQuery } from './query';
import { benchQueryBrowser } from './query-browser';
import { benchLabels } from './labels';
import { benchRender } from './render';
import { benchTsne } from './tsne';
import { benchUmap } from './umap';
import { benchTables } from './tables';
import { benchWasm } from './wasm';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED_DATA = path.resolve(ROOT, '../shared/data');
const RESULTS = path.join(ROOT, 'bench/results/bench.json');
const CHUNK_BYTES = 64 * 1024;
const PCA_COMPONENTS = 10;
const quick = process.argv.includes('--quick');

// ---------------------------------------------------------------------------------------------
// Data

function datasetPath(name: string, file: string): string {
  return path.join(SHARED_DATA, name, file);
}

/** The config's tensorShape, which the app passes to the parser. */
function configShape(name: string): [number, number] | null {
  const config = JSON.parse(readFileSync(datasetPath(name, 'projector_config.json'), 'utf8')) as {
    embeddings: { tensorShape?: [number, number] }[];
  };
  return config.embeddings[0]?.tensorShape ?? null;
}

function parseOurs(bytes: Uint8Array, shape: [number, number] | null): Tensor {
  const parser = new VectorsTsvParser('tensors.tsv', shape);
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) parser.push(bytes.subarray(at, at + CHUNK_BYTES));
  const { data, n, d } = parser.finish();
  return { data, n, d };
}

function parseNaive(bytes: Uint8Array): Tensor {
  const text = new TextDecoder().decode(bytes);
  const rows = text.split('\n').filter((l) => l !== '').map((l) => l.split('\t').map(Number));
  return rowsToTensor(rows);
}

function rowsToTensor(rows: number[][]): Tensor {
  const n = rows.length;
  const d = rows[0].length;
  const data = new Float32Array(n * d);
  rows.forEach((row, i) => data.set(row, i * d));
  return { data, n, d };
}

function tensorToRows(t: Tensor): number[][] {
  return Array.from({ length: t.n }, (_, i) => Array.from(t.data.subarray(i * t.d, (i + 1) * t.d)));
}

function sameTensor(a: Tensor, b: Tensor): boolean {
  if (a.n !== b.n || a.d !== b.d) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Sections

function benchParse(name: string): { row: Row; tensor: Tensor } {
  const bytes = new Uint8Array(readFileSync(datasetPath(name, 'tensors.tsv')));
  const shape = configShape(name);
  const ours = measure(5, () => parseOurs(bytes, shape));
  const naive = measure(3, () => parseNaive(bytes));
  const mb = bytes.length / 1e6;
  const mbps = (ms: number) => (mb / (ms / 1000)).toFixed(0);
  const same = sameTensor(ours.result, naive.result);
  return {
    tensor: ours.result,
    row: {
      section: 'parse',
      case: `${name} tensors.tsv (${mb.toFixed(1)} MB, ${ours.result.n}x${ours.result.d})`,
      oursMs: ours.medianMs,
      baselineMs: naive.medianMs,
      speedup: naive.medianMs / ours.medianMs,
      runs: { ours: ours.timesMs.length, baseline: naive.timesMs.length },
      notes: `${mbps(ours.medianMs)} vs ${mbps(naive.medianMs)} MB/s; ${same ? 'identical output' : 'OUTPUTS DIFFER'}`,
      extra: {
        bytes: bytes.length,
        oursMBps: mb / (ours.medianMs / 1000),
        baselineMBps: mb / (naive.medianMs / 1000),
        identicalOutput: same,
        chunkBytes: CHUNK_BYTES,
        shapeFromConfig: shape,
      },
    },
  };
}

/** Cosines of the principal angles between our top-m components and ml-pca's. */
function subspaceCosines(r: PcaResult, ref: PCA, d: number, m: number): number[] {
  const U = ref.getEigenvectors();
  const M = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += r.components[a * d + j] * U.get(j, b);
      M[a * m + b] = s;
    }
  }
  return principalAngleCosines(M, m);
}

function benchPca(name: string, t: Tensor): Row {
  const ours = measure(3, () => pca(t, PCA_COMPONENTS));
  const rows = tensorToRows(t);
  const reference = measure(1, () => new PCA(rows));
  const refVariance = reference.result.getEigenvalues();
  const relErrors = [0, 1, 2].map((c) => Math.abs(ours.result.variance[c] - refVariance[c]) / refVariance[c]);
  const cosines = subspaceCosines(ours.result, reference.result, t.d, 3);
  const worstRel = Math.max(...relErrors);
  const worstCosGap = Math.max(0, 1 - Math.min(...cosines));
  return {
    section: 'pca',
    case: `${name} ${t.n}x${t.d} -> 3D (${PCA_COMPONENTS} components)`,
    oursMs: ours.medianMs,
    baselineMs: reference.medianMs,
    speedup: reference.medianMs / ours.medianMs,
    runs: { ours: ours.timesMs.length, baseline: reference.timesMs.length },
    notes: `top-3 variance rel. err ≤ ${worstRel.toExponential(1)}, top-3 subspace 1-cos ≤ ${worstCosGap.toExponential(1)}, ${ours.result.iterations} iterations`,
    extra: {
      oursVarianceTop3: Array.from(ours.result.variance.subarray(0, 3)),
      mlPcaVarianceTop3: refVariance.slice(0, 3),
      relativeErrorsTop3: relErrors,
      subspaceCosinesTop3: cosines,
      iterations: ours.result.iterations,
    },
  };
}

/**
 * ml-pca in its fastest suitable modes for 10 components: the covariance method (d x d
 * eigen-decomposition) and NIPALS with 10 components. The speed-up is stated against the faster.
 */
function benchPcaFastest(name: string, t: Tensor): Row {
  const ours = measure(3, () => pca(t, PCA_COMPONENTS));
  const rows = tensorToRows(t);
  const covariance = measure(1, () => new PCA(rows, { method: 'covarianceMatrix' }));
  const nipals = measure(1, () => new PCA(rows, { method: 'NIPALS', nCompNIPALS: PCA_COMPONENTS }));
  const fastest = Math.min(covariance.medianMs, nipals.medianMs);
  return {
    section: 'pca',
    case: `${name} ${t.n}x${t.d} -> 3D: ours vs ml-pca's fastest mode`,
    oursMs: ours.medianMs,
    baselineMs: fastest,
    speedup: fastest / ours.medianMs,
    runs: { ours: ours.timesMs.length, baseline: 1 },
    notes: `ml-pca covariance method ${covariance.medianMs.toFixed(0)} ms, NIPALS (10 components) ${nipals.medianMs.toFixed(0)} ms`,
    extra: { covarianceMs: covariance.medianMs, nipalsMs: nipals.medianMs },
  };
}

/** Ours alone (no baseline) — the quick run's 10k timing. */
function benchPcaOursOnly(name: string, t: Tensor): Row {
  const ours = measure(3, () => pca(t, PCA_COMPONENTS));
  return {
    section: 'pca',
    case: `${name} ${t.n}x${t.d} -> 3D (${PCA_COMPONENTS} components)`,
    oursMs: ours.medianMs,
    baselineMs: NaN,
    speedup: NaN,
    runs: { ours: ours.timesMs.length, baseline: 0 },
    notes: `ml-pca skipped (--quick); ${ours.result.iterations} iterations`,
    extra: { iterations: ours.result.iterations },
  };
}

// ---------------------------------------------------------------------------------------------
// Output

function printTable(rows: Row[]): void {
  const fmt = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(ms < 100 ? 1 : 0)} ms` : '—');
  const table = rows.map((r) => [
    r.section,
    r.case,
    fmt(r.oursMs),
    fmt(r.baselineMs),
    Number.isFinite(r.speedup) ? `${r.speedup.toFixed(r.speedup < 10 ? 2 : 0)}x` : '—',
    r.notes,
  ]);
  const header = ['section', 'case', 'ours (median)', 'baseline', 'speedup', 'notes'];
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of table) console.log(line(row));
}

function writeResults(rows: Row[], skipped: string[]): void {
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  const json = {
    ...runInfo(quick),
    baselines: {
      parse: "TextDecoder + text.split('\\n').map(l => l.split('\\t').map(Number)) into a Float32Array",
      pca: 'ml-pca new PCA(rows) (SVD)',
      render: 'bare THREE.Points + PointsMaterial page (bench/render-page), same Chromium and canvas',
    },
    skipped,
    rows,
  };
  writeFileSync(RESULTS, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(ROOT, RESULTS)}`);
}

/** 10-NN preservation of PCA's 3D layout, beside which UMAP's and t-SNE's figures read. */
function pcaQuality(t: Tensor): Row {
  const reference = knnExact(t, 10, 'euclidean');
  const r = pca(t, PCA_COMPONENTS, { seed: 42 });
  const layout = layoutFromProjections(r.projections, t.n, r.k, [0, 1, 2]);
  const kept = neighbourPreservation(reference.indices, reference.k, layout, t.n, 3, 10);
  return {
    section: 'quality',
    case: 'mnist-10k PCA 3D: 10-NN preservation',
    oursMs: NaN,
    baselineMs: NaN,
    speedup: NaN,
    runs: { ours: 1, baseline: 0 },
    notes: `${kept.toFixed(3)} of 784-D 10-NN kept (compare the UMAP and t-SNE rows)`,
    extra: { preservation: kept },
  };
}

/**
 * What the layout worker does before its first streamed UMAP layout: the neighbour graph, the
 * fuzzy set, one ~100 ms slice of epochs. Target: on screen within 3 s for mnist-10k.
 */
function umapFirstLayout(t: Tensor): Row {
  const t0 = performance.now();
  const graph = knnGraph(t, 15, 'cosine', { seed: 1 });
  const tGraph = performance.now();
  const umap = new Umap(graph, { dim: 3, nNeighbors: 15, minDist: 0.1, epochs: 'auto', seed: 1 });
  const sliceStart = performance.now();
  while (performance.now() - sliceStart < 100) umap.step();
  normalizeLayout(umap.positions(), t.n, 3);
  const ms = performance.now() - t0;
  return {
    section: 'umap',
    case: 'mnist-10k 3D: first streamed layout (graph + fuzzy set + first 100 ms slice)',
    oursMs: ms,
    baselineMs: NaN,
    speedup: NaN,
    runs: { ours: 1, baseline: 0 },
    notes: `target <= 3000 ms; graph ${(tGraph - t0).toFixed(0)} ms, epochs by then ${umap.epoch}`,
  };
}

/** `--only=parse,pca,knn,umap,tsne,pick,labels,render,query,query-browser,align,pool,pca-knn,browser,tables,wasm` runs just those sections. */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',') ?? null;
const wanted = (section: string) => !only || only.includes(section);

async function main(): Promise<void> {
  const rows: Row[] = [];
  const skipped: string[] = [];
  console.log(`bench: node ${process.version}, ${os.cpus().length} cores${quick ? ', --quick' : ''}\n`);
  // Picking and rendering bring their own (synthetic) data; align its own (public/data).
  const ownData = async () => {
    if (wanted('pick')) rows.push(...(await benchPick(quick)));
    if (wanted('labels')) rows.push(...benchLabels(quick));
    if (wanted('render')) rows.push(...(await benchRender(quick, { skipped })));
    if (wanted('query')) {
      const mnist = datasetPath('mnist-10k', 'tensors.tsv');
      const loadMnist = () => (existsSync(mnist) ? parseOurs(new Uint8Array(readFileSync(mnist)), configShape('mnist-10k')) : null);
      rows.push(...benchQuery({ loadMnist, quick, skipped }));
    }
    if (wanted('query-browser')) rows.push(...(await benchQueryBrowser({ skipped })));
    if (wanted('align')) rows.push(...benchAlign({ quick, skipped }));
    if (wanted('pool')) rows.push(...(await benchPool({ skipped })));
    if (wanted('pca-knn')) rows.push(...benchPcaKnn({ skipped }));
    if (wanted('browser')) rows.push(...(await benchBrowser({ quick, skipped })));
    if (wanted('tables')) rows.push(...(await benchTables({ quick, skipped })));
    if (wanted('wasm')) rows.push(...(await benchWasm({ quick, skipped })));
  };
  if (!['parse', 'pca', 'knn', 'umap', 'tsne'].some(wanted) || !existsSync(datasetPath('mnist-10k', 'tensors.tsv'))) {
    if (['parse', 'pca', 'knn', 'umap', 'tsne'].some(wanted)) {
      const why = `${SHARED_DATA} (mnist-10k) is missing: parse, PCA, kNN, UMAP and t-SNE sections skipped`;
      console.log(why);
      skipped.push(why);
    }
    await ownData();
    if (rows.length) printTable(rows);
    writeResults(rows, skipped);
    return;
  }
  const { row, tensor } = benchParse('mnist-10k');
  if (wanted('parse')) rows.push(row);
  if (!wanted('pca')) {
    // skip
  } else if (quick) {
    rows.push(benchPcaOursOnly('mnist-10k', tensor));
    if (existsSync(datasetPath('mnist-2k', 'tensors.tsv'))) {
      rows.push(benchPca('mnist-2k', parseOurs(new Uint8Array(readFileSync(datasetPath('mnist-2k', 'tensors.tsv'))), null)));
    } else {
      skipped.push('mnist-2k missing: no ml-pca baseline');
    }
  } else {
    console.log('running ml-pca on mnist-10k once (about a minute)…\n');
    rows.push(benchPca('mnist-10k', tensor));
    rows.push(benchPcaFastest('mnist-10k', tensor));
  }
  if (wanted('pca')) rows.push(pcaQuality(tensor));
  if (wanted('knn')) rows.push(...benchKnn(tensor, 'mnist-10k', { scale: !quick }));
  if (wanted('umap')) rows.push(umapFirstLayout(tensor), ...benchUmap({ umapJsFit: !quick, scale: !quick, skipped }));
  if (wanted('tsne')) rows.push(...benchTsne({ quick, skipped }));
  await ownData();
  printTable(rows);
  writeResults(rows, skipped);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
