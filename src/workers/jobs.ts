/** Main-thread entry points for worker jobs: typed, cancellable, data moved as transferables. */
import type { Metadata } from '../data/types';
import type { PcaReply, ParseRequest, ParseResult, Source } from './messages';
import { runWorkerJob, type Progress, type WorkerJob } from './worker-client';

const parseWorker = () => new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' });
const reduceWorker = () => new Worker(new URL('./reduce.worker.ts', import.meta.url), { type: 'module' });

type OnProgress = (p: Progress) => void;

export function parseJob<R extends ParseResult>(req: ParseRequest, onProgress?: OnProgress): WorkerJob<R> {
  return runWorkerJob<ParseRequest, R>(parseWorker, req, [], onProgress);
}

export const loadVectors = (source: Source, format: 'tsv' | 'bytes', shape: [number, number] | null, onProgress?: OnProgress) =>
  parseJob<Extract<ParseResult, { job: 'vectors' }>>({ job: 'vectors', source, format, shape }, onProgress);

export const loadMetadata = (source: Source, onProgress?: OnProgress): WorkerJob<{ job: 'metadata'; metadata: Metadata }> =>
  parseJob({ job: 'metadata', source }, onProgress);

export const loadSprite = (source: Source, onProgress?: OnProgress) =>
  parseJob<Extract<ParseResult, { job: 'sprite' }>>({ job: 'sprite', source }, onProgress);

/** The caller keeps its tensor: the worker gets a transferred copy. */
export function runPca(data: Float32Array, n: number, d: number, components: number, seed: number, onProgress?: OnProgress): WorkerJob<PcaReply> {
  const copy = data.slice();
  return runWorkerJob(reduceWorker, { job: 'pca', data: copy, n, d, components, seed }, [copy.buffer], onProgress);
}
