/** Typed messages between the main thread and the workers. Payloads are typed arrays, transferred. */
import type { CompressedRows } from '../data/compressed-rows';
import type { Metadata } from '../data/types';
import type { Metric } from '../reduce/knn/knn';
import type { VectorImageSettings } from '../sprite/vector-images';

/** Where a file's bytes come from: candidate URLs tried in order (TF's fallback), or a local File. */
export type Source =
  | { kind: 'url'; name: string; urls: string[] }
  | { kind: 'file'; name: string; file: File };

/**
 * Vectors as TF's TSV, TF's raw float32 `.bytes`, NumPy's `.npy` (what `np.save` writes), or a
 * table (Parquet, Arrow IPC, CSV) holding the vectors, metadata and maybe pictures in one file.
 */
export type TensorFormat = 'tsv' | 'bytes' | 'npy' | 'table';

export type ParseRequest = (
  | { job: 'vectors'; source: Source; format: TensorFormat; shape: [number, number] | null }
  | { job: 'metadata'; source: Source }
  | { job: 'sprite'; source: Source }
  /** `vector`: the vector column to use when the table has several (`?vector=`). */
  | { job: 'table'; source: Source; vector: string | null }
) & {
  /** The page's memory budget (`?maxMemoryMB=`), when it sets one. */
  budgetMB?: number;
};

export type ParseResult =
  | { job: 'vectors'; data: Float32Array; n: number; d: number; rowLabels: string[] | null; range: [number, number]; compressed: CompressedRows | null }
  | { job: 'metadata'; metadata: Metadata }
  | { job: 'sprite'; bitmap: ImageBitmap; greyscale: boolean }
  | TableParseResult;

/** A table's vectors, its other columns as metadata, and its image column drawn into one atlas. */
export interface TableParseResult {
  job: 'table';
  data: Float32Array;
  n: number;
  d: number;
  range: [number, number];
  vectorColumns: string[];
  vectorChoices: string[];
  metadata: Metadata | null;
  sprite: { bitmap: ImageBitmap; greyscale: boolean; cell: [number, number] } | null;
}

export interface PcaRequest {
  job: 'pca';
  data: Float32Array;
  n: number;
  d: number;
  components: number;
  seed: number;
  /** The vectors' non-zeros, compressed as they were read (mostly-zero data only). */
  compressed: CompressedRows | null;
}

export interface PcaReply {
  job: 'pca';
  projections: Float32Array;
  k: number;
  variance: Float64Array;
  totalVariance: number;
}

/** The shared neighbour graph, as it crosses between threads. */
export interface GraphPayload {
  n: number;
  k: number;
  metric: Metric;
  indices: Int32Array;
  distances: Float32Array;
}

export interface UmapSettings {
  nNeighbors: number;
  minDist: number;
  epochs: number | 'auto';
  seed: number;
}

export interface TsneSettings {
  perplexity: number;
  learningRate: number | 'auto';
  iterations: number;
  theta: number;
  seed: number;
}

export type LayoutRequest = {
  job: 'layout';
  dim: 2 | 3;
  data: Float32Array;
  n: number;
  d: number;
  metric: Metric;
  /** A cached graph with at least the neighbours needed, or null to build one. */
  graph: GraphPayload | null;
  /**
   * An aligned chain's previous layout (n*3, normalised): the run starts from it (UMAP also keeps
   * a spring toward it, weight `anchor`), and every layout it posts is fitted onto it (Procrustes).
   */
  alignTo?: { layout: Float32Array; anchor: number } | null;
  /**
   * Threads for the parts that run in parallel (the graph's re-rank, UMAP's epochs, t-SNE's
   * repulsion) when memory can be shared: the page's `?workers=`, else one fewer than
   * navigator.hardwareConcurrency.
   */
  threads?: number;
  /** Search neighbours among the top principal components first (d > 128); default true. */
  projectNeighbours?: boolean;
  /** The vectors' non-zeros, compressed as they were read (mostly-zero data, whole tensor only). */
  compressed?: CompressedRows | null;
} & ({ method: 'umap'; settings: UmapSettings } | { method: 'tsne'; settings: TsneSettings });

export type LayoutPartial =
  | { kind: 'graph'; graph: GraphPayload }
  /** n*3 normalised positions after `iteration` of `total` iterations (epochs for UMAP). */
  | { kind: 'layout'; positions: Float32Array; iteration: number; total: number };

export interface LayoutResult {
  positions: Float32Array;
  iteration: number;
  total: number;
  /** Threads the run used: 1 without shared memory. */
  threads: number;
}

export type LayoutControl = { control: 'pause' } | { control: 'resume' };

/** Every worker speaks this envelope: progress and partial results any number of times, then one result or error. */
export type WorkerReply<R, P = never> =
  | { type: 'progress'; stage: string; loaded: number; total: number | null }
  | { type: 'partial'; partial: P }
  | { type: 'result'; result: R }
  | { type: 'error'; message: string; data?: { file: string; detail: string; line: number | null; field: string | null; choices?: string[] } };

/** Each vector read as an image, built into a sprite (Comet's create_embedding_image) in a worker. */
export interface SpriteRequest {
  job: 'sprite-from-vectors';
  data: Float32Array;
  n: number;
  d: number;
  settings: VectorImageSettings;
  /** n*3 background colours (0..255) composited under each picture, or null for none. */
  backgrounds: Uint8Array | null;
}

export interface SpriteReply {
  job: 'sprite-from-vectors';
  rgba: Uint8Array;
  width: number;
  height: number;
  cell: [number, number];
  png: Uint8Array;
}

/**
 * The query worker keeps one dataset's vectors (sent once, in chunks, so no main-thread copy is
 * long) and answers exact neighbour queries over them.
 */
export type QueryRequest =
  | { type: 'begin'; key: string; n: number; d: number }
  | { type: 'chunk'; key: string; offset: number; data: Float32Array }
  | { type: 'neighbors'; id: number; key: string; query: number; k: number; metric: Metric; eligible: Uint8Array | null };

export type QueryReply =
  | { type: 'neighbors'; id: number; indices: Int32Array; distances: Float32Array }
  | { type: 'error'; id: number; message: string };

/** Two titles of the same n points (their widths may differ): how each point's neighbourhood changed. */
export interface ChangeRequest {
  prev: Float32Array;
  prevD: number;
  cur: Float32Array;
  curD: number;
  n: number;
  metric: Metric;
}

export interface ChangeReply {
  change: Float32Array;
}

/** TF's Custom projection over n x d vectors: the rows each query matched (local to the tensor). */
export interface CustomRequest {
  data: Float32Array;
  n: number;
  d: number;
  left: Int32Array;
  right: Int32Array;
  down: Int32Array;
  up: Int32Array;
}

export interface CustomReply {
  /** n*2 (x, y), not normalised. */
  positions: Float32Array;
}
