/**
 * Barnes-Hut t-SNE bench (wired into `npm run bench` by bench/run.ts). Rows:
 *
 *   affinities   mnist-10k: kNN graph (src/reduce/knn knnGraph on the 784-d pixels, k = 90, as
 *                the app does) and sparse P.
 *   iteration    mnist-10k, theta 0.5: median ms per step() in 2D and 3D, against tsne-js's
 *                (exact O(N^2)) ms per iteration at 1000 points (and 500 in `extra`): a
 *                per-iteration baseline at a tenth of the points, not a like-for-like speedup.
 *   total        1000 iterations in 2D at 10k (step() calls only; the graph and P are the
 *                affinities row), with KL (Barnes-Hut Z), 10-NN preservation against the graph's
 *                first 10 neighbours, and 10-NN label accuracy in the layout.
 *   quality      first 500 sklearn digits, 1000 iterations: KL of our layout and of tsne-js's,
 *                both measured against tsne-js's own P and against the standard P (squared
 *                distances, all pairs); tsne-js once with its defaults (learning rate 1000,
 *                which diverges here) and once with its README's learning rate 100.
 *   synthetic    100,000 x 50 seeded Gaussian clusters: median ms per 2D iteration. Its graph
 *                is exact kNN within each generated cluster (knnExact per cluster; the clusters
 *                are far apart, so this matches the true kNN: recall measured on a sample).
 *
 * Options: quick (300 iterations in 3D, 30 on the synthetic set, tsne-js's KL runs cut to 150
 * iterations): about 4 minutes here instead of 8.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VectorsTsvParser } from '../src/data/vectors-tsv';
import type { Tensor } from '../src/data/types';
import { exactNeighbours, knnLabelAccuracy, neighbourPreservation } from '../src/reduce/embedding-quality';
import { knnExact, knnGraph, type KnnGraph } from '../src/reduce/knn/knn';
import { createRandom } from '../src/reduce/random';
import { Tsne, type TsneParams } from '../src/reduce/tsne/tsne';
import { tsneAffinities, type SparseAffinities } from '../src/reduce/tsne/affinities';
import { denseKl, exactJointProbabilities } from '../src/reduce/tsne/exact';
import type { Row } from './common';
import { runTsneJs } from './tsne-js-reference';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface TsneBenchOptions {
  quick?: boolean;
  /** Folder of the shared datasets (mnist-10k). Default ../shared/data beside the checkout. */
  sharedData?: string;
  /** Reasons for skipped rows are pushed here. */
  skipped?: string[];
  /** Progress lines (the full run takes several minutes). Default console.log. */
  log?: (line: string) => void;
}

const PARAMS: TsneParams = { dim: 2, perplexity: 30, learningRate: 'auto', iterations: 1000, theta: 0.5, seed: 1 };
const K = 90;

