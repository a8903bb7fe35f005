/** Main-thread entry points for worker jobs: typed, cancellable, data moved as transferables. */
import type { CompressedRows } from '../data/compressed-rows';
import type { Metadata } from '../data/types';
import type { ChangeReply, ChangeRequest, CustomReply, CustomRequest, LayoutControl, LayoutPartial, LayoutRequest, LayoutResult, PcaReply, ParseRequest, ParseResult, Source, SpriteReply, SpriteRequest, TensorFormat } from './messages';
import { runWorkerJob, type JobListeners, type Progress, type WorkerJob } from './worker-client';
import { handOver } from './shared-tensor';

const newParseWorker = () => new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' });
const newReduceWorker = () => new Worker(new URL('./reduce.worker.ts', import.meta.url), { type: 'module' });

/**
 * Fresh workers started with the page, each taken by the first job of its kind: the first
 * dataset's parse and PCA then do not wait for a worker to boot (~50-100 ms on two busy cores,
 * and the page's main thread is creating its WebGL context meanwhile). Never reused.
 */
const spare: { parse: Worker[]; reduce: Worker[] } = { parse: [], reduce: [] };
export function startSpareWorkers(): void {
  // One for each file of a first dataset: vectors, metadata, sprite (the sprite's decode is often the last to finish).
  while (spare.parse.length < 3) spare.parse.push(newParseWorker());
  if (spare.reduce.length === 0) spare.reduce.push(newReduceWorker());
}
const parseWorker = () => spare.parse.shift() ?? newParseWorker();
const reduceWorker = () => spare.reduce.pop() ?? newReduceWorker();

type OnProgress = (p: Progress) => void;

let budgetMB: number | undefined;
/** `?maxMemoryMB=`: sizes are checked against this budget before memory is taken. */
export function setParseBudgetMB(mb: number): void {
  if (mb > 0) budgetMB = mb;
}

export function parseJob<R extends ParseResult>(req: ParseRequest, onProgress?: OnProgress): WorkerJob<R> {
  return runWorkerJob<ParseRequest, R>(parseWorker, { ...req, budgetMB }, [], { onProgress });
}

export const loadVectors = (source: Source, format: TensorFormat, shape: [number, number] | null, onProgress?: OnProgress) =>
  parseJob<Extract<ParseResult, { job: 'vectors' }>>({ job: 'vectors', source, format, shape }, onProgress);

export const loadMetadata = (source: Source, onProgress?: OnProgress): WorkerJob<{ job: 'metadata'; metadata: Metadata }> =>
  parseJob({ job: 'metadata', source }, onProgress);

export const loadTable = (source: Source, vector: string | null, onProgress?: OnProgress) =>
  parseJob<Extract<ParseResult, { job: 'table' }>>({ job: 'table', source, vector }, onProgress);

export const loadSprite = (source: Source, onProgress?: OnProgress) =>
  parseJob<Extract<ParseResult, { job: 'sprite' }>>({ job: 'sprite', source }, onProgress);

const handOverRows = (c: CompressedRows, transfer: Transferable[]): CompressedRows => ({
  ptr: handOver(c.ptr, transfer),
  col: handOver(c.col, transfer),
  val: handOver(c.val, transfer),
});

/** The caller keeps its tensor: the worker shares it, or gets a transferred copy (./shared-tensor). */
export function runPca(
  data: Float32Array, n: number, d: number, components: number, seed: number, onProgress?: OnProgress, compressed: CompressedRows | null = null,
): WorkerJob<PcaReply> {
  const transfer: Transferable[] = [];
  const shared = handOver(data, transfer);
  const rows = compressed && handOverRows(compressed, transfer);
  return runWorkerJob(reduceWorker, { job: 'pca', data: shared, n, d, components, seed, compressed: rows }, transfer, { onProgress });
}

let layoutThreads: number | undefined;
/** `?workers=`: how many threads a layout may use (default: one fewer than the cores). */
export function setLayoutThreads(threads: number): void {
  if (Number.isInteger(threads) && threads > 0) layoutThreads = threads;
}

