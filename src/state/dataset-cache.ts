/**
 * Loads the parts of one title (vectors, metadata, sprite) through the parse worker, sharing
 * parts between titles (Comet's epochs share one metadata file and one sprite) and remembering
 * finished ones so switching back is instant. Failed or cancelled loads are forgotten.
 */
import type { CompressedRows } from '../data/compressed-rows';
import { checkMetadataRows, metadataColumn } from '../data/metadata-tsv';
import { spriteGeometry } from '../data/sprite-geometry';
import type { Metadata } from '../data/types';
import type { Source, TableParseResult } from '../workers/messages';
import { DataError } from '../data/errors';
import { loadMetadata, loadSprite, loadTable, loadVectors } from '../workers/jobs';
import type { Progress, WorkerJob } from '../workers/worker-client';
import type { Dataset, ResolvedEmbedding, Sprite } from './store';

type Vectors = { data: Float32Array; n: number; d: number; rowLabels: string[] | null; range: [number, number]; compressed: CompressedRows | null };

const fileIds = new WeakMap<File, number>();
let nextFileId = 1;
function sourceKey(s: Source): string {
  if (s.kind === 'url') return `url:${s.urls[0]}`;
  if (!fileIds.has(s.file)) fileIds.set(s.file, nextFileId++);
  return `file:${fileIds.get(s.file)}`;
}

const cache = new Map<string, Promise<unknown>>();
const inFlight = new Set<WorkerJob<unknown>>();
/** Bytes of each parsed part kept for switching back, least recently used first; 1 GB at most. */
const sizes = new Map<string, number>();
const MAX_KEPT_BYTES = 1 << 30;

/** Bytes a parsed part holds: vectors (and their compressed rows) and sprites by their buffers, metadata roughly. */
function bytesOf(part: unknown): number {
  const p = part as { data?: Float32Array; compressed?: CompressedRows | null; bitmap?: ImageBitmap; metadata?: { rows: number; columns: unknown[] } };
  const c = p.compressed;
  if (p.data) return p.data.byteLength + (c ? c.ptr.byteLength + c.col.byteLength + c.val.byteLength : 0);
  if (p.bitmap) return p.bitmap.width * p.bitmap.height * 4;
  if (p.metadata) return p.metadata.rows * p.metadata.columns.length * 32;
  return 0;
}

function keep(key: string, bytes: number): void {
  sizes.set(key, bytes);
  let total = 0;
  for (const b of sizes.values()) total += b;
  // Oldest first: Map order is insertion order, and a hit re-inserts.
  for (const k of [...sizes.keys()]) {
    if (total <= MAX_KEPT_BYTES || k === key) break;
    total -= sizes.get(k)!;
    sizes.delete(k);
    cache.delete(k);
  }
}

function cached<T>(key: string, start: () => WorkerJob<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) {
    const bytes = sizes.get(key);
    if (bytes !== undefined) {
      sizes.delete(key);
      sizes.set(key, bytes);
    }
    return hit as Promise<T>;
  }
  const job = start();
  inFlight.add(job);
  const p = job.promise.finally(() => inFlight.delete(job));
  cache.set(key, p);
  p.then((part) => keep(key, bytesOf(part)), () => cache.delete(key));
  return p;
}

/** Stops every running load: a newer choice has been made. */
export function cancelLoads(): void {
  for (const job of inFlight) job.cancel();
  inFlight.clear();
}

const sprites = new WeakMap<ImageBitmap, Map<string, Sprite>>();
/**
 * The sprite of a picture cut into cells for n points: the same object each time the dataset is
 * loaded again (a new projection of it), so the view keeps its uploaded textures — a new object
 * made it upload the whole atlas again (mnist-10k's 2800 px: a 113 ms main-thread task in
 * SwiftShader as the first layout arrived).
 */
function spriteOf(picture: { bitmap: ImageBitmap; greyscale: boolean }, cell: [number, number], n: number, name: string): Sprite {
  const { bitmap, greyscale } = picture;
  const key = `${cell?.join('x') ?? ''}|${n}|${greyscale}|${name}`;
  let byKey = sprites.get(bitmap);
  if (!byKey) sprites.set(bitmap, (byKey = new Map()));
  let sprite = byKey.get(key);
  if (!sprite) byKey.set(key, (sprite = { bitmap, greyscale, geometry: spriteGeometry(bitmap.width, bitmap.height, cell, n, name) }));
  return sprite;
}

const renamed = new WeakMap<Metadata, Metadata>();
/** A one-column table named as its source says; the same object each time, as caches compare by identity. */
function named(metadata: Metadata, name: string | undefined): Metadata {
  if (name === undefined || metadata.columns.length !== 1 || metadata.columns[0].name === name) return metadata;
  if (!renamed.has(metadata)) renamed.set(metadata, { ...metadata, columns: [{ ...metadata.columns[0], name }] });
  return renamed.get(metadata)!;
}

