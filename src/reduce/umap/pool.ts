/**
 * UMAP's epochs split over threads sharing memory (SharedArrayBuffer + Atomics). Pure and
 * worker-safe; the caller starts the helpers and hands each its UmapShare (see serveUmapEpochs).
 *
 * The rows are cut into as many ranges as threads, with about the same work each (edges are
 * sorted by head; an edge's cost is how often it is sampled). In an epoch each thread runs the
 * edges whose head it owns, as the single-thread loop does, moving its own rows live; rows of
 * other ranges, and every negative sample, are read as they were when the epoch began (a
 * snapshot); moves of other ranges' rows are appended to the thread's log. After a barrier each
 * thread applies the logged moves of its own rows, logs in thread order, entries in order: every
 * row is written by one thread only (moves written into another core's rows cost a cache-line
 * transfer each, which made a helper thread ~40% slower than the coordinator on the same share).
 * Each thread draws negative samples from its own seeded stream. Nothing depends on timing: a
 * layout is the same for a given seed and thread count. It differs from the single-thread one (reads across ranges are up to an
 * epoch old, as in umap-learn's parallel mode, and the negative samples differ); the tests hold it
 * to the same quality bars.
 */
import { applyLog, gradientTables, runEpoch, type EpochPart, type MoveLog, type SgdState } from './sgd';
import { awaitHelpers, barrier, CONTROL_WITH_BARRIER, serveRounds, startRound, stopHelpers } from '../pool-rounds';
import { sharedBuffer, toShared } from '../shared-memory';

export interface UmapShare {
  kind: 'umap-epochs';
  n: number;
  dim: 2 | 3;
  a: number;
  b: number;
  gamma: number;
  parts: number;
  part: number;
  /** Row starts of the parts and n: parts + 1 values. */
  rows: number[];
  /** Edge starts of the parts and the edge count: parts + 1 values. */
  edges: number[];
  /** Int32 [generation, helpers done, stop, barrier arrived, barrier generation]. */
  control: SharedArrayBuffer;
  /** Float64 [epoch, alpha]. */
  params: SharedArrayBuffer;
  pos: SharedArrayBuffer;
  snapshot: SharedArrayBuffer;
  /** Per part, its moves of other parts' rows: Int32 rows (one per edge of the part, edges[] offsets), Float32 moves (dim per row entry), Int32 counts (one per part). */
  logRows: SharedArrayBuffer;
  logMoves: SharedArrayBuffer;
  logCounts: SharedArrayBuffer;
  /** Int32 per part: its negative-sample stream. */
  rngs: SharedArrayBuffer;
  head: SharedArrayBuffer;
  tail: SharedArrayBuffer;
  epochsPerSample: SharedArrayBuffer;
  nextSample: SharedArrayBuffer;
  epochsPerNegative: SharedArrayBuffer;
  nextNegative: SharedArrayBuffer;
}

export interface UmapPool {
  readonly parts: number;
  /** Runs one epoch over every thread; the Umap calls it in place of runEpoch. */
  runEpoch(s: SgdState, epoch: number, alpha: number): void;
  shares(): UmapShare[];
  close(): void;
}


/**
 * Row ranges with about equal work (edges sorted by head): an edge is sampled 1 / epochsPerSample
 * times an epoch, each time with its negatives, so that rate, not the count of edges, is its cost.
 */
function split(head: Int32Array, epochsPerSample: Float64Array, n: number, parts: number): { rows: number[]; edges: number[] } {
  const E = head.length;
  let total = 0;
  for (let e = 0; e < E; e++) total += 1 / epochsPerSample[e];
  const rows = [0];
  const edges = [0];
  let e = 0;
  let acc = 0;
  for (let p = 1; p < parts; p++) {
    const target = (p * total) / parts;
    while (e < E && acc + 1 / epochsPerSample[e] <= target) acc += 1 / epochsPerSample[e++];
    // Cut at a row boundary: every edge of a head stays in its owner's part.
    if (e > 0 && e < E && head[e - 1] === head[e]) {
      const h = head[e];
      while (e < E && head[e] === h) acc += 1 / epochsPerSample[e++];
    }
    const row = Math.max(rows[p - 1], e < E ? head[e] : n);
    rows.push(row);
    edges.push(e);
  }
  rows.push(n);
  edges.push(E);
  return { rows, edges };
}

const mixSeed = (seed: number, part: number) => (seed ^ Math.imul(part, 0x9e3779b9)) | 0;

interface Logs {
  rows: Int32Array;
  moves: Float32Array;
  counts: Int32Array;
}

/** Part p's log: as many entries as it has edges (an edge moves its tail at most once an epoch). */
function logOf(logs: Logs, edges: number[], p: number, dim: number): MoveLog {
  return {
    rows: logs.rows.subarray(edges[p], edges[p + 1]),
    moves: logs.moves.subarray(edges[p] * dim, edges[p + 1] * dim),
    count: logs.counts.subarray(p, p + 1),
  };
}

