/// <reference lib="webworker" />
/** Thin entry: runs one reduction on a transferred tensor and transfers the projections back. */
import { pca } from '../reduce/pca/pca';
import type { PcaReply, PcaRequest, WorkerReply } from './messages';
import { errorReply } from './error-transfer';

const post = (msg: WorkerReply<PcaReply>, transfer: Transferable[] = []) =>
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

self.onmessage = (e: MessageEvent<PcaRequest>) => {
  try {
    const { data, n, d, components, seed, compressed } = e.data;
    const r = pca({ data, n, d }, components, {
      seed,
      compressed,
      onProgress: (f) => post({ type: 'progress', stage: 'PCA', loaded: f, total: 1 }),
    });
    post(
      { type: 'result', result: { job: 'pca', projections: r.projections, k: r.k, variance: r.variance, totalVariance: r.totalVariance } },
      [r.projections.buffer],
    );
  } catch (err) {
    post(errorReply(err));
  }
};
