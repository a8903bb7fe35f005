/**
 * tsne-js 1.0.3 as the exact O(N^2) t-SNE reference of the t-SNE bench and tests, made
 * repeatable: Math.random (its only randomness, the N(0, 1e-4) start) is swapped for the
 * project's seeded PRNG while it initialises.
 *
 * What tsne-js does, read from its dist/ (it matters when comparing):
 *   - P from a binary search per point over all N - 1 others on the plain L2 distance (not its
 *     square, as in the t-SNE paper), symmetrised (P + P^T) / sum and floored at 2.2e-16;
 *   - Q with the Student-t of alpha = max(dim - 1, 1) degrees of freedom (3D differs from ours);
 *   - 100 iterations with P x earlyExaggeration (default 4): 50 at momentum 0.5, 50 at 0.8,
 *     then momentum 0.8 until nIter; the update and gains restart at each of the 3 phases;
 *   - gains + 0.05 when update and gradient share a sign, x 0.95 otherwise (min 0.01); the
 *     default learning rate 1000 on the gradient with its factor 4 diverges on small data sets;
 *   - stops a phase after 30 iterations without a new best error, or when the error moves by
 *     less than 1e-6 (last phase only); exact KL and gradient every iteration (5 N x N arrays).
 */
import TSNE from 'tsne-js';
import type { Tensor } from '../src/data/types';
import { createRandom } from '../src/reduce/random';

export interface TsneJsOptions {
  dim: 2 | 3;
  perplexity: number;
  /** Iterations in all (tsne-js's nIter). */
  iterations: number;
  seed: number;
  /** tsne-js's default is 1000. */
  learningRate?: number;
  /** tsne-js's default is 4. */
  earlyExaggeration?: number;
  /** Abort after this many iterations (for timing only: no layout is returned then). */
  stopAfter?: number;
}

export interface TsneJsRun {
  /** n x dim final layout (empty when stopped early). */
  Y: Float64Array;
  /** n x n joint probabilities tsne-js fitted (empty when stopped early). */
  P: Float64Array;
  /** tsne-js's own final error: KL against its P, before its last update. */
  error: number;
  /** Iterations run. */
  iterations: number;
  /** P (pairwise distances and binary search) in ms. */
  setupMs: number;
  /** Median wall time of one iteration (KL + gradient + update), from its progress events. */
  msPerIteration: number;
  totalMs: number;
}

class Stop extends Error {}

export function runTsneJs(t: Tensor, o: TsneJsOptions): TsneJsRun {
  const rows = Array.from({ length: t.n }, (_, i) => Array.from(t.data.subarray(i * t.d, (i + 1) * t.d)));
  const model = new TSNE({
    dim: o.dim,
    perplexity: o.perplexity,
    nIter: o.iterations,
    metric: 'euclidean',
    ...(o.learningRate !== undefined ? { learningRate: o.learningRate } : {}),
    ...(o.earlyExaggeration !== undefined ? { earlyExaggeration: o.earlyExaggeration } : {}),
  });
  const random = Math.random;
  Math.random = createRandom(o.seed).next;
  try {
    model.init({ data: rows, type: 'dense' });
  } finally {
    Math.random = random;
  }

  const stamps: number[] = [];
  let count = 0;
  model.on('progressIter', () => {
    stamps.push(performance.now());
    count++;
    if (o.stopAfter !== undefined && count > o.stopAfter) throw new Stop();
  });
  const t0 = performance.now();
  let error = NaN;
  let stopped = false;
  try {
    [error] = model.run();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    stopped = true;
  }
  const totalMs = performance.now() - t0;
  const gaps = stamps.slice(1).map((s, i) => s - stamps[i]).sort((a, b) => a - b);
  return {
    Y: stopped ? new Float64Array(0) : Float64Array.from(model.outputEmbedding.data),
    P: stopped ? new Float64Array(0) : Float64Array.from(model.P.data),
    error,
    iterations: stopped ? count - 1 : count,
    setupMs: stamps.length > 0 ? stamps[0] - t0 : totalMs,
    msPerIteration: gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)] : NaN,
    totalMs,
  };
}
