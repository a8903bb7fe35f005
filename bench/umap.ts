/**
 * UMAP bench section: our typed-array UMAP (src/reduce/umap) against umap-js 1.4, same machine,
 * same run. benchUmap() returns bench rows (bench/common's Row); bench/run.ts wires it.
 *
 *   (1) scale: 100 000 x 50 seeded Gaussian clusters -> 2D (200 epochs, auto), graph from
 *       knnGraph; wall time and peak memory (no baseline: umap-js would need hours);
 *   (2) mnist-10k -> 3D end to end: knnGraph + UMAP with the default 500 epochs, against
 *       umap-js's own `new UMAP({ nComponents: 3 }).fit(rows)` (its NN-descent, 200 epochs);
 *   (3) mnist-10k optimizer alone, both from the same precomputed graph and 200 epochs (umap-js's
 *       default at this size): Umap constructor + step(200) against umap-js setPrecomputedKNN +
 *       initializeFit + 200 step().
 * Quality beside each layout: 10-NN preservation (share of each point's 10 nearest neighbours in
 * the 784-D pixels, exact, kept among its 10 nearest in the layout) and leave-one-out 10-NN
 * digit accuracy in the layout.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UMAP } from 'umap-js';
import { VectorsTsvParser } from '../src/data/vectors-tsv';
import type { Tensor } from '../src/data/types';
import { knnLabelAccuracy, neighbourPreservation } from '../src/reduce/embedding-quality';
import { knnExact, knnGraph } from '../src/reduce/knn/knn';
import { createRandom } from '../src/reduce/random';
import { Umap, type UmapParams } from '../src/reduce/umap/umap';
import type { Row } from './common';
import { withSelf } from '../tests/unit/umap-helpers';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED_DATA = path.resolve(ROOT, '../shared/data');
const SEED = 1;

export interface UmapBenchOptions {
  /** Run umap-js's own fit() on mnist-10k (about a minute). Default true. */
  umapJsFit?: boolean;
  /** Run the 100 000 x 50 case. Default true. */
  scale?: boolean;
  /** Why a section was skipped gets pushed here. */
  skipped?: string[];
  /** Progress lines. Default console.log. */
  log?: (line: string) => void;
}

export function benchUmap(opts: UmapBenchOptions = {}): Row[] {
  const log = opts.log ?? ((line: string) => console.log(line));
  const skip = (why: string) => {
    log(why);
    opts.skipped?.push(why);
  };
  const rows: Row[] = [];
  // First, so that the process's peak RSS is (mostly) this case's own.
  if (opts.scale ?? true) rows.push(benchScale(log));
  const tensorPath = path.join(SHARED_DATA, 'mnist-10k', 'tensors.tsv');
  if (!existsSync(tensorPath)) {
    skip(`${SHARED_DATA} (mnist-10k) is missing: UMAP mnist sections skipped`);
    return rows;
  }
  rows.push(...benchMnist(log, opts.umapJsFit ?? true, skip));
  return rows;
}

// ---------------------------------------------------------------------------------------------
// (1) Scale

/** n points in d dimensions around `clusters` centres (N(0, 3^2) per coordinate), unit noise. */
export function gaussianClusters(n: number, d: number, clusters: number, seed: number): { t: Tensor; labels: Int32Array } {
  const rng = createRandom(seed);
  const centres = Float64Array.from({ length: clusters * d }, () => 3 * rng.gaussian());
  const data = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rng.next() * clusters);
    labels[i] = c;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j] + rng.gaussian();
  }
  return { t: { data, n, d }, labels };
}

function benchScale(log: (line: string) => void): Row {
  const n = 100_000;
  const d = 50;
  const { t, labels } = gaussianClusters(n, d, 20, SEED);
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  const sample = () => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss));
  log(`umap scale: knnGraph of ${n} x ${d}…`);
  const t0 = performance.now();
  const graph = knnGraph(t, 15, 'euclidean', { seed: SEED });
  const t1 = performance.now();
  sample();
  const umap = new Umap(graph, { dim: 2, nNeighbors: 15, minDist: 0.1, epochs: 'auto', seed: SEED });
  const t2 = performance.now();
  sample();
  log(`umap scale: ${umap.totalEpochs} epochs over ${umap.edges} edges…`);
  while (!umap.done) {
    umap.step(10);
    sample();
  }
  const t3 = performance.now();
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const accuracy = sampledLabelAccuracy(umap.positions(), n, 2, labels, 2000, 10);
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
  return {
    section: 'umap',
    case: `synthetic ${n}x${d} (20 Gaussian clusters) -> 2D, ${umap.totalEpochs} epochs (auto), graph + optimizer`,
    oursMs: t3 - t0,
    baselineMs: NaN,
    speedup: NaN,
    runs: { ours: 1, baseline: 0 },
    notes: `knnGraph ${s(t1 - t0)}, fuzzy set ${s(t2 - t1)}, SGD ${s(t3 - t2)}; peak RSS ${mb(maxRss)} (+${mb(rssPeak - rssStart)} during UMAP); 10-NN cluster accuracy ${accuracy.toFixed(3)} (2000-point sample)`,
    extra: {
      graphMs: t1 - t0,
      fuzzyMs: t2 - t1,
      sgdMs: t3 - t2,
      edges: umap.edges,
      processPeakRssBytes: maxRss,
      rssIncreaseBytes: rssPeak - rssStart,
      clusterAccuracySample: accuracy,
    },
  };
}

