/**
 * k-NN graph bench section (src/reduce/knn): benchKnn() returns bench rows (bench/common's Row);
 * bench/run.ts wires it.
 *
 *   (1) exact k = 15 cosine on the given tensor: blocked brute force, once — the baseline of
 *       the rows below (its cost does not depend on k: the n^2 d / 2 dot products dominate);
 *   (2) approximate k = 15 cosine (knnApprox: projection, RP trees + NN-descent, exact re-rank),
 *       median of 3, with recall@15 against (1) over all rows;
 *   (3) approximate k = 90 (t-SNE's 3 x perplexity 30), median of 3, with recall@90 against
 *       exact neighbours of 1000 evenly spaced rows;
 *   (4) unless opts.scale is false: 100 000 x 50 seeded Gaussian clusters, euclidean, k = 15,
 *       once: wall time, peak RSS seen during the run, recall@15 on 500 rows. No baseline (brute
 *       force would take minutes).
 */
import type { Tensor } from '../src/data/types';
import { knnApprox, knnExact, knnRecall, type KnnGraph, type Metric } from '../src/reduce/knn/knn';
import { exactSearch } from '../src/reduce/knn/exact';
import { createRandom } from '../src/reduce/random';
import { measure, type Row } from './common';

const SEED = 42;

export interface KnnBenchOptions {
  /** Run the 100 000 x 50 case. Default true. */
  scale?: boolean;
  /** Progress lines. Default console.log. */
  log?: (line: string) => void;
}

export function benchKnn(t: Tensor, name: string, opts: KnnBenchOptions = {}): Row[] {
  const log = opts.log ?? ((line: string) => console.log(line));
  const rows: Row[] = [];
  const shape = `${t.n}x${t.d}`;

  log(`knn: exact k=15 cosine on ${name} (brute force, once)…`);
  const exact = measure(1, () => knnExact(t, 15, 'cosine'));
  const exactMs = exact.medianMs;

  const approx15 = measure(3, () => knnApprox(t, 15, 'cosine', { seed: SEED }));
  const recall15 = knnRecall(approx15.result, exact.result);
  rows.push({
    section: 'knn',
    case: `${name} ${shape} k=15 cosine: approx vs exact`,
    oursMs: approx15.medianMs,
    baselineMs: exactMs,
    speedup: exactMs / approx15.medianMs,
    runs: { ours: 3, baseline: 1 },
    notes: `recall@15 ${recall15.toFixed(4)} (all rows)`,
    extra: { recall: recall15, approxTimesMs: approx15.timesMs, exactMs },
  });

  log('knn: approx k=90…');
  const approx90 = measure(3, () => knnApprox(t, 90, 'cosine', { seed: SEED }));
  const recall90 = sampledRecall(t, approx90.result, 1000);
  rows.push({
    section: 'knn',
    case: `${name} ${shape} k=90 cosine: approx vs exact`,
    oursMs: approx90.medianMs,
    baselineMs: exactMs,
    speedup: exactMs / approx90.medianMs,
    runs: { ours: 3, baseline: 1 },
    notes: `recall@90 ${recall90.toFixed(4)} (1000 rows); baseline = the exact k=15 run (k barely changes its cost)`,
    extra: { recall: recall90, recallRows: 1000, approxTimesMs: approx90.timesMs },
  });

  if (opts.scale ?? true) {
    log('knn: approx 100000x50 Gaussian clusters, k=15 euclidean…');
    rows.push(benchScale());
  }
  return rows;
}

/** Recall of g over `count` evenly spaced rows, against exact neighbours of those rows only. */
function sampledRecall(t: Tensor, g: KnnGraph, count: number): number {
  const q = Math.min(count, t.n);
  const rows = Int32Array.from({ length: q }, (_, i) => Math.floor((i * t.n) / q));
  const exact = exactSearch(t, g.k, g.metric, rows);
  let hits = 0;
  for (let r = 0; r < q; r++) {
    const truth = new Set(exact.indices.subarray(r * g.k, (r + 1) * g.k));
    const o = rows[r] * g.k;
    for (let c = 0; c < g.k; c++) if (truth.has(g.indices[o + c])) hits++;
  }
  return hits / (q * g.k);
}

/** Seeded Gaussian blobs: `clusters` centres with sd 5 per coordinate, points around them with sd 1. */
export function gaussianClusters(n: number, d: number, clusters: number, seed: number): Tensor {
  const rng = createRandom(seed);
  const centres = new Float64Array(clusters * d);
  for (let i = 0; i < centres.length; i++) centres[i] = 5 * rng.gaussian();
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = (i % clusters) * d;
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c + j] + rng.gaussian();
  }
  return { data, n, d };
}

function benchScale(): Row {
  const n = 100_000;
  const d = 50;
  const metric: Metric = 'euclidean';
  const t = gaussianClusters(n, d, 50, 1);
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const sampleRss = () => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  };
  const run = measure(1, () => knnApprox(t, 15, metric, { seed: SEED, onProgress: sampleRss }));
  sampleRss();
  const recall = sampledRecall(t, run.result, 500);
  const mb = (bytes: number) => bytes / 2 ** 20;
  return {
    section: 'knn',
    case: `${n}x${d} Gaussian clusters (50) k=15 euclidean: approx`,
    oursMs: run.medianMs,
    baselineMs: NaN,
    speedup: NaN,
    runs: { ours: 1, baseline: 0 },
    notes: `recall@15 ${recall.toFixed(4)} (500 rows); peak RSS ${mb(rssPeak).toFixed(0)} MiB (+${mb(rssPeak - rssBefore).toFixed(0)} during the run)`,
    extra: { recall, recallRows: 500, rssPeakMiB: mb(rssPeak), rssGrowthMiB: mb(rssPeak - rssBefore) },
  };
}
