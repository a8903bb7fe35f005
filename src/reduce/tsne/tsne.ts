/**
 * Barnes-Hut t-SNE optimizer (van der Maaten 2014), one iteration per `step()` so a worker can
 * post frames between iterations. Pure and worker-safe: typed arrays only, no DOM.
 *
 *   P      sparse joint probabilities from the kNN graph (./affinities)
 *   init   y ~ N(0, (1e-4)^2) per coordinate from the seeded PRNG (../random); or a given start
 *          (`init`, e.g. the previous layout of an aligned chain), centred and scaled uniformly so
 *          its widest column has standard deviation 1e-4 — the random start's scale (as
 *          scikit-learn and openTSNE treat a PCA start), without distorting its shape
 *   step   g = dC/dY (./gradient; P times `earlyExaggeration` for the first
 *          `exaggerationIterations` iterations), then per coordinate, as in bhtsne:
 *            gain = sign(g) != sign(update) ? gain + 0.2 : gain * 0.8, at least 0.01
 *            update = momentum * update - learningRate * gain * g;  y += update
 *          momentum 0.5 while exaggerating, 0.8 after; then Y is recentred on its mean.
 *          Every 10 iterations the points are renumbered internally in the space tree's order
 *          (memory locality at 100k points); positions() always answers in the caller's order.
 *   kernel Student-t with one degree of freedom in 2D and 3D alike (as bhtsne, scikit-learn
 *          and openTSNE; tsne-js uses dim - 1 degrees of freedom).
 *
 * Same graph, params and seed give the identical layout (no other randomness, fixed order of
 * floating-point operations).
 */
import { createRandom } from '../random';
import { SpaceTree } from './space-tree';
import { type NeighbourGraph, type SparseAffinities, type UpperAffinities, tsneUpperAffinities, upperTriangle } from './affinities';
import { Attraction } from './attraction';
import { gradientScratch, repulsiveForces, tsneGradient, type GradientScratch, type Repulsion } from './gradient';
import { exactZ, klFromZ } from './kl';

export interface TsneParams {
  dim: 2 | 3;
  /** Effective number of neighbours; calibrated over min(graph.k, 3 * perplexity) neighbours. Typically 30. */
  perplexity: number;
  /**
   * Step size on the true KL gradient (which carries the factor 4). 'auto' is scikit-learn's
   * max(N / (4 * earlyExaggeration), 50) — the same as openTSNE/FIt-SNE's N / early_exaggeration
   * (Belkina et al. 2019) on their gradient without the 4, and the classic 200 of bhtsne at small N.
   */
  learningRate: number | 'auto';
  /** Iterations `done` waits for (typically 1000); step() keeps working past it. */
  iterations: number;
  /** Barnes-Hut accuracy: 0 is exact O(N^2), 0.5 the usual trade-off. */
  theta: number;
  seed: number;
  /** Factor on P during the first iterations. Default 12. */
  earlyExaggeration?: number;
  /** How many iterations are exaggerated (and run with momentum 0.5). Default 250. */
  exaggerationIterations?: number;
  /**
   * Starting layout, n*dim row-major (not modified): centred and scaled uniformly so that its
   * widest column's standard deviation is 1e-4, as the random start. Default (and when every row
   * is the same point): the seeded random start.
   */
  init?: Float32Array;
  /**
   * The repulsion split over threads sharing memory (./repulsion-pool), whose `out` becomes the
   * repulsive scratch. Default: all on this thread.
   */
  repulsion?: Repulsion & { out: Float64Array };
}

export const TSNE_DEFAULTS = {
  earlyExaggeration: 12,
  exaggerationIterations: 250,
  initialMomentum: 0.5,
  finalMomentum: 0.8,
  minGain: 0.01,
  initialSd: 1e-4,
  /** klDivergence() sums Z exactly up to this many points, by Barnes-Hut above. */
  exactKlMaxPoints: 5000,
  /** Points are renumbered in the space tree's order every this many iterations. */
  relabelEvery: 10,
} as const;

/** The learning rate `'auto'` resolves to for n points. */
export function autoLearningRate(n: number, earlyExaggeration: number = TSNE_DEFAULTS.earlyExaggeration): number {
  return Math.max(n / (4 * earlyExaggeration), 50);
}

export class Tsne {
  readonly n: number;
  readonly dim: 2 | 3;
  /** The resolved learning rate. */
  readonly learningRate: number;
  readonly iterations: number;
  readonly theta: number;
  readonly earlyExaggeration: number;
  readonly exaggerationIterations: number;

  // Internally points are kept in their own order, which every TSNE_DEFAULTS.relabelEvery
  // iterations becomes the space tree's (see relabel()); order[s] is the caller's index of
  // internal point s. U holds each pair of P once, in internal numbering.
  private U: SparseAffinities;
  private spareU: SparseAffinities;
  private order: Int32Array;
  private Y: Float64Array;
  private update: Float64Array;
  private gains: Float64Array;
  /** Spare buffers the relabelling swaps with order, Y, update and gains. */
  private spare: { order: Int32Array; Y: Float64Array; update: Float64Array; gains: Float64Array };
  private readonly rank: Int32Array;
  private readonly grad: Float64Array;
  private readonly scratch: GradientScratch;
  private readonly tree: SpaceTree;
  private readonly repulsion: Repulsion | undefined;
  private iter = 0;
  private z = NaN;