function partOf(share: Pick<UmapShare, 'rows' | 'edges' | 'dim'>, p: number, snapshot: Float32Array, logs: Logs, rngs: Int32Array): EpochPart {
  return {
    from: share.edges[p], to: share.edges[p + 1], lo: share.rows[p], hi: share.rows[p + 1], snapshot,
    log: logOf(logs, share.edges, p, share.dim), rng: rngs.subarray(p, p + 1),
  };
}

/** One thread's round: its edges, then (once every thread is done) the other threads' moves of its rows. */
function epochRound(ctl: Int32Array, s: SgdState, epoch: number, alpha: number, part: EpochPart, logs: Logs, edges: number[], parts: number, p: number): void {
  runEpoch(s, epoch, alpha, part);
  barrier(ctl, parts, 'UMAP');
  for (let q = 0; q < parts; q++) if (q !== p) applyLog(s.pos, s.dim, logOf(logs, edges, q, s.dim), part.lo, part.hi);
}

/**
 * Moves the optimizer's state `s` into shared memory (in place: the Umap keeps reading it) and
 * returns the pool that runs its epochs over `parts` threads.
 */
export function umapPool(s: SgdState, parts: number): UmapPool {
  const { n, dim } = s;
  s.pos = toShared(s.pos);
  s.head = toShared(s.head);
  s.tail = toShared(s.tail);
  s.epochsPerSample = toShared(s.epochsPerSample);
  s.nextSample = toShared(s.nextSample);
  s.epochsPerNegative = toShared(s.epochsPerNegative);
  s.nextNegative = toShared(s.nextNegative);
  const { rows, edges } = split(s.head, s.epochsPerSample, n, parts);
  const E = s.head.length;
  const control = sharedBuffer(4 * CONTROL_WITH_BARRIER);
  const ctl = new Int32Array(control);
  const params = new Float64Array(sharedBuffer(16));
  const snapshot = new Float32Array(sharedBuffer(n * dim * 4));
  const logs: Logs = {
    rows: new Int32Array(sharedBuffer(E * 4)),
    moves: new Float32Array(sharedBuffer(E * dim * 4)),
    counts: new Int32Array(sharedBuffer(parts * 4)),
  };
  const rngs = new Int32Array(sharedBuffer(parts * 4));
  for (let p = 0; p < parts; p++) rngs[p] = mixSeed(s.rng, p);
  const own = partOf({ rows, edges, dim }, 0, snapshot, logs, rngs);
  const buffer = (a: ArrayBufferView) => a.buffer as SharedArrayBuffer;
  return {
    parts,
    shares: () =>
      Array.from({ length: parts - 1 }, (_, h) => ({
        kind: 'umap-epochs' as const,
        n, dim, a: s.tables.a, b: s.tables.b, gamma: s.tables.gamma, parts, part: h + 1, rows, edges,
        control, params: buffer(params), pos: buffer(s.pos), snapshot: buffer(snapshot),
        logRows: buffer(logs.rows), logMoves: buffer(logs.moves), logCounts: buffer(logs.counts), rngs: buffer(rngs),
        head: buffer(s.head), tail: buffer(s.tail), epochsPerSample: buffer(s.epochsPerSample), nextSample: buffer(s.nextSample),
        epochsPerNegative: buffer(s.epochsPerNegative), nextNegative: buffer(s.nextNegative),
      })),
    runEpoch(state: SgdState, epoch: number, alpha: number) {
      // The layout may have been moved between epochs (the anchor spring): snapshot it here.
      snapshot.set(state.pos);
      params[0] = epoch;
      params[1] = alpha;
      startRound(ctl);
      epochRound(ctl, state, epoch, alpha, own, logs, edges, parts, 0);
      awaitHelpers(ctl, parts - 1, 'UMAP');
    },
    close: () => stopHelpers(ctl),
  };
}

/** A helper thread's loop: one part of every epoch until the pool closes. */
export function serveUmapEpochs(share: UmapShare): void {
  const ctl = new Int32Array(share.control);
  const params = new Float64Array(share.params);
  const { n, dim } = share;
  const s: SgdState = {
    pos: new Float32Array(share.pos),
    dim,
    n,
    head: new Int32Array(share.head),
    tail: new Int32Array(share.tail),
    epochsPerSample: new Float64Array(share.epochsPerSample),
    nextSample: new Float64Array(share.nextSample),
    epochsPerNegative: new Float64Array(share.epochsPerNegative),
    nextNegative: new Float64Array(share.nextNegative),
    tables: gradientTables(share.a, share.b, share.gamma),
    rng: 0,
  };
  const logs: Logs = { rows: new Int32Array(share.logRows), moves: new Float32Array(share.logMoves), counts: new Int32Array(share.logCounts) };
  const part = partOf(share, share.part, new Float32Array(share.snapshot), logs, new Int32Array(share.rngs));
  serveRounds(ctl, () => epochRound(ctl, s, params[0], params[1], part, logs, share.edges, share.parts, share.part));
}
