/**
 * One UMAP epoch timing for the 'pool' section, in a process of its own: `node --import tsx
 * bench/umap-epoch-child.ts <threads>` prints {"ms": median ms per epoch}. In one process, the
 * configuration measured second ran ~20-30% slower whichever it was (V8's code for the epoch loop
 * specialised to the first one); a page's layout runs in a fresh worker, in one configuration.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VectorsTsvParser } from '../src/data/vectors-tsv';
import { knnGraph } from '../src/reduce/knn/knn';
import { threadedUmap } from '../src/node/repulsion-threads';
import { Umap } from '../src/reduce/umap/umap';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WARM = 10;
const TIMED = 100;

const threads = Number(process.argv[2]);
const parser = new VectorsTsvParser('tensors.tsv', null);
parser.push(new Uint8Array(readFileSync(path.resolve(ROOT, '../shared/data/mnist-10k/tensors.tsv'))));
const graph = knnGraph(parser.finish(), 15, 'cosine', { seed: 1 });
const u = new Umap(graph, { dim: 3, nNeighbors: 15, minDist: 0.1, epochs: 500, seed: 1 });
const pool = threadedUmap(u, threads);
u.step(WARM);
const times: number[] = [];
for (let i = 0; i < TIMED; i++) {
  const t0 = performance.now();
  u.step();
  times.push(performance.now() - t0);
}
await pool.close();
times.sort((a, b) => a - b);
console.log(JSON.stringify({ ms: times[Math.floor(times.length / 2)], warm: WARM, timed: TIMED }));
