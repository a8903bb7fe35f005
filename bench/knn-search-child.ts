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
import { rowsOf } from '../src/reduce/knn/metric';
import { timedSearch } from './knn-search-timed';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const k = Number(process.argv[2]);
const threads = Number(process.argv[3]);
const parser = new VectorsTsvParser('tensors.tsv', null);
parser.push(new Uint8Array(readFileSync(path.resolve(ROOT, '../shared/data/mnist-10k/tensors.tsv'))));
const t = parser.finish();
// Compressed as the page's parser hands them over (mostly-zero rows): the search then skips that.
const compressed = rowsOf(t).csr;
const { ms } = await timedSearch(t, compressed, k, threads);
console.log(JSON.stringify({ ms }));