export function benchTsne(opts: TsneBenchOptions = {}): Row[] {
  const quick = opts.quick ?? false;
  const log = opts.log ?? ((line: string) => console.log(line));
  const skipped = opts.skipped ?? [];
  const shared = opts.sharedData ?? path.resolve(ROOT, '../shared/data');
  const rows: Row[] = [];

  // tsne-js per-iteration baselines (their P takes a few seconds at 1000 points, not counted).
  const digits = readTensor(path.join(ROOT, 'public/data/sklearn-digits-8x8/tensors.tsv'));
  const mnist2k = readTensor(path.join(ROOT, 'public/data/mnist-2k/tensors.tsv'));
  const baseline: Record<string, number> = {};
  const baselineRuns: Record<string, number> = {};
  for (const dim of [2, 3] as const) {
    for (const n of [500, 1000]) {
      log(`tsne-js: ${n} points (mnist-2k), ${dim}D, 12 iterations…`);
      const r = runTsneJs(firstRows(mnist2k, n), { dim, perplexity: 30, iterations: 1000, seed: 1, stopAfter: 12 });
      baseline[`${dim}d-${n}`] = r.msPerIteration;
      baselineRuns[`${dim}d-${n}`] = r.iterations;
    }
  }

  // Like against like: ours on the same rows, same perplexity, per iteration.
  for (const dim of [2, 3] as const) {
    for (const n of [500, 1000]) {
      const rowsN = firstRows(mnist2k, n);
      const P = tsneAffinities(knnGraph(rowsN, Math.min(K, n - 1), 'euclidean', { seed: 1 }), PARAMS.perplexity);
      const r = timedRun(P, { ...PARAMS, dim, iterations: 300 });
      const base = baseline[`${dim}d-${n}`];
      rows.push({
        section: 'tsne',
        case: `iteration ${dim}D at ${n} points (mnist-2k rows, perplexity 30): ours vs tsne-js, like for like`,
        oursMs: r.medianMs,
        baselineMs: base,
        speedup: base / r.medianMs,
        runs: { ours: 300, baseline: baselineRuns[`${dim}d-${n}`] },
        notes: `ours Barnes-Hut (theta 0.5), median of 300 steps; tsne-js exact, median of ${baselineRuns[`${dim}d-${n}`]}`,
      });
    }
  }

  const mnistPath = path.join(shared, 'mnist-10k/tensors.tsv');
  let mnist: Tensor | null = null;
  try {
    mnist = readTensor(mnistPath);
  } catch {
    skipped.push(`${mnistPath} is missing: t-SNE mnist-10k rows skipped`);
  }
  if (mnist) {
    const labels = readLabels(path.join(shared, 'mnist-10k/metadata.tsv'), false);
    log('mnist-10k: kNN graph (k = 90) and P…');
    let t0 = performance.now();
    const graph = knnGraph(mnist, K, 'euclidean', { seed: 1 });
    const knnMs = performance.now() - t0;
    t0 = performance.now();
    const P = tsneAffinities(graph, PARAMS.perplexity);
    const pMs = performance.now() - t0;
    rows.push({
      section: 'tsne',
      case: `affinities mnist-10k ${mnist.n}x${mnist.d}, perplexity 30 (k = ${K})`,
      oursMs: pMs,
      baselineMs: NaN,
      speedup: NaN,
      runs: { ours: 1, baseline: 0 },
      notes: `sparse P ${P.vals.length} entries; kNN graph (knnGraph, approximate at this size) ${(knnMs / 1000).toFixed(1)} s before it`,
      extra: { knnMs, nnz: P.vals.length },
    });

    for (const dim of [2, 3] as const) {
      const iterations = dim === 2 || !quick ? 1000 : 300;
      log(`mnist-10k: ${iterations} iterations in ${dim}D…`);
      const r = timedRun(P, { ...PARAMS, dim, iterations });
      const base = baseline[`${dim}d-1000`];
      rows.push({
        section: 'tsne',
        // Context, not a speed-up: tsne-js cannot run 10k points; TF's projector takes ~300-500 ms an iteration there.
        case: `iteration ${dim}D mnist-10k (theta 0.5); context: TF's projector ~300-500 ms at 10k, tsne-js at 1000 points`,
        oursMs: r.medianMs,
        baselineMs: NaN,
        speedup: NaN,
        runs: { ours: iterations, baseline: baselineRuns[`${dim}d-1000`] },
        notes: `median of ${iterations} steps (p90 ${r.p90Ms.toFixed(1)} ms); tsne-js ${base.toFixed(0)} ms/it at 1000 points, ${baseline[`${dim}d-500`].toFixed(0)} at 500`,
        extra: {
          meanMs: r.totalMs / iterations,
          p90Ms: r.p90Ms,
          exaggeratedMedianMs: r.exaggeratedMedianMs,
          afterMedianMs: r.afterMedianMs,
          tsneJsMsPerIteration: { 500: baseline[`${dim}d-500`], 1000: base },
        },
      });
      if (dim === 2) {
        const Y = r.tsne.positions();
        const kl = r.tsne.klDivergence();
        const preservation = neighbourPreservation(graph.indices, graph.k, Y, mnist.n, 2, 10);
        const accuracy = labels.length === mnist.n ? knnLabelAccuracy(Y, mnist.n, 2, labels, 10) : NaN;
        rows.push({
          section: 'tsne',
          case: 'total 1000 iterations 2D mnist-10k',
          oursMs: r.totalMs,
          baselineMs: NaN,
          speedup: NaN,
          runs: { ours: 1, baseline: 0 },
          notes: `KL ${kl.toFixed(3)} (Barnes-Hut Z), 10-NN preservation ${pct(preservation)} (vs the kNN graph), 10-NN label accuracy ${pct(accuracy)}; plus ${((knnMs + pMs) / 1000).toFixed(1)} s graph and P`,
          extra: { kl, preservation10: preservation, labelAccuracy10: accuracy, knnMs, affinitiesMs: pMs },
        });
      }
    }
  }

  // KL at 500 points against tsne-js.
  const n500 = firstRows(digits, 500);
  log('sklearn digits 500: ours, 1000 iterations…');
  let t0 = performance.now();
  const g500 = knnExact(n500, K, 'euclidean');
  const ours500 = timedRun(tsneAffinities(g500, 30), PARAMS);
  const ours500Ms = performance.now() - t0;
  const Yours = Float64Array.from(ours500.tsne.positions());
  const standard = exactJointProbabilities(n500, 30);
  const reference10 = exactNeighbours(n500.data, 500, n500.d, 10).indices;
  const digitLabels = readLabels(path.join(ROOT, 'public/data/sklearn-digits-8x8/metadata.tsv'), true).slice(0, 500);
  const quality = (Y: Float64Array) => ({
    preservation10: neighbourPreservation(reference10, 10, Y, 500, 2, 10),
    labelAccuracy10: knnLabelAccuracy(Y, 500, 2, digitLabels, 10),
  });
  const oursQuality = quality(Yours);
  const tsneJsIterations = quick ? 150 : 1000;
  for (const learningRate of [undefined, 100]) {
    const label = learningRate === undefined ? 'defaults (learning rate 1000, exaggeration 4)' : 'learning rate 100';
    log(`sklearn digits 500: tsne-js ${label}, up to ${tsneJsIterations} iterations…`);
    const ref = runTsneJs(n500, { dim: 2, perplexity: 30, iterations: tsneJsIterations, seed: 1, learningRate });
    const kl = {
      oursVsTsneJsP: denseKl(ref.P, Yours, 500, 2),
      tsneJsVsTsneJsP: denseKl(ref.P, ref.Y, 500, 2),
      oursVsStandardP: denseKl(standard, Yours, 500, 2),
      tsneJsVsStandardP: denseKl(standard, ref.Y, 500, 2),
      oursVsOurSparseP: ours500.tsne.klDivergence(),
      tsneJsReported: ref.error,
    };
    const refQuality = quality(ref.Y);
    rows.push({
      section: 'tsne',
      case: `KL 2D sklearn-digits 500 vs tsne-js ${label}`,
      oursMs: ours500Ms,
      baselineMs: ref.totalMs,
      speedup: ref.totalMs / ours500Ms,
      runs: { ours: 1, baseline: 1 },
      notes:
        `KL vs tsne-js's P: ours ${kl.oursVsTsneJsP.toFixed(3)}, tsne-js ${kl.tsneJsVsTsneJsP.toFixed(3)}; ` +
        `vs standard P: ${kl.oursVsStandardP.toFixed(3)} / ${kl.tsneJsVsStandardP.toFixed(3)}; ` +
        `10-NN kept ${pct(oursQuality.preservation10)} / ${pct(refQuality.preservation10)}; tsne-js stopped after ${ref.iterations} it`,
      extra: { kl, ours: oursQuality, tsneJs: refQuality, tsneJsIterations: ref.iterations, tsneJsMsPerIteration: ref.msPerIteration },
    });
  }

  // 100k x 50 synthetic clusters.
  const synthIterations = quick ? 30 : 300;
  log('synthetic 100,000 x 50: data and per-cluster kNN…');
  const synth = gaussianClusters(100_000, 50, 20, 7);
  t0 = performance.now();
  const synthGraph = clusterKnn(synth.t, synth.cluster, 20, K);
  const synthKnnMs = performance.now() - t0;
  const recall = sampleRecall(synth.t, synthGraph, 100, 3);
  t0 = performance.now();
  const synthP = tsneAffinities(synthGraph, 30);
  const synthPMs = performance.now() - t0;
  log(`synthetic 100,000 x 50: ${synthIterations} iterations in 2D…`);
  const s = timedRun(synthP, { ...PARAMS, iterations: synthIterations });
  rows.push({
    section: 'tsne',
    case: 'iteration 2D synthetic 100,000 x 50 (20 Gaussian clusters)',
    oursMs: s.medianMs,
    baselineMs: NaN,
    speedup: NaN,
    runs: { ours: synthIterations, baseline: 0 },
    notes:
      `median of ${synthIterations} steps (p90 ${s.p90Ms.toFixed(0)} ms); P ${(synthPMs / 1000).toFixed(1)} s, ` +
      `per-cluster exact kNN ${(synthKnnMs / 1000).toFixed(1)} s (sampled recall ${pct(recall)})`,
    extra: {
      exaggeratedMedianMs: s.exaggeratedMedianMs,
      afterMedianMs: s.afterMedianMs,
      knnMs: synthKnnMs,
      affinitiesMs: synthPMs,
      sampledRecall: recall,
      nnz: synthP.vals.length,
    },
  });
  return rows;
}