  /**
   * From a kNN graph (graph.k >= 3 * perplexity ideally; fewer neighbours are used as they are),
   * or from affinities already computed by `tsneAffinities` or `tsneUpperAffinities` (to reuse
   * them across runs, or to compute them over threads: ./affinity-pool).
   */
  constructor(source: NeighbourGraph | SparseAffinities | UpperAffinities, params: TsneParams) {
    const { dim, perplexity, iterations, theta, seed } = params;
    if (dim !== 2 && dim !== 3) throw new RangeError(`t-SNE: dim must be 2 or 3, got ${String(dim)}`);
    if (!Number.isInteger(iterations) || iterations < 0) throw new RangeError(`t-SNE: iterations must be a non-negative integer, got ${iterations}`);
    if (!(theta >= 0) || !Number.isFinite(theta)) throw new RangeError(`t-SNE: theta must be >= 0, got ${theta}`);
    const exaggeration = params.earlyExaggeration ?? TSNE_DEFAULTS.earlyExaggeration;
    if (!(exaggeration > 0) || !Number.isFinite(exaggeration)) throw new RangeError(`t-SNE: earlyExaggeration must be positive, got ${exaggeration}`);
    const exaggerationIterations = params.exaggerationIterations ?? TSNE_DEFAULTS.exaggerationIterations;
    if (!(exaggerationIterations >= 0)) throw new RangeError(`t-SNE: exaggerationIterations must be >= 0, got ${exaggerationIterations}`);

    // Only the upper triangle is kept (and a spare for relabelling): P itself is never held whole.
    this.U = !('rowPtr' in source) ? tsneUpperAffinities(source, perplexity) : 'upper' in source ? source : upperTriangle(source);
    this.spareU = { n: this.U.n, rowPtr: new Int32Array(this.U.rowPtr.length), cols: new Int32Array(this.U.cols.length), vals: new Float32Array(this.U.vals.length) };
    const n = this.U.n;
    const lr = params.learningRate === 'auto' ? autoLearningRate(n, exaggeration) : params.learningRate;
    if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`t-SNE: learningRate must be positive or 'auto', got ${String(params.learningRate)}`);

    this.n = n;
    this.dim = dim;
    this.learningRate = lr;
    this.iterations = iterations;
    this.theta = theta;
    this.earlyExaggeration = exaggeration;
    this.exaggerationIterations = exaggerationIterations;

