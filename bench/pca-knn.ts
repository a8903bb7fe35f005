/**
 * Neighbours on the top principal components ('pca-knn'; `npm run bench -- --only=pca-knn`): the
 * approximate graph searched among the top 64 components (the default for d > 128; candidates
 * re-ranked by exact distances in all dimensions) against the same search in all dimensions, on
 * mnist-10k (784-d) and GloVe 10k (100-d, where the default searches all dimensions: the
 * projection onto 50 components is shown for context). For each: the graph's time, recall@15
 * against the exact neighbours, and the 10-NN preservation of a UMAP 2D layout (200 epochs, seed 1)
 * built from that graph, against the exact neighbours. The bar: recall >= 0.90 and preservation
 * within 5% of the full-space graph's.
 */
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VectorsTsvParser } from '../src/data/vectors-tsv';
import type { Tensor } from '../src/data/types';
import { neighbourPreservation } from '../src/reduce/embedding-quality';
import { approxSearch, type ApproxTuning } from '../src/reduce/knn/approx/approx';
import { knnExact, knnRecall, type KnnGraph } from '../src/reduce/knn/knn';
import { Umap } from '../src/reduce/umap/umap';
import type { Row } from './common';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const K = 15;

function read(file: string): Tensor {
  const parser = new VectorsTsvParser(path.basename(file), null);
  parser.push(new Uint8Array(readFileSync(file)));
  const { data, n, d } = parser.finish();
  return { data, n, d };
}

function graph(t: Tensor, tuning: Partial<ApproxTuning>): { g: KnnGraph; ms: number; dims: number } {
  const t0 = performance.now();
  const r = approxSearch(t, K, 'cosine', 42, () => {}, tuning);
  return { g: { n: t.n, k: K, metric: 'cosine', indices: r.indices, distances: r.distances }, ms: performance.now() - t0, dims: r.dims };
}

function preservation(g: KnnGraph, exact: KnnGraph): number {
  const u = new Umap(g, { dim: 2, nNeighbors: K, minDist: 0.1, epochs: 200, seed: 1 });
  u.step(u.totalEpochs);
  return neighbourPreservation(exact.indices, exact.k, u.positions(), g.n, 2, 10);
}

export function benchPcaKnn(opts: { skipped: string[]; log?: (line: string) => void }): Row[] {
  const log = opts.log ?? ((line: string) => console.log(line));
  const rows: Row[] = [];
  const sets = [
    { name: 'mnist-10k', file: path.resolve(ROOT, '../shared/data/mnist-10k/tensors.tsv'), projected: {} as Partial<ApproxTuning>, label: 'top 64 PCs (default for d > 128)' },
    { name: 'GloVe 10k', file: path.resolve(ROOT, 'public/data/glove-100d-10k/tensors.tsv'), projected: { projectAbove: 0, dims: 50, minVariance: 0 }, label: 'top 50 PCs (forced; the default searches all 100 dims)' },
  ];
  for (const s of sets) {
    if (!existsSync(s.file)) {
      opts.skipped.push(`pca-knn: ${s.file} missing`);
      continue;
    }
    const t = read(s.file);
    log(`pca-knn ${s.name}: exact graph…`);
    const exact = knnExact(t, K, 'cosine');
    const pc = graph(t, s.projected);
    const full = graph(t, { projectAbove: Infinity });
    const rPc = knnRecall(pc.g, exact);
    const rFull = knnRecall(full.g, exact);
    log(`pca-knn ${s.name}: layouts…`);
    const pPc = preservation(pc.g, exact);
    const pFull = preservation(full.g, exact);
    const within = Math.abs(pPc - pFull) / pFull;
    log(`pca-knn ${s.name}: ${pc.dims} dims ${pc.ms.toFixed(0)} ms recall ${rPc.toFixed(3)} pres ${pPc.toFixed(3)}; full ${full.ms.toFixed(0)} ms recall ${rFull.toFixed(3)} pres ${pFull.toFixed(3)}`);
    rows.push({
      section: 'pca-knn',
      case: `${s.name} ${t.n}x${t.d} neighbour graph k=15 cosine: ${s.label} vs all dimensions`,
      oursMs: pc.ms,
      baselineMs: full.ms,
      speedup: full.ms / pc.ms,
      runs: { ours: 1, baseline: 1 },
      notes: `searched in ${pc.dims} dims; recall@15 ${rPc.toFixed(3)} vs ${rFull.toFixed(3)}; UMAP 2D 10-NN preservation ${pPc.toFixed(3)} vs ${pFull.toFixed(3)} (${(within * 100).toFixed(1)}% apart); bar: recall >= 0.90, preservation within 5%: ${rPc >= 0.9 && within <= 0.05 ? 'met' : 'not met'}`,
      extra: { recall: rPc, recallFull: rFull, preservation: pPc, preservationFull: pFull, dims: pc.dims },
    });
  }
  return rows;
}
