/**
 * Tables: Parquet readers compared on a 100,000 x 384 float32 list column plus a label column
 * (what sentence-transformers' all-MiniLM-L6-v2 embeddings look like), beside the same data as
 * TSV through our VectorsTsvParser. Each reader runs in its own process for a fair peak memory.
 * Bundle size: what each reader adds to a minified build of the parse worker.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Field, Float32, List, makeData, makeVector, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import type { Row } from './common';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const N = 100_000;
const D = 384;

interface ChildResult { lib: string; medianMs: number; times: number[]; peakOverBytes: number; n: number; d: number; first: number }

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

export async function makeFiles(dir: string, n: number): Promise<{ parquet: string; tsv: string }> {
  const parquet = path.join(dir, `table-${n}x${D}.parquet`);
  const tsv = path.join(dir, `table-${n}x${D}.tsv`);
  if (existsSync(parquet) && existsSync(tsv)) return { parquet, tsv };
  const rand = seeded(7);
  const values = new Float32Array(n * D);
  for (let i = 0; i < values.length; i++) values[i] = Math.round(rand() * 1e4) / 1e4;
  const offsets = Int32Array.from({ length: n + 1 }, (_, i) => i * D);
  const listType = new List(new Field('item', new Float32(), false));
  const embedding = makeVector(makeData({ type: listType, length: n, nullCount: 0, valueOffsets: offsets, child: makeData({ type: new Float32(), length: values.length, data: values }) }));
  const labels = Array.from({ length: n }, (_, i) => `class-${i % 10}`);
  const table = new Table({ embedding, label: vectorFromArray(labels, new Utf8()) });
  // Written by parquet-wasm's writer (snappy, as pyarrow and DuckDB write by default).
  const pw = await import('parquet-wasm');
  const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).build();
  writeFileSync(parquet, pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), props));
  // In slices of rows: the whole TSV is longer than a JavaScript string may be.
  const fd = openSync(tsv, 'w');
  for (let start = 0; start < n; start += 1000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) lines.push(Array.from(values.subarray(i * D, (i + 1) * D)).join('\t'));
    writeSync(fd, `${lines.join('\n')}\n`);
  }
  closeSync(fd);
  return { parquet, tsv };
}

function runChild(lib: string, file: string, runs: number): ChildResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/tables-child.ts'), lib, file, String(runs)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

/** Minified (and gzipped) bytes of a worker-like entry that uses the reader, wasm included. */
async function bundleBytes(entry: string): Promise<{ js: number; gzip: number }> {
  const esbuild = await import('esbuild');
  const r = await esbuild.build({ stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' }, bundle: true, minify: true, format: 'esm', write: false, platform: 'browser', logLevel: 'silent' });
  const js = r.outputFiles[0].contents;
  return { js: js.length, gzip: gzipSync(js).length };
}

export async function benchTables(opts: { quick: boolean; skipped: string[] }): Promise<Row[]> {
  let hasWasm = true;
  try {
    await import('parquet-wasm');
  } catch {
    hasWasm = false;
  }
  if (!hasWasm) {
    opts.skipped.push('tables: parquet-wasm (a dev dependency) is not installed');
    return [];
  }
  const n = opts.quick ? 10_000 : N;
  const dir = path.join(os.tmpdir(), 'projector-bench-tables');
  mkdirSync(dir, { recursive: true });
  console.log(`tables: writing ${n} x ${D} Parquet and TSV in ${dir}…`);
  const files = await makeFiles(dir, n);
  const runs = opts.quick ? 1 : 3;
  const hy = runChild('hyparquet', files.parquet, runs);
  // The general path once: it is the slow one, kept in the table as the figure before.
  const general = runChild('hyparquet-general', files.parquet, 1);
  const pw = runChild('parquet-wasm', files.parquet, runs);
  const tsv = runChild('tsv', files.tsv, runs);
  for (const r of [hy, general, pw, tsv]) if (r.n !== n || r.d !== D) throw new Error(`tables: ${r.lib} read ${r.n} x ${r.d}`);
  for (const r of [general, pw, tsv]) if (r.first !== hy.first) throw new Error(`tables: ${r.lib} read ${r.first} first, not ${hy.first}`);

  const hyBundle = await bundleBytes(`import { readParquet } from './src/data/tables/parquet'; export { readParquet };`);
  const pwJs = await bundleBytes(`import init, { readParquet } from 'parquet-wasm/esm'; export { init, readParquet };`);
  const wasm = statSync(path.join(ROOT, 'node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm')).size;
  const wasmGzip = gzipSync(readFileSync(path.join(ROOT, 'node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm'))).length;
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
  const pqBytes = statSync(files.parquet).size;
  const tsvBytes = statSync(files.tsv).size;
  const row = (name: string, r: ChildResult, extra: Record<string, unknown>, notes: string): Row => ({
    section: 'tables',
    case: `${name}, ${n} x ${D} + label`,
    oursMs: r.medianMs,
    baselineMs: tsv.medianMs,
    speedup: tsv.medianMs / r.medianMs,
    runs: { ours: r.times.length, baseline: tsv.times.length },
    notes,
    extra: { peakBytesOverFile: r.peakOverBytes, baselinePeakBytesOverFile: tsv.peakOverBytes, fileBytes: pqBytes, tsvBytes, ...extra },
  });
  return [
    row('Parquet via hyparquet, vector page by page (kept)', hy, { bundle: hyBundle }, `peak +${mb(hy.peakOverBytes)} (TSV +${mb(tsv.peakOverBytes)}); bundle ${kb(hyBundle.js)} (${kb(hyBundle.gzip)} gzip); file ${mb(pqBytes)} vs TSV ${mb(tsvBytes)}`),
    row('Parquet via hyparquet, general path (before)', general, { bundle: hyBundle }, `peak +${mb(general.peakOverBytes)}; one JS array per row, then copied`),
    row('Parquet via parquet-wasm', pw, { bundle: { js: pwJs.js + wasm, gzip: pwJs.gzip + wasmGzip, wasm } }, `peak +${mb(pw.peakOverBytes)}; bundle ${kb(pwJs.js + wasm)} incl. ${kb(wasm)} wasm (${kb(pwJs.gzip + wasmGzip)} gzip); needs 'wasm-unsafe-eval' in the CSP`),
  ];
}
