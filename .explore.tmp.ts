import { readFileSync } from 'node:fs';
import { readTsvTensor } from './tests/unit/reduce-fixtures';
import { exactKnn, umapJsFit, labelKnnAccuracy, flatten, withSelf, rowsOf } from './tests/unit/umap-helpers';
import { Umap } from './src/reduce/umap';
import { fuzzySimplicialSet } from './src/reduce/umap-graph';
import { UMAP } from 'umap-js';

for (const name of ['iris', 'sklearn-digits-8x8']) {
  const t = readTsvTensor(`public/data/${name}/tensors.tsv`);
  const labels = readFileSync(`public/data/${name}/metadata.tsv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]);
  let t0 = performance.now();
  const g = exactKnn(t, 15);
  console.log(name, t.n, 'knn', (performance.now() - t0).toFixed(0));
  // fuzzy graph compare
  const W = fuzzySimplicialSet(g, 15);
  const u = new UMAP({ nNeighbors: 15 });
  const knn = withSelf(g, 14);
  u.setPrecomputedKNN(knn.indices, knn.distances);
  u.initializeFit(rowsOf(t));
  const G = (u as any).graph;
  let maxDiff = 0, count = 0, theirs = 0;
  for (let i = 0; i < t.n; i++) for (let p = W.indptr[i]; p < W.indptr[i + 1]; p++) { count++; maxDiff = Math.max(maxDiff, Math.abs(W.weights[p] - G.get(i, W.indices[p]))); }
  for (const e of G.getAll()) if (e.value > 0) theirs++;
  console.log(' fuzzy nnz ours', count, 'theirs', theirs, 'maxdiff', maxDiff);
  for (const dim of [2, 3] as const) {
    t0 = performance.now();
    const um = new Umap(g, { dim, nNeighbors: 15, minDist: 0.1, epochs: 'auto', seed: 1 });
    const t1 = performance.now();
    um.step(1e9);
    const t2 = performance.now();
    const acc = labelKnnAccuracy(um.positions(), dim, labels);
    t0 = performance.now();
    const ref = umapJsFit(t, g, { nNeighbors: 15, dim, epochs: 500, seed: 1 });
    const t3 = performance.now();
    const accRef = labelKnnAccuracy(flatten(ref.embedding), dim, labels);
    console.log(` dim ${dim}: ours init ${(t1 - t0 + 0).toFixed(0)} opt ${(t2 - t1).toFixed(0)} ms acc ${acc.toFixed(3)} edges ${um.edges}; umap-js ${(t3 - t0).toFixed(0)} ms acc ${accRef.toFixed(3)}`);
  }
}
