import { readFileSync, writeFileSync } from 'node:fs';
import { VectorsTsvParser } from './src/data/vectors-tsv';
import { pca } from './src/reduce/pca';
import { bruteForceKnn, sparseBruteForceKnn } from './bench/umap-knn';
const bytes = new Uint8Array(readFileSync('../shared/data/mnist-10k/tensors.tsv'));
const p = new VectorsTsvParser('t', [10000, 784]); p.push(bytes); const t = p.finish();
let t0 = performance.now();
const pr = pca(t, 50);
console.log('pca', performance.now() - t0);
t0 = performance.now();
const g = bruteForceKnn({ data: pr.projections, n: t.n, d: 50 }, 15);
console.log('knn50', performance.now() - t0);
t0 = performance.now();
const g2 = sparseBruteForceKnn(t, 15);
console.log('knn784 sparse', performance.now() - t0);
writeFileSync('/tmp/u/g50.bin', Buffer.concat([Buffer.from(g.indices.buffer), Buffer.from(g.distances.buffer)]));
writeFileSync('/tmp/u/g784.bin', Buffer.concat([Buffer.from(g2.indices.buffer), Buffer.from(g2.distances.buffer)]));
let rec = 0; for (let i = 0; i < t.n; i++) { const s = new Set(g2.indices.subarray(i*15, i*15+15)); for (let r = 0; r < 15; r++) if (s.has(g.indices[i*15+r])) rec++; }
console.log('recall pca50 vs exact', rec / (t.n * 15));
