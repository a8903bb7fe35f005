/// <reference lib="webworker" />
/**
 * Thin entry for the iterative layouts (UMAP, t-SNE). Builds the neighbour graph when the caller
 * has none cached, then iterates in slices of ~100 ms, streaming each improved layout back, and
 * yielding between slices so pause/resume messages get through.
 */
import { knnGraph, knnGraphThreaded, type KnnGraph } from '../reduce/knn/knn';
import { alignTo } from '../reduce/align/align';
import { normalizeLayout } from '../reduce/layout';
import { Tsne } from '../reduce/tsne/tsne';
import { Umap } from '../reduce/umap/umap';
import type { GraphPayload, LayoutControl, LayoutPartial, LayoutRequest, LayoutResult, WorkerReply } from './messages';
import { errorReply } from './error-transfer';
import { repulsionPool } from '../reduce/tsne/repulsion-pool';
import { affinityPool } from '../reduce/tsne/affinity-pool';
import type { NeighbourGraph, UpperAffinities } from '../reduce/tsne/affinities';
import type { PoolShare } from '../reduce/pool-thread';
import { canShareMemory } from './shared-tensor';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: WorkerReply<LayoutResult, LayoutPartial>, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

const SLICE_MS = 100;
/**
 * When the layout's threads take every core, the page's frames compete with them (in software
 * rendering a frame of 10,000 pictures costs the GPU process ~60 ms of CPU): iterates are then
 * streamed this often instead.
 */
const CROWDED_SLICE_MS = 300;
/** The first slice is short: the first layout reaches the screen sooner (its shape forms in a few epochs). */
const FIRST_SLICE_MS = 25;
let paused = false;
let wake: (() => void) | null = null;

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
async function whilePaused(): Promise<void> {
  while (paused) await new Promise<void>((resolve) => (wake = resolve));
}

/** The first k columns of a graph with more neighbours per row. */
function firstColumns(g: GraphPayload, k: number): KnnGraph {
  if (g.k === k) return g;
  const indices = new Int32Array(g.n * k);
  const distances = new Float32Array(g.n * k);
  for (let i = 0; i < g.n; i++) {
    indices.set(g.indices.subarray(i * g.k, i * g.k + k), i * k);
    distances.set(g.distances.subarray(i * g.k, i * g.k + k), i * k);
  }
  return { n: g.n, k, metric: g.metric, indices, distances };
}

function neighboursNeeded(req: LayoutRequest): number {
  const k = req.method === 'umap' ? req.settings.nNeighbors : Math.ceil(3 * req.settings.perplexity);
  return Math.max(1, Math.min(req.n - 1, k));
}

/** n*dim from an n*3 layout. */
function firstDims(layout: Float32Array, n: number, dim: 2 | 3): Float32Array {
  if (dim === 3) return layout;
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = layout[3 * i];
    out[2 * i + 1] = layout[3 * i + 1];
  }
  return out;
}

/**
 * Threads a run may use: the request's (`?workers=`), else one fewer than the machine's cores, so
 * that a core stays with the page (on two cores a second busy thread made the page's frames miss
 * 50 ms); 1 where memory cannot be shared.
 */
function threadsFor(req: LayoutRequest): number {
  if (!canShareMemory()) return 1;
  const wanted = req.threads ?? (typeof navigator !== 'undefined' ? navigator.hardwareConcurrency - 1 : 1);
  return Math.max(1, Math.min(16, Math.floor(wanted) || 1));
}

/**
 * The job's helper threads: started with the job, so that they boot while the neighbour graph's
 * serial first steps run, and handed each pool's share in turn (the graph's, then the layout's):
 * a helper serves one share until its pool closes, then takes the next message. They stay with
 * this worker for its next job.
 */
const idleHelpers: Worker[] = [];

function bootHelpers(count: number): void {
  while (idleHelpers.length < count) idleHelpers.push(new Worker(new URL('./pool-helper.worker.ts', import.meta.url), { type: 'module' }));
}

/**
 * Hands one share to each of as many helpers; resolves once every one runs it (before this
 * thread may block on them) with the release to call once their pool is closed.
 */
async function startHelpers(shares: PoolShare[], what: string): Promise<() => void> {
  bootHelpers(shares.length);
  const helpers = idleHelpers.splice(0, shares.length);
  const started = shares.map(
    (share, i) =>
      new Promise<void>((resolve, reject) => {
        const w = helpers[i];
        w.onmessage = () => resolve();
        w.onerror = (e) => reject(new Error(`${what}: a helper thread failed: ${e.message || 'worker error'}`));
        w.postMessage(share);
      }),
  );
  try {
    await Promise.all(started);
  } catch (err) {
    for (const w of helpers) w.terminate();
    throw err;
  }
  return () => idleHelpers.push(...helpers);
}

interface Pool {
  parts: number;
  shares(): PoolShare[];
  close(): void;
}

