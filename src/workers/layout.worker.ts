/// <reference lib="webworker" />
/**
 * Thin entry for the iterative layouts (UMAP, t-SNE). Builds the neighbour graph when the caller
 * has none cached, then iterates in slices of ~100 ms, streaming each improved layout back, and
 * yielding between slices so pause/resume messages get through.
 */
import { knnGraph, type KnnGraph } from '../reduce/knn';
import { alignTo } from '../reduce/align';
import { normalizeLayout } from '../reduce/layout';
import { Tsne } from '../reduce/tsne';
import { Umap } from '../reduce/umap';
import type { GraphPayload, LayoutControl, LayoutPartial, LayoutRequest, LayoutResult, WorkerReply } from './messages';
import { errorReply } from './error-transfer';
import { repulsionPool, type RepulsionPool } from '../reduce/repulsion-pool';
import { canShareMemory } from './shared-tensor';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: WorkerReply<LayoutResult, LayoutPartial>, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

const SLICE_MS = 100;
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

/** Threads a run may use: the request's, else the machine's; 1 where memory cannot be shared. */
function threadsFor(req: LayoutRequest): number {
  if (!canShareMemory()) return 1;
  const wanted = req.threads ?? (typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 1);
  return Math.max(1, Math.min(16, Math.floor(wanted) || 1));
}

/** t-SNE's repulsion over `threads` threads: this one and threads - 1 helpers (nested workers). */
async function startPool(n: number, dim: 2 | 3, theta: number, threads: number): Promise<{ pool: RepulsionPool; stop: () => void } | null> {
  if (threads < 2 || n < 2 * threads) return null;
  const pool = repulsionPool(n, dim, theta, threads);
  const helpers: Worker[] = [];
  const stop = () => {
    pool.close();
    for (const w of helpers) w.terminate();
  };
  // Every helper must be running before this thread may block waiting for it.
  const started = pool.shares().map(
    (share) =>
      new Promise<void>((resolve, reject) => {
        const w = new Worker(new URL('./tsne-helper.worker.ts', import.meta.url), { type: 'module' });
        helpers.push(w);
        w.onmessage = () => resolve();
        w.onerror = (e) => reject(new Error(`t-SNE: a helper thread failed to start: ${e.message || 'worker error'}`));
        w.postMessage(share);
      }),
  );
  try {
    await Promise.all(started);
  } catch (err) {
    stop();
    throw err;
  }
  return { pool, stop };
}

async function run(req: LayoutRequest): Promise<void> {
  const parallel = req.method === 'tsne' ? await startPool(req.n, req.dim, req.settings.theta, threadsFor(req)) : null;
  try {
    await runWith(req, parallel?.pool ?? null);
  } finally {
    parallel?.stop();
  }
}

async function runWith(req: LayoutRequest, pool: RepulsionPool | null): Promise<void> {
  const threads = pool?.parts ?? 1;
  const k = neighboursNeeded(req);
  let graph: GraphPayload | null = req.graph;
  if (!graph || graph.k < k) {
    post({ type: 'progress', stage: 'Neighbour graph', loaded: 0, total: 1 });
    graph = knnGraph({ data: req.data, n: req.n, d: req.d }, k, req.metric, {
      seed: req.settings.seed,
      onProgress: (f) => post({ type: 'progress', stage: 'Neighbour graph', loaded: f, total: 1 }),
    });
    // The caller caches a copy for the next method; this worker keeps its own.
    const copy = { ...graph, indices: graph.indices.slice(), distances: graph.distances.slice() };
    post({ type: 'partial', partial: { kind: 'graph', graph: copy } }, [copy.indices.buffer, copy.distances.buffer]);
  }
  const g = firstColumns(graph, k);
  // Building the fuzzy set or P takes a moment at large N: say so.
  post({ type: 'progress', stage: req.method === 'umap' ? 'Fuzzy graph' : 'Affinities', loaded: 0, total: 1 });
  const align = req.alignTo ?? null;
  const init = align ? firstDims(align.layout, req.n, req.dim) : undefined;
  const optimizer =
    req.method === 'umap'
      ? new Umap(g, { dim: req.dim, ...req.settings, init, anchor: align?.anchor ?? 0 })
      : new Tsne(g, { dim: req.dim, ...req.settings, init, repulsion: pool ?? undefined });
  // Each posted layout sits on the previous title's: same frame, same orientation.
  const placed = (raw: Float32Array) => {
    const positions = normalizeLayout(raw, req.n, req.dim);
    return align ? alignTo(align.layout, positions, req.n, req.dim) : positions;
  };
  const total = req.method === 'umap' ? (optimizer as Umap).totalEpochs : req.settings.iterations;
  const counter = () => [optimizer instanceof Umap ? optimizer.epoch : optimizer.iteration, total];

  for (;;) {
    await whilePaused();
    const start = performance.now();
    while (!optimizer.done && performance.now() - start < SLICE_MS) optimizer.step();
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