/** A dataset's vectors, as soon as they are read (its metadata and pictures may still be on the way). */
export type VectorsArrived = (v: Pick<Dataset, 'key' | 'n' | 'd' | 'vectors' | 'compressed'>) => void;

export async function loadDataset(emb: ResolvedEmbedding, onProgress: (p: Progress) => void, onVectors?: VectorsArrived): Promise<Dataset> {
  if (emb.format === 'table') return loadTableDataset(emb, onProgress);
  // The key names the data and its declared shape (which must be checked again), so caches of
  // its layouts can never serve another file's.
  const key = `v:${emb.format}:${emb.shape?.join('x') ?? '?'}:${sourceKey(emb.tensor)}`;
  const vectorsP = cached<Vectors>(key, () =>
    loadVectors(emb.tensor, emb.format, emb.shape, onProgress),
  );
  const metaSource = emb.metadata;
  const metaP = metaSource
    ? cached<{ metadata: Metadata }>(`m:${sourceKey(metaSource)}`, () => loadMetadata(metaSource, onProgress)).then((r) => named(r.metadata, emb.metadataName))
    : Promise.resolve(null);
  const spriteSpec = emb.sprite;
  const bitmapP = spriteSpec
    ? cached<{ bitmap: ImageBitmap; greyscale: boolean }>(`s:${sourceKey(spriteSpec.source)}`, () => loadSprite(spriteSpec.source, onProgress))
    : Promise.resolve(null);
  if (onVectors) void vectorsP.then((v) => onVectors({ key, n: v.n, d: v.d, vectors: v.data, compressed: v.compressed }), () => undefined);
  const [vectors, metadataRaw, picture] = await Promise.all([vectorsP, metaP, bitmapP]);

  if (metadataRaw && metaSource) checkMetadataRows(metadataRaw, vectors.n, metaSource.name);
  const metadata: Metadata | null =
    metadataRaw ??
    (vectors.rowLabels ? { rows: vectors.n, columns: [{ ...metadataColumn('label', vectors.rowLabels), numeric: false }] } : null);
  const sprite = picture && spriteSpec ? spriteOf(picture, spriteSpec.cell, vectors.n, spriteSpec.source.name) : null;
  return {
    key, name: emb.title, n: vectors.n, d: vectors.d, vectors: vectors.data, compressed: vectors.compressed,
    valueRange: vectors.range, rowLabels: vectors.rowLabels, metadata, sprite,
  };
}

/**
 * A table brings its own metadata and pictures; a config's metadataPath or sprite, when given,
 * is used instead of them.
 */
async function loadTableDataset(emb: ResolvedEmbedding, onProgress: (p: Progress) => void): Promise<Dataset> {
  const vector = emb.vector ?? null;
  const key = `t:${vector ?? ''}:${sourceKey(emb.tensor)}`;
  const tableP = cached<TableParseResult>(key, () => loadTable(emb.tensor, vector, onProgress));
  const metaSource = emb.metadata;
  const metaP = metaSource
    ? cached<{ metadata: Metadata }>(`m:${sourceKey(metaSource)}`, () => loadMetadata(metaSource, onProgress)).then((r) => r.metadata)
    : Promise.resolve(null);
  const spriteSpec = emb.sprite;
  const bitmapP = spriteSpec
    ? cached<{ bitmap: ImageBitmap; greyscale: boolean }>(`s:${sourceKey(spriteSpec.source)}`, () => loadSprite(spriteSpec.source, onProgress))
    : Promise.resolve(null);
  const [t, metadataFile, picture] = await Promise.all([tableP, metaP, bitmapP]);
  if (emb.shape && (emb.shape[0] !== t.n || emb.shape[1] !== t.d)) {
    throw new DataError(emb.tensor.name, `tensorShape says [${emb.shape.join(', ')}] but the table holds ${t.n} x ${t.d}`);
  }
  if (metadataFile && metaSource) checkMetadataRows(metadataFile, t.n, metaSource.name);
  const pictures = picture && spriteSpec ? { ...picture, cell: spriteSpec.cell, name: spriteSpec.source.name } : t.sprite && { ...t.sprite, name: emb.tensor.name };
  const sprite = pictures ? spriteOf(pictures, pictures.cell, t.n, pictures.name) : null;
  return {
    key, name: emb.title, n: t.n, d: t.d, vectors: t.data, valueRange: t.range, rowLabels: null,
    metadata: metadataFile ?? t.metadata, sprite, vectorColumns: t.vectorColumns, vectorChoices: t.vectorChoices,
  };
}