async function run(req: LayoutRequest): Promise<void> {
  let pool: Pool | null = null;
  let release: (() => void) | null = null;
  const threads = threadsFor(req);
  bootHelpers(threads - 1);
  // The pool is made with the optimizer (t-SNE's before it, UMAP's from it); its helpers start here.
  const attach = async (p: Pool | null) => {
    pool = p;
    if (p) release = await startHelpers(p.shares(), req.method === 'umap' ? 'UMAP' : 't-SNE');
  };
  try {
    await runWith(req, threads, attach);
  } finally {
    (pool as Pool | null)?.close();
    // Idle again, for this worker's next job (../jobs keeps a worker whose job succeeded; a failed
    // or cancelled job's worker is ended, its helpers with it).
    (release as (() => void) | null)?.();
  }
}

async function runWith(req: LayoutRequest, threadsWanted: number, attach: (pool: Pool | null) => Promise<void>): Promise<void> {
  const k = neighboursNeeded(req);
  let graph: GraphPayload | null = req.graph;
  if (!graph || graph.k < k) {
    post({ type: 'progress', stage: 'Neighbour graph', loaded: 0, total: 1 });
    const t = { data: req.data, n: req.n, d: req.d };
    const opts = {
      seed: req.settings.seed,
      project: req.projectNeighbours !== false,
      compressed: req.compressed,
      onProgress: (f: number) => post({ type: 'progress', stage: 'Neighbour graph', loaded: f, total: 1 }),
    };
    // The whole search is split over the threads; the graph is the same either way.
    const helpersOf = async (shares: PoolShare[]) => {
      const release = await startHelpers(shares, 'neighbour graph');
      return async () => release();
    };
    graph = threadsWanted >= 2 ? await knnGraphThreaded(t, k, req.metric, opts, threadsWanted, helpersOf) : knnGraph(t, k, req.metric, opts);
    // The caller caches a copy for the next method; this worker keeps its own.
    const copy = { ...graph, indices: graph.indices.slice(), distances: graph.distances.slice() };
    post({ type: 'partial', partial: { kind: 'graph', graph: copy } }, [copy.indices.buffer, copy.distances.buffer]);
  }
  const g = firstColumns(graph, k);
  // Building the fuzzy set or P takes a moment at large N: say so.
  post({ type: 'progress', stage: req.method === 'umap' ? 'Fuzzy graph' : 'Affinities', loaded: 0, total: 1 });
  const align = req.alignTo ?? null;
  const init = align ? firstDims(align.layout, req.n, req.dim) : undefined;
  let optimizer: Umap | Tsne;
  let threads = 1;
  if (req.method === 'umap') {
    const umap = new Umap(g, { dim: req.dim, ...req.settings, init, anchor: align?.anchor ?? 0 });
    const pool = umap.withThreads(threadsWanted);
    await attach(pool);
    threads = pool?.parts ?? 1;
    optimizer = umap;
  } else {
    const split = threadsWanted >= 2 && req.n >= 2 * threadsWanted;
    // P's rows over the threads first (the same P): the first layout waits for it.
    let source: NeighbourGraph | UpperAffinities = g;
    if (split) {
      const affinities = affinityPool(g, req.settings.perplexity, threadsWanted);
      const release = await startHelpers(affinities.shares(), 't-SNE affinities');
      try {
        source = affinities.run();
      } finally {
        affinities.close();
        release();
      }
    }
    const pool = split ? repulsionPool(req.n, req.dim, req.settings.theta, threadsWanted) : null;
    await attach(pool);
    threads = pool?.parts ?? 1;
    optimizer = new Tsne(source, { dim: req.dim, ...req.settings, init, repulsion: pool ?? undefined });
  }
  // Each posted layout sits on the previous title's: same frame, same orientation.
  const placed = (raw: Float32Array) => {
    const positions = normalizeLayout(raw, req.n, req.dim);
    return align ? alignTo(align.layout, positions, req.n, req.dim) : positions;
  };
  const total = req.method === 'umap' ? (optimizer as Umap).totalEpochs : req.settings.iterations;
  const counter = () => [optimizer instanceof Umap ? optimizer.epoch : optimizer.iteration, total];

  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 0;
  const every = threads >= cores ? CROWDED_SLICE_MS : SLICE_MS;
  for (let slice = FIRST_SLICE_MS; ; slice = every) {
    await whilePaused();
    const start = performance.now();
    while (!optimizer.done && performance.now() - start < slice) optimizer.step();
    const [iteration, total] = counter();
    const positions = placed(optimizer.positions());
    if (optimizer.done) {
      post({ type: 'result', result: { positions, iteration, total, threads } }, [positions.buffer]);
      return;
    }
    post({ type: 'partial', partial: { kind: 'layout', positions, iteration, total } }, [positions.buffer]);
    await nextTurn();
  }
}

scope.onmessage = (e: MessageEvent<LayoutRequest | LayoutControl>) => {
  const msg = e.data;
  if ('control' in msg) {
    paused = msg.control === 'pause';
    wake?.();
    wake = null;
    return;
  }
  run(msg).catch((err: unknown) => post(errorReply(err)));
};
