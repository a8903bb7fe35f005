/**
 * One reader in its own process, so its peak memory is its own: prints JSON with the median
 * parse time (bytes in memory -> Float32Array + metadata) and the process's peak RSS over the
 * RSS it had with the file's bytes loaded.
 *   tsx bench/tables-child.ts hyparquet|hyparquet-general|parquet-wasm|tsv <file> <runs>
 * `hyparquet` is what the app runs (the vector page by page); `hyparquet-general` forces the
 * general path (one JS array per row), as the app read Parquet before.
 */
import { readFileSync } from 'node:fs';
import { readParquet } from '../src/data/tables/parquet';
import { readTable } from '../src/data/tables/read-table';
import { VectorsTsvParser } from '../src/data/vectors-tsv';

const [lib, file, runsArg] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(file));
const runs = Number(runsArg) || 1;

let parse: () => Promise<{ n: number; d: number; first: number }>;
if (lib === 'tsv') {
  parse = async () => {
    const p = new VectorsTsvParser('bench.tsv', null);
    // Fed in 1 MiB chunks, as the worker streams a download.
    for (let at = 0; at < bytes.length; at += 1 << 20) p.push(bytes.subarray(at, at + (1 << 20)));
    const t = p.finish();
    return { n: t.n, d: t.d, first: t.data[0] };
  };
} else if (lib === 'parquet-wasm') {
  const pw = await import('parquet-wasm');
  parse = async () => {
    // parquet-wasm decodes to Arrow IPC; apache-arrow (our Arrow path) reads that into the tensor.
    const ipc = pw.readParquet(bytes).intoIPCStream();
    const t = await readTable(ipc, 'bench.arrows');
    return { n: t.n, d: t.d, first: t.data[0] };
  };
} else if (lib === 'hyparquet-general') {
  parse = async () => {
    const t = await readParquet(bytes, 'bench.parquet', {}, { vector: 'general' });
    return { n: t.n, d: t.d, first: t.data[0] };
  };
} else {
  parse = async () => {
    const t = await readTable(bytes, 'bench.parquet');
    return { n: t.n, d: t.d, first: t.data[0] };
  };
}

const rssBefore = process.memoryUsage().rss;
const times: number[] = [];
let result = { n: 0, d: 0, first: 0 };
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  result = await parse();
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const peakRss = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ lib, medianMs: times[Math.floor(times.length / 2)], times, peakOverBytes: peakRss - rssBefore, ...result }));
