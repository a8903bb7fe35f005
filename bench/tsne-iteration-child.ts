/**
 * One t-SNE iteration timing for the 'pool' section, in a process of its own: `node --import tsx
 * bench/tsne-iteration-child.ts <dim> <threads>` prints {"ms": median ms per iteration}. In one
 * process the one-thread figure swung from 12.7 to 18.9 ms an iteration depending on what ran
 * before it (V8's code specialised to earlier callers), as UMAP's epochs did (./umap-epoch-child.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VectorsTsvParser } from '../src/data/vectors-tsv';
import { knnGraph } from '../src/reduce/knn/knn';
import { threadedRepulsion } from '../src/node/repulsion-threads';
import { tsneAffinities } from '../src/reduce/tsne/affinities';
import { Tsne } from '../src/reduce/tsne/tsne';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WARM = 20;
const TIMED = 60;

const dim = Number(process.argv[2]) as 2 | 3;
const threads = Number(process.argv[3]);
const parser = new VectorsTsvParser('tensors.tsv', null);
parser.push(new Uint8Array(readFileSync(path.resolve(ROOT, '../shared/data/mnist-10k/tensors.tsv'))));
const P = tsneAffinities(knnGraph(parser.finish(), 90, 'euclidean', { seed: 1 }), 30);
const pool = threadedRepulsion(P.n, dim, 0.5, threads);
const tsne = new Tsne(P, { dim, perplexity: 30, learningRate: 'auto', iterations: WARM + TIMED, theta: 0.5, seed: 1, repulsion: pool?.pool });
for (let i = 0; i < WARM; i++) tsne.step();
const times: number[] = [];
for (let i = 0; i < TIMED; i++) {
  const t0 = performance.now();
  tsne.step();
  times.push(performance.now() - t0);
}
await pool?.close();
times.sort((a, b) => a - b);
console.log(JSON.stringify({ ms: times[Math.floor(times.length / 2)], warm: WARM, timed: TIMED }));
process.exit(0);
