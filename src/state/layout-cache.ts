/**
 * Layouts for a dataset. PCA's ten components serve every axis choice; the neighbour graph is
 * built once per (dataset, metric) and reused by UMAP and t-SNE; finished layouts are kept per
 * (dataset, method, dim, settings, seed), so switching back is instant.
 */
import { layoutFromProjections, precomputedLayout } from '../reduce/layout';
import { runLayout, runPca } from '../workers/jobs';
import type { GraphPayload, LayoutControl, LayoutResult, PcaReply } from '../workers/messages';
import { expandSample, sampleIndices, sampleRows } from '../reduce/sample';
import type { Dataset, Dim, Method, PcaInfo, ProjectionSettings } from './store';

const PCA_COMPONENTS = 10;
/** UMAP and t-SNE place every point up to this many; above it the user picks a sample size. */
export const MAX_PLACED = 100_000;
const PCA_SEED = 42;

const pcaResults = new Map<string, PcaReply>();
const graphs = new Map<string, GraphPayload>();
const finished = new Map<string, Float32Array>();
/** The running job, PCA or iterative; only the iterative ones take pause/resume. */
let running: { cancel(): void; control?: (m: LayoutControl) => void } | null = null;

export function cancelReduction(): void {
  running?.cancel();
  running = null;
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
  return { ...(method === 'umap' ? s.umap : s.tsne), metric: s.metric, sample: s.sampleSize };
}

const layoutKey = (ds: Dataset, method: Method, dim: Dim, s: ProjectionSettings) =>
  `${ds.key}|${method}|${dim}|${JSON.stringify(settingsOf(method, s))}`;

async function pcaOf(ds: Dataset, onProgress: (f: number) => void): Promise<PcaReply> {
  let result = pcaResults.get(ds.key);
  if (!result) {
    const job = runPca(ds.vectors, ds.n, ds.d, PCA_COMPONENTS, PCA_SEED, (p) => onProgress(p.loaded));
    running = { cancel: job.cancel };
    result = await job.promise;
    running = null;
    pcaResults.set(ds.key, result);
  }
  return result;
}

export function pcaInfoOf(ds: Dataset): PcaInfo | null {
  const r = pcaResults.get(ds.key);
  return r ? { explained: Array.from(r.variance, (v) => v / r.totalVariance) } : null;
}

/** Coordinates that already are 1-3D are shown as they are. */
export const isPrecomputed = (ds: Dataset) => ds.d <= 3;

export async function computeLayout(
  ds: Dataset,
  method: Method,
  dim: Dim,
  settings: ProjectionSettings,
  listeners: LayoutListeners,
): Promise<Float32Array> {
  if (isPrecomputed(ds)) return precomputedLayout({ data: ds.vectors, n: ds.n, d: ds.d });
  const key = layoutKey(ds, method, dim, settings);
  const done = finished.get(key);
  if (done) return done;

  if (method === 'pca') {
    const r = await pcaOf(ds, (f) => listeners.onProgress('PCA', f));
    const [x, y, z] = settings.pca.axes.map((a) => Math.min(a, r.k - 1));
    const layout = layoutFromProjections(r.projections, ds.n, r.k, dim === 3 ? [x, y, z] : [x, y]);
    finished.set(key, layout);
    return layout;
  }

  const methodSettings = method === 'umap' ? settings.umap : settings.tsne;
  const size = settings.sampleSize;
  const rows = size != null && size < ds.n ? sampleIndices(ds.n, size, methodSettings.seed) : null;
  if (ds.n > MAX_PLACED && !rows) {
    const name = method === 'umap' ? 'UMAP' : 't-SNE';
    throw new Error(
      `${name} places every point up to ${MAX_PLACED.toLocaleString('en-US')}; this embedding has ${ds.n.toLocaleString('en-US')}. Choose a sample size in the projection panel.`,
    );
  }
  const input = rows ? sampleRows({ data: ds.vectors, n: ds.n, d: ds.d }, rows) : { data: ds.vectors, n: ds.n, d: ds.d };
  const full = (positions: Float32Array) => (rows ? expandSample(positions, rows, ds.n) : positions);
  const graphKey = `${ds.key}|${settings.metric}|${rows ? `${size}@${methodSettings.seed}` : 'all'}`;
  const job = runLayout(
    {
      dim,
      data: input.data,
      n: input.n,
      d: input.d,
      metric: settings.metric,
      graph: graphs.get(graphKey) ?? null,
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
  running = job;
  const result: LayoutResult = await job.promise;
  running = null;
  const positions = full(result.positions);
  finished.set(key, positions);
  return positions;
}
