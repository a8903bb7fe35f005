/** Typed messages between the main thread and the workers. Payloads are typed arrays, transferred. */
import type { Metadata } from '../data/types';

/** Where a file's bytes come from: candidate URLs tried in order (TF's fallback), or a local File. */
export type Source =
  | { kind: 'url'; name: string; urls: string[] }
  | { kind: 'file'; name: string; file: File };

export type ParseRequest =
  | { job: 'vectors'; source: Source; format: 'tsv' | 'bytes'; shape: [number, number] | null }
  | { job: 'metadata'; source: Source }
  | { job: 'sprite'; source: Source };

export type ParseResult =
  | { job: 'vectors'; data: Float32Array; n: number; d: number; rowLabels: string[] | null }
  | { job: 'metadata'; metadata: Metadata }
  | { job: 'sprite'; bitmap: ImageBitmap };

export interface PcaRequest {
  job: 'pca';
  data: Float32Array;
  n: number;
  d: number;
  components: number;
  seed: number;
}

export interface PcaReply {
  job: 'pca';
  projections: Float32Array;
  k: number;
  variance: Float64Array;
  totalVariance: number;
}

/** Every worker speaks this envelope: progress any number of times, then one result or error. */
export type WorkerReply<R> =
  | { type: 'progress'; stage: string; loaded: number; total: number | null }
  | { type: 'result'; result: R }
  | { type: 'error'; message: string };
