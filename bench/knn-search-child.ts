/**
 * One neighbour search in a process of its own, for the 'pool' section: `node --import tsx
 * bench/knn-search-child.ts <k> <threads>` prints {"ms": wall time of the search, plan included}.
 * The process and its helper threads are fresh, as every layout job in the page is: their code is
 * compiled while the search runs, which the section's repeated searches in one process hide.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VectorsTsvParser } from '../src/data/vectors-tsv';
import { DEFAULT_TUNING } from '../src/reduce/knn/approx/approx';
import { searchPool } from '../src/reduce/knn/approx/search-pool';
import { rowsOf } from '../src/reduce/knn/metric';
import { startPoolThreads } from '../src/node/repulsion-threads';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const k = Number(process.argv[2]);
const threads = Number(process.argv[3]);
const parser = new VectorsTsvParser('tensors.tsv', null);
parser.push(new Uint8Array(readFileSync(path.resolve(ROOT, '../shared/data/mnist-10k/tensors.tsv'))));
const t = parser.finish();
// Compressed as the page's parser hands them over (mostly-zero rows): the search then skips that.
const compressed = rowsOf(t).csr;
const t0 = performance.now();
const pool = searchPool(t, k, 'cosine', 42, DEFAULT_TUNING, threads, compressed);
const planMs = performance.now() - t0;
// As in the section: the threads' start is not timed, their first work is.
const stop = await startPoolThreads(pool.shares());
const t1 = performance.now();
pool.run(() => {});
const ms = planMs + performance.now() - t1;
pool.close();
await stop();
console.log(JSON.stringify({ ms }));
