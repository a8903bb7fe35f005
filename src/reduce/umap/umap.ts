/**
 * UMAP layout from a precomputed kNN graph: the fuzzy simplicial set (./graph), the
 * similarity curve (./curve) and a typed-array port of umap-learn's SGD
 * (optimize_layout_euclidean), stepped an epoch at a time. Pure and worker-safe: no DOM.
 *
 * Optimizer, as umap-learn 0.5 / umap-js 1.4:
 *   - edges of W below max(W) / totalEpochs are dropped; edge e is sampled every
 *     max(W) / w_e epochs (epochs-per-sample scheduling), both ends move;
 *   - each positive sample draws negativeSampleRate negatives on average (scheduled the same way),
 *     uniform over all points, moving only the edge's head;
 *   - every gradient coordinate is clipped to [-4, 4]; the learning rate decays linearly,
 *     alpha = learningRate * (1 - (epoch - 1) / totalEpochs) for epoch >= 1 (epoch 0 uses
 *     learningRate; as umap-learn, epoch 0 samples nothing);
 *   - positions are Float32 (as umap-learn), arithmetic is in doubles; the gradient
 *     coefficients come from interpolated tables (relative error < 3e-6, see ./sgd).
 * Negatives come from mulberry32 seeded by `seed`, so a seed fixes the layout exactly, however
 * the epochs are split between step() calls.
 *
 * Init: seeded uniform in [-10, 10] per coordinate (as umap-js; umap-learn's default is spectral).
 * Or pass `init` (n*dim, e.g. PCA projections): each column is rescaled to [0, 10], as umap-learn
 * does with its spectral or PCA starts.
 *
 * Anchor (for aligned layouts, ../align/align): with `anchor` = lambda > 0 and an `init`, every epoch ends
 * with a spring toward the rescaled init, pos += min(1, lambda * alpha) (init - pos) per
 * coordinate — AlignedUMAP's alignment regularisation toward the neighbouring layout, applied
 * once an epoch to every point and decaying with the learning rate. lambda = 0 costs nothing.
 */
import { findAB } from './curve';
import { fuzzySimplicialSet, type FuzzyOptions, type NeighborGraph } from './graph';
import { createRandom } from '../random';
import { gradientTables, pullToward, runEpoch, type SgdState } from './sgd';
import { umapPool, type UmapPool } from './pool';

export interface UmapParams {
  dim: 2 | 3;
  /** Neighbourhood size, counting the point itself as umap-learn does (uses nNeighbors - 1 graph columns). Typically 15. */
  nNeighbors: number;
  /** Typically 0.1. */
  minDist: number;
  /** Default 1. */
  spread?: number;
  /** 'auto': 500 if n <= 10000 else 200, as umap-learn. */
  epochs: number | 'auto';
  seed: number;
  /** Default 5. */
  negativeSampleRate?: number;
  /** Initial learning rate. Default 1. */
  learningRate?: number;
  /** Weight of the negative samples. Default 1. */
  repulsionStrength?: number;
  /** Starting layout, n*dim row-major (not modified); each column is rescaled to [0, 10]. */
  init?: Float32Array;
  /**
   * Weight lambda >= 0 of a spring pulling each point toward its rescaled `init` position after
   * every epoch, by min(1, lambda * alpha) of the way (alpha the epoch's learning rate). Needs
   * `init` when > 0. Default 0 (none).
   */
  anchor?: number;
  /** Fuzzy set options (localConnectivity 1 and setOpMixRatio 1 by default). */
  fuzzy?: FuzzyOptions;
}

export class Umap {
  readonly n: number;
  readonly dim: 2 | 3;
  readonly totalEpochs: number;
  /** The fitted curve 1 / (1 + a d^(2b)). */
  readonly a: number;
  readonly b: number;
  /** Directed edges optimised (each pair of the symmetric graph twice) after pruning. */
  readonly edges: number;

  private currentEpoch = 0;
  private runner: (s: SgdState, epoch: number, alpha: number) => void = runEpoch;
  private readonly learningRate: number;
  private readonly s: SgdState;
  private readonly anchor: number;
  /** The rescaled init the anchor pulls toward (null without an anchor). */
  private readonly anchorTarget: Float32Array | null;