// ---------------------------------------------------------------------------------------------

interface TimedRun {
  tsne: Tsne;
  medianMs: number;
  p90Ms: number;
  totalMs: number;
  /** Median over the exaggerated iterations, and over the ones after (NaN when none). */
  exaggeratedMedianMs: number;
  afterMedianMs: number;
}

function timedRun(P: SparseAffinities, params: TsneParams): TimedRun {
  const tsne = new Tsne(P, params);
  const times: number[] = [];
  const start = performance.now();
  while (!tsne.done) {
    const t0 = performance.now();
    tsne.step();
    times.push(performance.now() - t0);
  }
  const totalMs = performance.now() - start;
  const split = tsne.exaggerationIterations;
  return {
    tsne,
    medianMs: quantile(times, 0.5),
    p90Ms: quantile(times, 0.9),
    totalMs,
    exaggeratedMedianMs: quantile(times.slice(0, split), 0.5),
    afterMedianMs: quantile(times.slice(split), 0.5),
  };
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—';
}

function readTensor(file: string): Tensor {
  const parser = new VectorsTsvParser(path.basename(file), null);
  parser.push(new Uint8Array(readFileSync(file)));
  const { data, n, d } = parser.finish();
  return { data, n, d };
}

/** First column of a metadata TSV as numbers. */
function readLabels(file: string, header: boolean): number[] {
  try {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    return lines.slice(header ? 1 : 0).map((l) => Number(l.split('\t')[0]));
  } catch {
    return [];
  }
}

