/**
 * The approximate neighbour search (./approx) in phases that threads can share (SharedArrayBuffer +
 * Atomics rounds, ../../pool-rounds), run the same way on one thread. Pure and worker-safe: the caller
 * starts the helper threads and hands each its KnnSearchShare (serveKnnSearch).
 *
 * Each phase's work is cut into items that do not depend on each other — rows to project, tree
 * nodes to split level by level and then whole subtrees (./rp-trees), chunks of leaves or rows to
 * join, rows to sample, widen or re-rank — taken from a
 * shared counter, so a late or slow thread simply does fewer. NN-descent's joins run in blocks of
 * a fixed number of chunks (never depending on the thread count): a chunk keeps the heap offers
 * that beat a root as it stood when the block began, sorted by stripe of rows; then the stripes
 * are applied, each one's offers in chunk order. Rows are sampled by their owner thread, from
 * priorities hashed per heap slot. What draws from the seeded generator (the projection's basis,
 * searched on a sample of rows with ../../kernels/matrix's SIMD products; the trees' seeds; the random
 * top-up; each iteration's seed) stays on the coordinator. So the graph is the same, bit for bit,
 * for any thread count.
 */
import type { CompressedRows } from '../../../data/compressed-rows';
import type { Tensor } from '../../../data/types';
import type { Metric } from '../types';
import type { ApproxResult, ApproxTuning } from './approx';
import { createRandom, type Random } from '../../random';
import { awaitHelpers, serveRounds, startRound, stopHelpers } from '../../pool-rounds';
import { rerank, rowDistances, rowsOf, type ExtraCandidates, type RowDistances, type Rows } from '../metric';
import { centreColumns, projectRows, searchBasis } from './space';
import { TreeScratch, buildSubtree, leafStarts, splitNode, treeNode } from './rp-trees';
import {
  OfferSink, Tile, applyStripe, clearHeap, expandRows, expandScratch, fillRandom, joinLeaves, joinRows, pairsPerRow, sampleRows,
  rowSquaredNorms, sortRow, unflagRows, type ExpandScratch, type Heap,
} from './descent';
import { duplicateCandidates } from './duplicates';
import { StripeSets } from './stripe-sets';
import type { PairBuffer } from './descent';
import { allocate, buffersOf, lengths, viewsOf, type KnnSearchShare, type SearchSizes, type Views } from './search-state';

export type { KnnSearchShare } from './search-state';

/** ctl indices after ../../pool-rounds' three. */
const NEXT = 3;
const PHASE = 4;
const ARG0 = 5;
const ARG1 = 6;
const ARG2 = 7;