  /** Uses the first nNeighbors - 1 columns of the graph (see UmapParams.nNeighbors). */
  constructor(graph: NeighborGraph, params: UmapParams) {
    const { n } = graph;
    const dim = params.dim;
    if (dim !== 2 && dim !== 3) throw new RangeError(`umap: dim must be 2 or 3, got ${String(dim)}`);
    const negativeRate = params.negativeSampleRate ?? 5;
    if (!(negativeRate >= 0) || !Number.isFinite(negativeRate)) {
      throw new RangeError(`umap: negativeSampleRate must be >= 0, got ${negativeRate}`);
    }
    const totalEpochs = params.epochs === 'auto' ? (n <= 10000 ? 500 : 200) : params.epochs;
    if (!Number.isInteger(totalEpochs) || totalEpochs < 1) {
      throw new RangeError(`umap: epochs must be a positive integer or 'auto', got ${String(params.epochs)}`);
    }
    const { a, b } = findAB(params.spread ?? 1, params.minDist);
    const learningRate = params.learningRate ?? 1;
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new RangeError(`umap: learningRate must be > 0, got ${learningRate}`);
    this.n = n;
    this.dim = dim;
    this.totalEpochs = totalEpochs;
    this.a = a;
    this.b = b;
    this.learningRate = learningRate;
    if (params.init && params.init.length !== n * dim) {
      throw new RangeError(`umap: init has ${params.init.length} values, expected ${n} x ${dim}`);
    }
    const anchor = params.anchor ?? 0;
    if (!(anchor >= 0) || !Number.isFinite(anchor)) throw new RangeError(`umap: anchor must be >= 0, got ${anchor}`);
    if (anchor > 0 && !params.init) throw new RangeError('umap: anchor needs an init to pull toward');
    this.anchor = anchor;

    const W = fuzzySimplicialSet(graph, params.nNeighbors, params.fuzzy);

    // Prune weak edges, then schedule: edge e every max / w_e epochs.
    let max = 0;
    for (let p = 0; p < W.weights.length; p++) if (W.weights[p] > max) max = W.weights[p];
    const threshold = max / totalEpochs;
    let kept = 0;
    for (let p = 0; p < W.weights.length; p++) if (W.weights[p] >= threshold) kept++;
    const head = new Int32Array(kept);
    const tail = new Int32Array(kept);
    const epochsPerSample = new Float64Array(kept);
    for (let i = 0, e = 0; i < n; i++) {
      for (let p = W.indptr[i]; p < W.indptr[i + 1]; p++) {
        const w = W.weights[p];
        if (w < threshold) continue;
        head[e] = i;
        tail[e] = W.indices[p];
        epochsPerSample[e] = max / w;
        e++;
      }
    }
    const epochsPerNegative = new Float64Array(kept);
    for (let e = 0; e < kept; e++) epochsPerNegative[e] = negativeRate > 0 ? epochsPerSample[e] / negativeRate : Infinity;
    this.edges = kept;

    const rng = createRandom(params.seed);
    let pos: Float32Array;
    if (params.init) {
      pos = rescaledInit(params.init, n, dim);
    } else {
      pos = new Float32Array(n * dim);
      for (let i = 0; i < n * dim; i++) pos[i] = rng.next() * 20 - 10;
    }
    this.s = {
      pos,
      dim,
      n,
      head,
      tail,
      epochsPerSample,
      nextSample: epochsPerSample.slice(),
      epochsPerNegative,
      nextNegative: epochsPerNegative.slice(),
      tables: gradientTables(a, b, params.repulsionStrength ?? 1),
      rng: Math.floor(rng.next() * 4294967296) | 0,
    };
    this.anchorTarget = anchor > 0 ? pos.slice() : null;
  }

  /**
   * Splits every later epoch over `threads` threads sharing memory (./pool): moves the state
   * into shared memory and returns the pool, whose helpers the caller starts; null for one thread.
   */
  withThreads(threads: number): UmapPool | null {
    if (threads < 2 || this.n < 2 * threads) return null;
    const pool = umapPool(this.s, threads);
    this.runner = (s, epoch, alpha) => pool.runEpoch(s, epoch, alpha);
    return pool;
  }

  /** Epochs run so far. */
  get epoch(): number {
    return this.currentEpoch;
  }

  get done(): boolean {
    return this.currentEpoch >= this.totalEpochs;
  }

  /** Runs the next `epochs` epochs (default 1), stopping at totalEpochs. */
  step(epochs = 1): void {
    const until = Math.min(this.totalEpochs, this.currentEpoch + Math.max(0, Math.floor(epochs)));
    while (this.currentEpoch < until) {
      const e = this.currentEpoch;
      const alpha = this.learningRate * (1 - Math.max(0, e - 1) / this.totalEpochs);
      this.runner(this.s, e, alpha);
      if (this.anchorTarget) pullToward(this.s.pos, this.anchorTarget, Math.min(1, this.anchor * alpha));
      this.currentEpoch++;
    }
  }

  /**
   * The layout, n*dim row-major. A live view of the optimizer's state: later step() calls change
   * it in place — copy it (slice()) to keep a snapshot or before transferring it.
   */
  positions(): Float32Array {
    return this.s.pos;
  }
}

/** Scales each column of an n x dim start to [0, 10] (a constant column becomes 5). */
function rescaledInit(init: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(n * dim);
  for (let c = 0; c < dim; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = init[i * dim + c];
      if (!Number.isFinite(v)) throw new RangeError('umap: init contains NaN or infinite values');
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const scale = hi > lo ? 10 / (hi - lo) : 0;
    for (let i = 0; i < n; i++) out[i * dim + c] = scale === 0 ? 5 : (init[i * dim + c] - lo) * scale;
  }
  return out;
}