/** 10-NN label accuracy of `sampleSize` seeded points against all n (brute force on the sample only). */
function sampledLabelAccuracy(pos: Float32Array, n: number, dim: number, labels: Int32Array, sampleSize: number, k: number): number {
  const rng = createRandom(SEED + 1);
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  let right = 0;
  for (let s = 0; s < sampleSize; s++) {
    const i = Math.floor(rng.next() * n);
    bestD.fill(Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let d2 = 0;
      for (let c = 0; c < dim; c++) {
        const v = pos[i * dim + c] - pos[j * dim + c];
        d2 += v * v;
      }
      if (d2 >= bestD[k - 1]) continue;
      let p = k - 1;
      for (; p > 0 && bestD[p - 1] > d2; p--) {
        bestD[p] = bestD[p - 1];
        bestI[p] = bestI[p - 1];
      }
      bestD[p] = d2;
      bestI[p] = j;
    }
    let same = 0;
    for (let r = 0; r < k; r++) if (labels[bestI[r]] === labels[i]) same++;
    if (same * 2 > k) right++;
  }
  return right / sampleSize;
}

// ---------------------------------------------------------------------------------------------
// (2), (3) mnist-10k

interface Quality {
  preservation: number;
  accuracy: number;
}

function benchMnist(log: (line: string) => void, runFit: boolean, skip: (why: string) => void): Row[] {
  const t = loadTensor(path.join(SHARED_DATA, 'mnist-10k', 'tensors.tsv'), [10000, 784]);
  const labels = Int32Array.from(
    readFileSync(path.join(SHARED_DATA, 'mnist-10k', 'metadata.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== ''),
    (l) => Number(l.trim()),
  );
  const params: UmapParams = { dim: 3, nNeighbors: 15, minDist: 0.1, epochs: 'auto', seed: SEED };

  log('umap mnist: knnGraph (k = 15)…');
  const t0 = performance.now();
  const graph = knnGraph(t, 15, 'euclidean', { seed: SEED });
  const t1 = performance.now();
  const ours = new Umap(graph, params);
  const t2 = performance.now();
  log(`umap mnist: ours, ${ours.totalEpochs} epochs…`);
  ours.step(ours.totalEpochs);
  const t3 = performance.now();

  log('umap mnist: exact 10-NN in 784-D (quality reference, not timed)…');
  const truth = knnExact(t, 10, 'euclidean');
  const quality = (layout: Float32Array): Quality => ({
    preservation: neighbourPreservation(truth.indices, truth.k, layout, t.n, 3, 10),
    accuracy: knnLabelAccuracy(layout, t.n, 3, labels, 10),
  });
  const qOurs = quality(ours.positions());

  // (3) optimizer alone, equal epochs
  const epochs = 200;
  log(`umap mnist: ours from the graph, ${epochs} epochs…`);
  const o0 = performance.now();
  const ours200 = new Umap(graph, { ...params, epochs });
  ours200.step(epochs);
  const o1 = performance.now();
  const qOurs200 = quality(ours200.positions());

  log(`umap mnist: umap-js from the same graph (setPrecomputedKNN), ${epochs} epochs…`);
  const rowsX = rowsOf(t);
  const ref = new UMAP({ nComponents: 3, nNeighbors: 15, nEpochs: epochs, random: createRandom(SEED).next });
  const knn = withSelf(graph, 14);
  const r0 = performance.now();
  ref.setPrecomputedKNN(knn.indices, knn.distances);
  const refEpochs = ref.initializeFit(rowsX);
  const r1 = performance.now();
  for (let e = 0; e < refEpochs; e++) ref.step();
  const r2 = performance.now();
  const qRef = quality(flatten(ref.getEmbedding()));

  const rows: Row[] = [];
  const fmtQ = (q: Quality) => `${q.preservation.toFixed(3)} / ${q.accuracy.toFixed(3)}`;

  // (2) end to end
  if (runFit) {
    log('umap mnist: umap-js new UMAP({ nComponents: 3 }).fit(rows) (about a minute)…');
    const f0 = performance.now();
    const fit = new UMAP({ nComponents: 3, random: createRandom(SEED).next }).fit(rowsX);
    const f1 = performance.now();
    const qFit = quality(flatten(fit));
    rows.push({
      section: 'umap',
      case: `mnist-10k ${t.n}x${t.d} -> 3D end to end: knnGraph + ${ours.totalEpochs} epochs (auto) vs umap-js fit() (own kNN, 200 epochs)`,
      oursMs: t3 - t0,
      baselineMs: f1 - f0,
      speedup: (f1 - f0) / (t3 - t0),
      runs: { ours: 1, baseline: 1 },
      notes: `knnGraph ${s(t1 - t0)} + fuzzy set ${s(t2 - t1)} + SGD ${s(t3 - t2)}; 10-NN preservation / 10-NN digit accuracy: ours ${fmtQ(qOurs)}, umap-js ${fmtQ(qFit)}`,
      extra: {
        graphMs: t1 - t0,
        fuzzyMs: t2 - t1,
        sgdMs: t3 - t2,
        epochs: ours.totalEpochs,
        edges: ours.edges,
        ours: qOurs,
        umapJsFit: qFit,
      },
    });
    // Like against like: umap-js fit() runs 200 epochs at 10k; ours end to end at 200 too.
    const ours200Ms = t1 - t0 + (o1 - o0);
    rows.push({
      section: 'umap',
      case: `mnist-10k ${t.n}x${t.d} -> 3D end to end at equal epochs (${epochs}): knnGraph + Umap vs umap-js fit()`,
      oursMs: ours200Ms,
      baselineMs: f1 - f0,
      speedup: (f1 - f0) / ours200Ms,
      runs: { ours: 1, baseline: 1 },
      notes: `knnGraph ${s(t1 - t0)} + fuzzy set and ${epochs} epochs ${s(o1 - o0)}; 10-NN preservation / digit accuracy: ours ${fmtQ(qOurs200)}, umap-js ${fmtQ(qFit)}`,
      extra: { graphMs: t1 - t0, optimizerMs: o1 - o0, ours: qOurs200, umapJsFit: qFit },
    });
  } else {
    skip('umap-js fit() on mnist-10k skipped (umapJsFit: false)');
    rows.push({
      section: 'umap',
      case: `mnist-10k ${t.n}x${t.d} -> 3D end to end: knnGraph + ${ours.totalEpochs} epochs (auto)`,
      oursMs: t3 - t0,
      baselineMs: NaN,
      speedup: NaN,
      runs: { ours: 1, baseline: 0 },
      notes: `knnGraph ${s(t1 - t0)} + fuzzy set ${s(t2 - t1)} + SGD ${s(t3 - t2)}; 10-NN preservation / digit accuracy ${fmtQ(qOurs)}; umap-js fit() skipped`,
      extra: { graphMs: t1 - t0, fuzzyMs: t2 - t1, sgdMs: t3 - t2, ours: qOurs },
    });
  }

  rows.push({
    section: 'umap',
    case: `mnist-10k -> 3D optimizer alone from the same kNN graph, ${epochs} epochs: Umap vs umap-js setPrecomputedKNN`,
    oursMs: o1 - o0,
    baselineMs: r2 - r0,
    speedup: (r2 - r0) / (o1 - o0),
    runs: { ours: 1, baseline: 1 },
    notes: `umap-js initializeFit ${s(r1 - r0)} + ${refEpochs} steps ${s(r2 - r1)}; 10-NN preservation / digit accuracy: ours ${fmtQ(qOurs200)}, umap-js ${fmtQ(qRef)}`,
    extra: {
      epochs,
      umapJsInitMs: r1 - r0,
      umapJsStepsMs: r2 - r1,
      ours: qOurs200,
      umapJsPrecomputed: qRef,
    },
  });
  return rows;
}

function s(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function loadTensor(file: string, shape: [number, number]): Tensor {
  const parser = new VectorsTsvParser(path.basename(file), shape);
  parser.push(new Uint8Array(readFileSync(file)));
  const { data, n, d } = parser.finish();
  return { data, n, d };
}

function rowsOf(t: Tensor): number[][] {
  return Array.from({ length: t.n }, (_, i) => Array.from(t.data.subarray(i * t.d, (i + 1) * t.d)));
}

function flatten(rows: number[][]): Float32Array {
  const dim = rows[0]?.length ?? 0;
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => out.set(r, i * dim));
  return out;
}


/** A seeded stand-in for umap-js's Math.random. */