function firstRows(t: Tensor, n: number): Tensor {
  return { data: t.data.slice(0, n * t.d), n, d: t.d };
}

/** n points in d dimensions around c centres ~ N(0, 4^2) per coordinate, unit spread, seeded. */
function gaussianClusters(n: number, d: number, c: number, seed: number): { t: Tensor; cluster: Int32Array } {
  const rng = createRandom(seed);
  const centres = new Float64Array(c * d);
  for (let e = 0; e < c * d; e++) centres[e] = 4 * rng.gaussian();
  const data = new Float32Array(n * d);
  const cluster = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rng.next() * c);
    cluster[i] = k;
    for (let a = 0; a < d; a++) data[i * d + a] = centres[k * d + a] + rng.gaussian();
  }
  return { t: { data, n, d }, cluster };
}

/** Exact kNN within each cluster (knnExact per cluster), mapped back to global ids. */
function clusterKnn(t: Tensor, cluster: Int32Array, c: number, k: number): KnnGraph {
  const { n, d } = t;
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  for (let q = 0; q < c; q++) {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) if (cluster[i] === q) ids.push(i);
    const sub = new Float32Array(ids.length * d);
    ids.forEach((id, r) => sub.set(t.data.subarray(id * d, (id + 1) * d), r * d));
    const g = knnExact({ data: sub, n: ids.length, d }, k, 'euclidean');
    if (g.k !== k) throw new Error(`cluster ${q} has only ${ids.length} points`);
    ids.forEach((id, r) => {
      for (let s = 0; s < k; s++) {
        indices[id * k + s] = ids[g.indices[r * k + s]];
        distances[id * k + s] = g.distances[r * k + s];
      }
    });
  }
  return { n, k, metric: 'euclidean', indices, distances };
}

/** Share of the true k nearest (brute force over all n) of `samples` random rows found in the graph. */
function sampleRecall(t: Tensor, g: KnnGraph, samples: number, seed: number): number {
  const { n, d, data } = t;
  const rng = createRandom(seed);
  const dist = new Float64Array(n);
  const order = new Int32Array(n);
  let hits = 0;
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(rng.next() * n);
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let a = 0; a < d; a++) {
        const v = data[i * d + a] - data[j * d + a];
        sum += v * v;
      }
      dist[j] = j === i ? Infinity : sum;
      order[j] = j;
    }
    const nearest = Array.from(order).sort((a, b) => dist[a] - dist[b] || a - b).slice(0, g.k);
    const found = new Set(g.indices.subarray(i * g.k, (i + 1) * g.k));
    for (const j of nearest) if (found.has(j)) hits++;
  }
  return hits / (samples * g.k);
}
