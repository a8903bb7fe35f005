/** Layouts per (dataset, method): PCA's ten components serve 2D and 3D alike. */
import { layoutFromProjections, precomputedLayout } from '../reduce/layout';
import { runPca } from '../workers/jobs';
import type { PcaReply } from '../workers/messages';
import type { WorkerJob } from '../workers/worker-client';
import type { Dataset, Dim, Method } from './store';

const PCA_COMPONENTS = 10;
const SEED = 42;

const pcaResults = new Map<string, PcaReply>();
let running: WorkerJob<PcaReply> | null = null;

export function cancelReduction(): void {
  running?.cancel();
  running = null;
}

export async function computeLayout(ds: Dataset, method: Method, dim: Dim, onProgress: (f: number) => void): Promise<Float32Array> {
  // Coordinates that already are 1-3D are shown as they are.
  if (ds.d <= 3) return precomputedLayout({ data: ds.vectors, n: ds.n, d: ds.d });
  if (method !== 'pca') throw new Error(`${method.toUpperCase()} is not available yet; use PCA`);
  let result = pcaResults.get(ds.key);
  if (!result) {
    running = runPca(ds.vectors, ds.n, ds.d, PCA_COMPONENTS, SEED, (p) => onProgress(p.loaded));
    result = await running.promise;
    running = null;
    pcaResults.set(ds.key, result);
  }
  return layoutFromProjections(result.projections, ds.n, result.k, dim === 3 ? [0, 1, 2] : [0, 1]);
}