/**
 * The layout worker of the last job that finished, kept a while for the next one: its code is
 * compiled and its helper threads booted (in a fresh worker and helpers the first rounds of the
 * neighbour search run in V8's interpreter). One at most; ended after keepLayoutMs idle, or if it fails.
 */
let keepLayoutMs = 60_000;
/** `?keepWorkerMs=`: how long a finished layout's worker is kept for the next (0: ended at once). */
export function setKeepLayoutWorkerMs(ms: number): void {
  if (Number.isFinite(ms) && ms >= 0) keepLayoutMs = ms;
}
let keptLayout: { worker: Worker; timer: ReturnType<typeof setTimeout> } | null = null;

function keepLayoutWorker(worker: Worker): void {
  if (keepLayoutMs === 0) {
    worker.terminate();
    return;
  }
  if (keptLayout) {
    clearTimeout(keptLayout.timer);
    keptLayout.worker.terminate();
  }
  const end = () => {
    worker.terminate();
    if (keptLayout?.worker === worker) keptLayout = null;
  };
  worker.onerror = end;
  keptLayout = { worker, timer: setTimeout(end, keepLayoutMs) };
}

const layoutWorker = (): Worker => {
  if (!keptLayout) return new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  const { worker, timer } = keptLayout;
  clearTimeout(timer);
  keptLayout = null;
  return worker;
};

/** UMAP or t-SNE in a worker: streams layouts (and a freshly built graph) through onPartial. */
export function runLayout(
  request: Omit<LayoutRequest, 'job' | 'data'> & { data: Float32Array },
  listeners: JobListeners<LayoutPartial>,
): WorkerJob<LayoutResult, LayoutControl> {
  const transfer: Transferable[] = [];
  const data = handOver(request.data, transfer);
  // The cache keeps its graph for the next method: the worker shares it or gets a copy.
  const graph = request.graph && { ...request.graph, indices: handOver(request.graph.indices, transfer), distances: handOver(request.graph.distances, transfer) };
  const alignTo = request.alignTo && { ...request.alignTo, layout: request.alignTo.layout.slice() };
  if (alignTo) transfer.push(alignTo.layout.buffer);
  const compressed = request.compressed ? handOverRows(request.compressed, transfer) : null;
  return runWorkerJob(layoutWorker, { threads: layoutThreads, ...request, job: 'layout', data, graph, alignTo, compressed }, transfer, listeners, keepLayoutWorker);
}

const spriteWorker = () => new Worker(new URL('./sprite.worker.ts', import.meta.url), { type: 'module' });

/** Builds a sprite from the vectors read as images; the caller keeps its tensor. */
export function buildSpriteFromVectors(request: Omit<SpriteRequest, 'job'>, onProgress?: OnProgress): WorkerJob<SpriteReply> {
  const transfer: Transferable[] = [];
  const data = handOver(request.data, transfer);
  const backgrounds = request.backgrounds?.slice() ?? null;
  if (backgrounds) transfer.push(backgrounds.buffer);
  return runWorkerJob(spriteWorker, { ...request, job: 'sprite-from-vectors', data, backgrounds }, transfer, { onProgress });
}

const changeWorker = () => new Worker(new URL('./change.worker.ts', import.meta.url), { type: 'module' });

/** The "neighbour change" column between two titles; the caller keeps its tensors. */
export function runNeighbourChange(request: ChangeRequest): WorkerJob<ChangeReply> {
  const transfer: Transferable[] = [];
  const prev = handOver(request.prev, transfer);
  const cur = handOver(request.cur, transfer);
  return runWorkerJob(changeWorker, { ...request, prev, cur }, transfer);
}

const customWorker = () => new Worker(new URL('./custom.worker.ts', import.meta.url), { type: 'module' });

/** TF's Custom projection in a worker; the caller keeps its tensor. */
export function runCustomProjection(request: CustomRequest): WorkerJob<CustomReply> {
  const transfer: Transferable[] = [];
  const data = handOver(request.data, transfer);
  return runWorkerJob(customWorker, { ...request, data }, transfer);
}
