/**
 * Layouts for a dataset. PCA's ten components serve every axis choice; the neighbour graph is
 * built once per (dataset, metric) and reused by UMAP and t-SNE; finished layouts are kept per
 * (dataset, method, dim, settings, seed), so switching back is instant.
 */
import { layoutFromProjections, normalizeLayout, precomputedLayout } from '../reduce/layout';
import { ByteLru } from './byte-lru';
import { customLayout } from './custom-layout';
import { runLayout, runPca } from '../workers/jobs';
import type { GraphPayload, LayoutControl, LayoutResult, PcaReply } from '../workers/messages';
import { expandSample, sampleIndices, sampleRows } from '../reduce/sample';
import { ALIGN_ANCHOR, alignTo } from '../reduce/align/align';
import { sphereize } from '../reduce/pca/sphereize';
import type { Dataset, Dim, Method, PcaInfo, ProjectionSettings } from './store';

const PCA_COMPONENTS = 10;
/** UMAP and t-SNE place every point up to this many; above it the user picks a sample size. */
let lastThreads: number | null = null;
/** Threads the last finished UMAP or t-SNE used (1 without shared memory); null before any. */
export const layoutThreads = (): number | null => lastThreads;

export const MAX_PLACED = 100_000;
const PCA_SEED = 42;

/** Bounded by bytes, least recently used out first (a 1M-point layout is 12 MB, its graph ~100 MB). */
const pcaResults = new ByteLru<string, PcaReply>(256 << 20, (r) => r.projections.byteLength);
const graphs = new ByteLru<string, GraphPayload>(512 << 20, (g) => g.indices.byteLength + g.distances.byteLength);
const finished = new ByteLru<string, Float32Array>(512 << 20, (l) => l.byteLength);
/** The running job, PCA or iterative; only the iterative ones take pause/resume. */
let running: { cancel(): void; control?: (m: LayoutControl) => void } | null = null;
/** Jobs computing ahead (playback): cancelled only by cancelAhead(). */
const ahead = new Set<{ cancel(): void }>();

export function cancelReduction(): void {
  running?.cancel();
  running = null;
}

function release(job: unknown): void {
  if (running === job) running = null;
}

export function cancelAhead(): void {
  for (const job of ahead) job.cancel();
  ahead.clear();
}

/** Tracks a job as the one on screen, or as work ahead. */
function track<T extends { cancel(): void; promise: Promise<unknown> }>(job: T, background: boolean): T {
  if (background) {
    ahead.add(job);
    job.promise.finally(() => ahead.delete(job)).catch(() => undefined);
  } else running = job;
  return job;
}

/**
 * The previous title of an aligned chain: a name for its layout (for cache keys) and the layout
 * itself (null when that title is not the same points).
 */
export interface AlignBase {
  key: string;
  layout(): Promise<Float32Array | null>;
}


export function pauseReduction(paused: boolean): void {
  running?.control?.({ control: paused ? 'pause' : 'resume' });
}

export interface LayoutListeners {
  onProgress(stage: string, fraction: number): void;
  /** An intermediate layout: n*3 positions after `iteration` of `total`. */
  onLayout(positions: Float32Array, iteration: number, total: number): void;
}

function settingsOf(method: Method, s: ProjectionSettings): unknown {
  if (method === 'pca') return s.pca;
  if (method === 'custom') return s.custom;
  return { ...(method === 'umap' ? s.umap : s.tsne), metric: s.metric, sample: s.sampleSize };
}

/** Names a set of rows (an isolated subset) in cache keys: its size and a hash of its indices. */
const subsetIds = new WeakMap<Int32Array, string>();
export function subsetKey(rows: Int32Array | null): string {
  if (!rows) return 'all';
  let id = subsetIds.get(rows);
  if (!id) {
    let h = 0x811c9dc5;
    for (let k = 0; k < rows.length; k++) h = Math.imul(h ^ rows[k], 0x01000193);
    id = `${rows.length}#${(h >>> 0).toString(36)}`;
    subsetIds.set(rows, id);
  }
  return id;
}

const layoutKey = (ds: Dataset, method: Method, dim: Dim, s: ProjectionSettings, subset: Int32Array | null) =>
  `${ds.key}|${subsetKey(subset)}|${method}|${dim}|${JSON.stringify(settingsOf(method, s))}`;

const tensorOf = (ds: PcaInput, rows: Int32Array | null) =>
  rows ? sampleRows({ data: ds.vectors, n: ds.n, d: ds.d }, rows) : { data: ds.vectors, n: ds.n, d: ds.d };

const pcaKey = (ds: Pick<Dataset, 'key'>, subset: Int32Array | null, sphere: boolean) => `${ds.key}|${subsetKey(subset)}${sphere ? '|sphereized' : ''}`;

/** PCA jobs under way, by pcaKey: a second caller (the view, after startPca) waits for the same job. */
const pcaRunning = new Map<string, Promise<PcaReply>>();

type PcaInput = Pick<Dataset, 'key' | 'n' | 'd' | 'vectors' | 'compressed'>;

async function pcaOf(ds: PcaInput, subset: Int32Array | null, sphere: boolean, background: boolean, onProgress: (f: number) => void): Promise<PcaReply> {
  const key = pcaKey(ds, subset, sphere);
  const result = pcaResults.get(key);
  if (result) return result;
  const pending = pcaRunning.get(key);
  if (pending) return pending;
  const rows = tensorOf(ds, subset);
  const t = sphere ? sphereize(rows) : rows;
  // The compressed rows describe the whole tensor as read: not a subset, not sphereized.
  const compressed = !subset && !sphere ? (ds.compressed ?? null) : null;
  const job = track(runPca(t.data, t.n, t.d, PCA_COMPONENTS, PCA_SEED, (p) => onProgress(p.loaded), compressed), background);
  const promise = job.promise.then((r) => {
    pcaResults.set(key, r);
    return r;
  });
  pcaRunning.set(key, promise);
  try {
    return await promise;
  } finally {
    pcaRunning.delete(key);
    release(job);
  }
}