    if (params.init && params.init.length !== n * dim) {
      throw new RangeError(`t-SNE: init has ${params.init.length} values, expected ${n} x ${dim}`);
    }
    const start = params.init ? scaledInit(params.init, n, dim) : null;
    if (start) {
      this.Y = start;
    } else {
      this.Y = new Float64Array(n * dim);
      const rng = createRandom(seed);
      for (let e = 0; e < n * dim; e++) this.Y[e] = TSNE_DEFAULTS.initialSd * rng.gaussian();
    }
    this.update = new Float64Array(n * dim);
    this.gains = new Float64Array(n * dim).fill(1);
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    this.spare = { order: new Int32Array(n), Y: new Float64Array(n * dim), update: new Float64Array(n * dim), gains: new Float64Array(n * dim) };
    this.rank = new Int32Array(n);
    this.grad = new Float64Array(n * dim);
    this.scratch = gradientScratch(n, dim, new Attraction());
    if (params.repulsion) {
      if (params.repulsion.out.length !== n * dim) throw new RangeError(`t-SNE: the repulsion pool is sized for ${params.repulsion.out.length} values, expected ${n} x ${dim}`);
      this.scratch.repulsive = params.repulsion.out;
    }
    this.repulsion = params.repulsion;
    this.tree = new SpaceTree(dim);
  }

  /** Iterations run so far. */
  get iteration(): number {
    return this.iter;
  }

  /** True once `iterations` iterations have run. */
  get done(): boolean {
    return this.iter >= this.iterations;
  }

  /** The Barnes-Hut Z of the last step (NaN before the first): sum_{i != j} 1 / (1 + d_ij^2). */
  get lastZ(): number {
    return this.z;
  }

  /** Runs one iteration (also past `iterations`, with the final settings). */
  step(): void {
    const { n, dim, Y, update, gains, grad } = this;
    const exaggerating = this.iter < this.exaggerationIterations;
    this.iter++;
    if (n < 2) return;
    const exaggeration = exaggerating ? this.earlyExaggeration : 1;
    const momentum = exaggerating ? TSNE_DEFAULTS.initialMomentum : TSNE_DEFAULTS.finalMomentum;
    const { Z, tree } = tsneGradient(this.U, Y, dim, this.tree, this.theta, exaggeration, grad, this.scratch, this.repulsion);
    this.z = Z;

    const lr = this.learningRate;
    const minGain = TSNE_DEFAULTS.minGain;
    for (let e = 0; e < n * dim; e++) {
      const g = grad[e];
      const u = update[e];
      const sameSign = g > 0 ? u > 0 : g < 0 ? u < 0 : u === 0;
      let gain = sameSign ? gains[e] * 0.8 : gains[e] + 0.2;
      if (gain < minGain) gain = minGain;
      gains[e] = gain;
      const next = momentum * u - lr * gain * g;
      update[e] = next;
      Y[e] += next;
    }

    // Recentre: the objective is translation invariant, keep the cloud at the origin.
    for (let a = 0; a < dim; a++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += Y[i * dim + a];
      mean /= n;
      for (let i = 0; i < n; i++) Y[i * dim + a] -= mean;
    }

    // The tree of this iteration (a pool's shared one is not rewritten before the next gradient).
    if (this.iter % TSNE_DEFAULTS.relabelEvery === 0) this.relabel(tree.perm);
  }

  /**
   * Renumbers the points in the order of the tree built this iteration, so that points close in
   * the layout (and so, mostly, in P) are close in memory: the attraction's reads and writes of
   * neighbours and the tree build's reads stay in cache at 100k points. O(n + nnz).
   */
  private relabel(perm: Int32Array): void {
    const { n, dim, rank } = this;
    const next = this.spare;
    for (let s = 0; s < n; s++) {
      const old = perm[s];
      rank[old] = s;
      next.order[s] = this.order[old];
      for (let a = 0; a < dim; a++) {
        next.Y[s * dim + a] = this.Y[old * dim + a];
        next.update[s * dim + a] = this.update[old * dim + a];
        next.gains[s * dim + a] = this.gains[old * dim + a];
      }
    }
    this.spare = { order: this.order, Y: this.Y, update: this.update, gains: this.gains };
    this.order = next.order;
    this.Y = next.Y;
    this.update = next.update;
    this.gains = next.gains;

    const from = this.U;
    const to = this.spareU;
    let at = 0;
    for (let s = 0; s < n; s++) {
      const old = perm[s];
      for (let e = from.rowPtr[old]; e < from.rowPtr[old + 1]; e++) {
        to.cols[at] = rank[from.cols[e]];
        to.vals[at++] = from.vals[e];
      }
      to.rowPtr[s + 1] = at;
    }
    this.U = to;
    this.spareU = from;
    // The spare is rewritten in place next time: the kernel must not keep reading its old copy.
    this.scratch.attraction?.forget();
  }

  /**
   * The current embedding, n x dim row-major, as a fresh Float32Array (a copy: safe to keep or
   * transfer to another thread).
   */
  positions(): Float32Array {
    const { n, dim, Y, order } = this;
    const out = new Float32Array(n * dim);
    for (let s = 0; s < n; s++) {
      for (let a = 0; a < dim; a++) out[order[s] * dim + a] = Y[s * dim + a];
    }
    return out;
  }

  /**
   * KL(P || Q) of the current embedding against the sparse P being fitted (without
   * exaggeration). Z is summed exactly (O(N^2)) up to TSNE_DEFAULTS.exactKlMaxPoints points,
   * estimated by a Barnes-Hut pass at this.theta above (pass exact = true to force the exact sum).
   */
  klDivergence(exact: boolean = this.n <= TSNE_DEFAULTS.exactKlMaxPoints): number {
    const { n, dim, Y } = this;
    if (n < 2) return 0;
    let Z: number;
    if (exact || this.theta === 0) {
      Z = exactZ(Y, n, dim);
    } else {
      this.tree.build(Y, n);
      Z = repulsiveForces(this.tree, this.theta, this.scratch.repulsive);
    }
    return klFromZ(this.U, Y, dim, Z, 2);
  }
}

/**
 * An n x dim start centred and scaled uniformly so that its widest column has sd
 * TSNE_DEFAULTS.initialSd; null when every row is the same point (the random start is used then).
 */
function scaledInit(init: Float32Array, n: number, dim: number): Float64Array | null {
  const Y = Float64Array.from(init);
  let maxVar = 0;
  for (let a = 0; a < dim; a++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += Y[i * dim + a];
    if (!Number.isFinite(mean)) throw new RangeError('t-SNE: init contains NaN or infinite values');
    mean /= Math.max(1, n);
    let v = 0;
    for (let i = 0; i < n; i++) {
      const c = (Y[i * dim + a] -= mean);
      v += c * c;
    }
    maxVar = Math.max(maxVar, v / Math.max(1, n));
  }
  if (!(maxVar > 0)) return null;
  const scale = TSNE_DEFAULTS.initialSd / Math.sqrt(maxVar);
  for (let e = 0; e < n * dim; e++) Y[e] *= scale;
  return Y;
}