const Phase = { Project: 1, TreeLevel: 2, Subtrees: 10, Leaves: 3, Join: 4, Apply: 5, Sample: 6, Unflag: 7, Expand: 8, Rerank: 9 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** Leaf size of the tree that orders the rows. */
const ORDER_LEAF = 64;
/**
 * The trees' top levels are split level by level (each node an item), then each subtree below is
 * one item: with 8 subtrees a tree, enough items to balance the threads from the root on.
 */
const TOP_LEVELS = 3;
/** Rows per item of the row phases, and per chunk of a join block. */
const ROWS_PER_CHUNK = 256;
/** Leaves per chunk of a leaf block. */
const LEAVES_PER_CHUNK = 8;
/** Chunks per block: the offers of a block are held at once (about 20 MB), whatever n. */
const MAX_BLOCK_CHUNKS = 16;
/** Stripes the rows are cut into for applying offers: enough to balance any likely thread count. */
const STRIPES = 64;

export interface SearchPool {
  /** Threads, the coordinator's included. */
  readonly parts: number;
  /** One share per helper thread (parts - 1). */
  shares(): KnnSearchShare[];
  /** The whole search (blocks this thread; reports fractions up to 1). Once. */
  run(report: (fraction: number) => void): ApproxResult;
  /** Ends every helper's loop. */
  close(): void;
}

/**
 * Plans the search of t's k nearest neighbours (the subspace of the projection is found here, on
 * this thread) and allocates its memory, shared when parts > 1.
 */
export function searchPool(t: Tensor, k: number, metric: Metric, seed: number, p: ApproxTuning, parts: number, compressed?: CompressedRows | null): SearchPool {
  if (!(parts >= 1) || !Number.isInteger(parts)) throw new RangeError(`neighbour search: parts must be a positive integer, got ${parts}`);
  const t0 = performance.now();
  const { n, d } = t;
  const rng = createRandom(seed);
  const rows = rowsOf(t, compressed);
  const basis = searchBasis(rows, metric, { ...p, rng });
  const m = basis.kind === 'full' ? basis.space.m : basis.m;
  const K = Math.min(n - 1, Math.ceil(k * p.candidateFactor) + p.candidateExtra);
  // Here, not on the threads: its lists are rare and short, and sized only once they are found.
  const extra = duplicateCandidates(t, k, rows.csr);
  const Kd = Math.min(K, p.descentMaxK);
  const C = Math.min(Kd, p.maxCandidates);
  const leafMax = Math.max(1, Math.min(p.maxLeaf, Math.max(p.minLeaf, Kd)));
  const z: SearchSizes = {
    n, d, m, metric, k, K, Kd, C, leafMax,
    nTrees: Math.min(p.maxTrees, Math.max(p.minTrees, p.treesBase + Math.round(n ** 0.25))),
    fanout: p.expandFanout,
    seed,
    // Up to two offers a pair.
    capacity: 2 * Math.max(ROWS_PER_CHUNK * pairsPerRow(C), (LEAVES_PER_CHUNK * leafMax * (leafMax - 1)) / 2),
    blockChunks: Math.min(MAX_BLOCK_CHUNKS, Math.ceil(n / ROWS_PER_CHUNK)),
    stripes: Math.min(STRIPES, n),
    stripeRows: Math.ceil(n / Math.min(STRIPES, n)),
    projected: basis.kind === 'project',
    hasCsr: rows.csr !== null,
    hasExtra: extra !== null,
  };
  const v = allocate(lengths(z, rows.csr?.col.length ?? 0, extra?.idx.length ?? 0), parts, {
    // The threads read compressed rows alone when there are: the dense rows are not copied to them.
    data: rows.csr ? new Float32Array(0) : t.data,
    sqNorms: rows.sqNorms,
    ...(rows.csr ? { csrPtr: rows.csr.ptr, csrCol: rows.csr.col, csrVal: rows.csr.val } : {}),
    ...(basis.kind === 'project' ? { V: basis.V, ...(basis.scale ? { scale: basis.scale } : {}) } : { Y: basis.space.X }),
    ...(extra ? { extraPtr: extra.ptr, extraIdx: extra.idx } : {}),
  });
  const variance = basis.kind === 'full' ? basis.space.variance : basis.variance;
  const planMs = performance.now() - t0;
  const iterationsMax = Math.min(Kd < K ? p.expandIterationCap : p.iterationCap, Math.max(p.minIterations, Math.round(Math.log2(n))));
  const buffers = buffersOf(v);
  let ran = false;
  return {
    parts,
    shares: () => Array.from({ length: parts - 1 }, (_, h) => ({ kind: 'knn-search' as const, part: h + 1, parts, sizes: z, buffers })),
    run(report) {
      if (ran) throw new Error('neighbour search: a pool runs once');
      ran = true;
      const own = new ThreadSide(v, z, 0, parts);
      const phase = (ph: Phase, a0 = 0, a1 = 0, a2 = 0) => {
        const ctl = v.ctl;
        ctl[PHASE] = ph;
        ctl[ARG0] = a0;
        ctl[ARG1] = a1;
        ctl[ARG2] = a2;
        Atomics.store(ctl, NEXT, 0);
        if (parts > 1) startRound(ctl);
        own.work();
        if (parts > 1) awaitHelpers(ctl, parts - 1, 'neighbour graph');
      };
      return coordinate(v, z, rng, p.delta, iterationsMax, variance, planMs, phase, report);
    },
    close: () => {
      if (parts > 1) stopHelpers(v.ctl);
    },
  };
}

/** Leaf size of tree t: tree 0 orders the rows, the others seed NN-descent. */
const leafSizeOf = (z: SearchSizes, t: number): number => (t === 0 ? ORDER_LEAF : z.leafMax);

/** The phases in order, on the coordinator; `phase` runs one over every thread. */
function coordinate(
  v: Views, z: SearchSizes, rng: Random, delta: number, iterationsMax: number, variance: number, planMs: number,
  phase: (ph: Phase, a0?: number, a1?: number, a2?: number) => void, report: (fraction: number) => void,
): ApproxResult {
  const { n, m, K, Kd, k } = z;
  const t0 = performance.now();
  if (z.projected) {
    phase(Phase.Project);
    centreColumns(v.Y, n, m);
  }
  const spaceShare = z.projected ? 0.25 : 0.02;
  report(spaceShare);
  const t1 = performance.now();

  // Tree 0 (leaves of 64) orders the rows: neighbours then sit close together in memory. The
  // others seed NN-descent. All are built on the rows in input order, side by side.
  for (let t = 0; t <= z.nTrees; t++) v.treeSeed[t] = Math.floor(rng.next() * 0x100000000) | 0;
  for (let level = 0; level < TOP_LEVELS; level++) phase(Phase.TreeLevel, level);
  phase(Phase.Subtrees, TOP_LEVELS);
  for (let t = 0; t <= z.nTrees; t++) v.leafCount[t] = leafStarts(n, leafSizeOf(z, t), v.starts.subarray(t * (n + 1), (t + 1) * (n + 1)));
  const order = v.perm.subarray(0, n);
  v.order.set(order);
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[order[r]] = r;
  for (let e = n; e < v.perm.length; e++) v.perm[e] = rank[v.perm[e]];
  for (let r = 0; r < n; r++) v.X.set(v.Y.subarray(order[r] * m, (order[r] + 1) * m), r * m);
  rowSquaredNorms(v.X, n, m, v.sq);
  const heap: Heap = { dist: v.hDist, idx: v.hIdx, flag: v.hFlag, root: v.hRoot };
  clearHeap(heap);
  const blockLeaves = z.blockChunks * LEAVES_PER_CHUNK;
  for (let t = 1; t <= z.nTrees; t++) {
    const leaves = v.leafCount[t];
    for (let from = 0; from < leaves; from += blockLeaves) {
      const to = Math.min(leaves, from + blockLeaves);
      phase(Phase.Leaves, t, from, to);
      phase(Phase.Apply, Math.ceil((to - from) / LEAVES_PER_CHUNK));
    }
  }
  // Rows whose heap is not yet full get random points.
  for (let i = 0; i < n; i++) fillRandom(v.X, m, v.sq, heap, i, n, Kd, rng);
  const descentShare = 0.9 - spaceShare;
  const expand = Kd < K;
  const descentEnd = expand ? 0.8 : 1;
  report(spaceShare + descentShare * descentEnd * 0.2);
  const t2 = performance.now();

  const blockRows = z.blockChunks * ROWS_PER_CHUNK;
  let iterations = 0;
  for (let it = 0; it < iterationsMax; it++) {
    phase(Phase.Sample, Math.floor(rng.next() * 0x100000000) | 0);
    phase(Phase.Unflag);
    let updates = 0;
    for (let from = 0; from < n; from += blockRows) {
      const to = Math.min(n, from + blockRows);
      phase(Phase.Join, 0, from, to);
      phase(Phase.Apply, Math.ceil((to - from) / ROWS_PER_CHUNK));
      for (let p = 0; p < v.updates.length; p++) updates += v.updates[p];
    }
    iterations++;
    report(spaceShare + descentShare * descentEnd * (0.2 + (0.8 * iterations) / iterationsMax));
    if (updates <= delta * Kd * n) break;
  }
  for (let i = 0; i < n; i++) sortRow(heap, i * Kd, Kd);
  let graph = heap.idx;
  if (expand) {
    phase(Phase.Expand);
    graph = v.wide;
  }
  // Back in the input's rows and ids.
  const cand = v.cand;
  for (let r = 0; r < n; r++) {
    const o = order[r] * K;
    for (let c = 0; c < K; c++) {
      const j = graph[r * K + c];
      cand[o + c] = j < 0 ? -1 : order[j];
    }
  }
  report(0.9);
  const t3 = performance.now();
  phase(Phase.Rerank);
  const t4 = performance.now();
  report(1);
  return {
    indices: v.outIdx.length === n * k ? v.outIdx : v.outIdx.slice(0, n * k),
    distances: v.outDist.length === n * k ? v.outDist : v.outDist.slice(0, n * k),
    K, iterations, dims: m, variance,
    phasesMs: { space: planMs + (t1 - t0), trees: t2 - t1, descent: t3 - t2, rerank: t4 - t3 },
  };
}

/** One thread's side of every phase, with its own scratch. */
class ThreadSide {
  private leafTile: Tile | null = null;
  private joinTile: Tile | null = null;
  private expand: ExpandScratch | null = null;
  private dist: RowDistances | null = null;
  private sets: StripeSets | null = null;
  private trees: TreeScratch | null = null;
  private readonly rows: Rows;
  private readonly pairs: PairBuffer;
  private readonly sink: OfferSink;
  private readonly heap: Heap;
  private readonly mark: Int32Array;

  constructor(private readonly v: Views, private readonly z: SearchSizes, private readonly part: number, private readonly parts: number) {
    const { n, d } = z;
    this.rows = {
      // Empty when there are compressed rows (searchPool): nothing reads the dense rows then.
      t: { data: v.data.length === n * d ? v.data : v.data.subarray(0, n * d), n, d },
      csr: z.hasCsr ? { ptr: v.csrPtr, col: v.csrCol, val: v.csrVal } : null,
      sqNorms: v.sqNorms,
    };
    this.pairs = { row: v.offerRow, other: v.offerOther, key: v.offerKey, offsets: v.offerStarts, capacity: z.capacity, stripes: z.stripes, stripeRows: z.stripeRows };
    this.sink = new OfferSink(this.pairs);
    this.heap = { dist: v.hDist, idx: v.hIdx, flag: v.hFlag, root: v.hRoot };
    this.mark = new Int32Array(z.n).fill(-1);
  }

  /** Items [0, count) of the phase, taken one at a time from the shared counter. */
  private each(count: number, run: (item: number) => void): void {
    for (;;) {
      const item = Atomics.add(this.v.ctl, NEXT, 1);
      if (item >= count) return;
      run(item);
    }
  }

  work(): void {
    const { v, z } = this;
    const { n, m } = z;
    const ctl = v.ctl;
    const a0 = ctl[ARG0];
    const a1 = ctl[ARG1];
    const a2 = ctl[ARG2];
    const rowChunks = (from: number, to: number, run: (lo: number, hi: number, chunk: number) => void) =>
      this.each(Math.ceil((to - from) / ROWS_PER_CHUNK), (c) => run(from + c * ROWS_PER_CHUNK, Math.min(to, from + (c + 1) * ROWS_PER_CHUNK), c));
    switch (ctl[PHASE] as Phase) {
      case Phase.Project:
        rowChunks(0, n, (lo, hi) => projectRows(this.rows, { V: v.V, m, scale: z.metric === 'cosine' ? v.scale : null }, v.Y, lo, hi));
        return;
      case Phase.TreeLevel:
      case Phase.Subtrees: {
        // Items: the nodes of level a0 of every tree, tree by tree.
        const scratch = (this.trees ??= new TreeScratch(n, m));
        this.each((z.nTrees + 1) << a0, (item) => {
          const t = item >> a0;
          const size = leafSizeOf(z, t);
          const node = treeNode(n, size, a0, item & ((1 << a0) - 1));
          if (!node) return;
          const perm = v.perm.subarray(t * n, (t + 1) * n);
          if (a0 === 0) for (let i = 0; i < n; i++) perm[i] = i;
          if (ctl[PHASE] === Phase.TreeLevel) splitNode(v.Y, m, perm, node, size, v.treeSeed[t], scratch);
          else buildSubtree(v.Y, m, perm, node, size, v.treeSeed[t], scratch);
        });
        return;
      }
      case Phase.Leaves: {
        const tile = (this.leafTile ??= new Tile(z.leafMax));
        const perm = v.perm.subarray(a0 * n, (a0 + 1) * n);
        const starts = v.starts.subarray(a0 * (n + 1), (a0 + 1) * (n + 1));
        this.each(Math.ceil((a2 - a1) / LEAVES_PER_CHUNK), (c) => {
          const from = a1 + c * LEAVES_PER_CHUNK;
          joinLeaves(v.X, m, v.sq, v.hRoot, perm, starts, tile, from, Math.min(a2, from + LEAVES_PER_CHUNK), this.sink);
          this.sink.flush(c);
        });
        return;
      }
      case Phase.Join: {
        const tile = (this.joinTile ??= new Tile(2 * z.C));
        rowChunks(a1, a2, (lo, hi, c) => {
          joinRows(v.X, m, v.sq, v.hRoot, z.C, v, tile, lo, hi, this.sink);
          this.sink.flush(c);
        });
        return;
      }
      case Phase.Apply:
        this.each(z.stripes, (s) => {
          const sets = (this.sets ??= new StripeSets(z.stripeRows, z.Kd));
          v.updates[s] = applyStripe(this.heap, z.Kd, this.pairs, a0, s, sets);
        });
        return;
      case Phase.Sample: {
        // Rows split by owner: each thread looks at every heap entry once, for its own rows.
        const lo = Math.floor((this.part * n) / this.parts);
        const hi = Math.floor(((this.part + 1) * n) / this.parts);
        sampleRows(this.heap, n, z.Kd, z.C, a0, v, lo, hi);
        return;
      }
      case Phase.Unflag:
        rowChunks(0, n, (lo, hi) => unflagRows(this.heap, z.Kd, z.C, v.newIdx, this.mark, lo, hi));
        return;
      case Phase.Expand: {
        const s = (this.expand ??= expandScratch(n, z.Kd, z.K, z.fanout));
        rowChunks(0, n, (lo, hi) => expandRows(v.X, n, m, v.sq, v.hIdx, z.Kd, z.K, z.fanout, z.seed, v.wide, lo, hi, s));
        return;
      }
      case Phase.Rerank: {
        const dist = (this.dist ??= rowDistances(this.rows, z.metric));
        const extra: ExtraCandidates | undefined = z.hasExtra ? { ptr: v.extraPtr, idx: v.extraIdx } : undefined;
        const seen = new Int32Array(n).fill(-1);
        // Chunks as they come: rows in the trees' order cluster, and the clusters' costs differ.
        rowChunks(0, n, (from, to) => rerank(n, v.cand, z.K, z.k, dist, undefined, undefined, extra, v.order, { from, to, indices: v.outIdx, distances: v.outDist, seen }));
        return;
      }
    }
  }
}

/** A helper thread's loop: its side of every phase until the pool closes. */
export function serveKnnSearch(share: KnnSearchShare): void {
  const v = viewsOf(share.buffers);
  const w = new ThreadSide(v, share.sizes, share.part, share.parts);
  serveRounds(v.ctl, () => w.work());
}