/**
 * Starts the PCA of a dataset whose vectors have just arrived, while its metadata and pictures
 * are still loading: the first view then waits for whichever is last, not for both in turn.
 * Failures are left for the view's own call to report.
 */
export function startPca(v: PcaInput): void {
  if (isPrecomputed(v)) return;
  pcaOf(v, null, false, false, () => undefined).catch(() => undefined);
}

export function pcaInfoOf(ds: Dataset, subset: Int32Array | null = null, sphere = false): PcaInfo | null {
  const r = pcaResults.get(pcaKey(ds, subset, sphere));
  return r ? { explained: Array.from(r.variance, (v) => v / r.totalVariance) } : null;
}

/** Coordinates that already are 1-3D are shown as they are. */
export const isPrecomputed = (ds: Pick<Dataset, 'd'>) => ds.d <= 3;

/**
 * The layout of every row, or of an isolated subset of rows (the projection runs on just them;
 * the other rows sit at NOT_PLACED, hidden).
 */
export async function computeLayout(
  ds: Dataset,
  method: Method,
  dim: Dim,
  settings: ProjectionSettings,
  listeners: LayoutListeners,
  subset: Int32Array | null = null,
  align: AlignBase | null = null,
  background = false,
): Promise<Float32Array> {
  const expand = (positions: Float32Array, rows: Int32Array | null) => (rows ? expandSample(positions, rows, ds.n) : positions);
  if (isPrecomputed(ds)) return expand(precomputedLayout(tensorOf(ds, subset)), subset);
  const key = `${layoutKey(ds, method, dim, settings, subset)}${align ? `|after:${align.key}` : ''}`;
  const done = finished.get(key);
  if (done) return done;
  // The previous title's aligned layout, first (it may need its own predecessors).
  const previous = align ? await align.layout() : null;
  const reference = previous && previous.length === ds.n * 3 ? previous : null;

  if (method === 'pca') {
    const r = await pcaOf(ds, subset, !!settings.pca.sphereize, background, (f) => listeners.onProgress('PCA', f));
    const [x, y, z] = settings.pca.axes.map((a) => Math.min(a, r.k - 1));
    const own = expand(layoutFromProjections(r.projections, subset?.length ?? ds.n, r.k, dim === 3 ? [x, y, z] : [x, y]), subset);
    const layout = reference ? alignTo(reference, own, ds.n, dim) : own;
    finished.set(key, layout);
    return layout;
  }

  if (method === 'custom') {
    const layout = expand(normalizeLayout(await customLayout(ds, settings.custom, subset, background), subset?.length ?? ds.n, 2), subset);
    finished.set(key, layout);
    return layout;
  }

  const methodSettings = method === 'umap' ? settings.umap : settings.tsne;
  const size = settings.sampleSize;
  // An isolated subset is placed whole; otherwise a sample, when one was asked for.
  const rows = subset ?? (size != null && size < ds.n ? sampleIndices(ds.n, size, methodSettings.seed) : null);
  const count = rows?.length ?? ds.n;
  if (count > MAX_PLACED && (subset || !rows)) {
    const name = method === 'umap' ? 'UMAP' : 't-SNE';
    throw new Error(
      `${name} places every point up to ${MAX_PLACED.toLocaleString('en-US')}; this ${subset ? 'isolated set' : 'embedding'} has ${count.toLocaleString('en-US')}.${subset ? ' Isolate fewer points.' : ' Choose a sample size in the projection panel.'}`,
    );
  }
  // One point alone has no neighbours to lay out against: it sits at the centre.
  if (count < 2) return expand(new Float32Array(3 * count), rows);
  const input = tensorOf(ds, rows);
  const full = (positions: Float32Array) => expand(positions, rows);
  const previousLayout = reference ? { layout: rows ? sampleRows({ data: reference, n: ds.n, d: 3 }, rows).data : reference, anchor: method === 'umap' ? ALIGN_ANCHOR : 0 } : null;
  const graphKey = `${ds.key}|${settings.metric}|${settings.neighbourProjection ? 'pc' : 'full'}|${subset ? subsetKey(subset) : rows ? `${size}@${methodSettings.seed}` : 'all'}`;
  const job = runLayout(
    {
      dim,
      data: input.data,
      n: input.n,
      d: input.d,
      metric: settings.metric,
      projectNeighbours: settings.neighbourProjection,
      // Compressed as read: only for the whole tensor, not a sample of its rows.
      compressed: rows ? null : (ds.compressed ?? null),
      graph: graphs.get(graphKey) ?? null,
      alignTo: previousLayout,
      ...(method === 'umap' ? { method, settings: settings.umap } : { method, settings: settings.tsne }),
    },
    {
      onProgress: (p) => listeners.onProgress(p.stage, p.loaded),
      onPartial: (partial) => {
        if (partial.kind === 'graph') {
          const had = graphs.get(graphKey);
          if (!had || had.k < partial.graph.k) graphs.set(graphKey, partial.graph);
        } else listeners.onLayout(full(partial.positions), partial.iteration, partial.total);
      },
    },
  );
  track(job, background);
  const result: LayoutResult = await job.promise;
  release(job);
  lastThreads = result.threads;
  const positions = full(result.positions);
  finished.set(key, positions);
  return positions;
}
