/**
 * Loads the parts of one title (vectors, metadata, sprite) through the parse worker, sharing
 * parts between titles (Comet's epochs share one metadata file and one sprite) and remembering
 * finished ones so switching back is instant. Failed or cancelled loads are forgotten.
 */
import { checkMetadataRows, metadataColumn } from '../data/metadata-tsv';
import { spriteGeometry } from '../data/sprite-geometry';
import type { Metadata } from '../data/types';
import type { Source } from '../workers/messages';
import { loadMetadata, loadSprite, loadVectors } from '../workers/jobs';
import type { Progress, WorkerJob } from '../workers/worker-client';
import type { Dataset, ResolvedEmbedding } from './store';

type Vectors = { data: Float32Array; n: number; d: number; rowLabels: string[] | null; range: [number, number] };

const fileIds = new WeakMap<File, number>();
let nextFileId = 1;
function sourceKey(s: Source): string {
  if (s.kind === 'url') return `url:${s.urls[0]}`;
  if (!fileIds.has(s.file)) fileIds.set(s.file, nextFileId++);
  return `file:${fileIds.get(s.file)}`;
}

const cache = new Map<string, Promise<unknown>>();
const inFlight = new Set<WorkerJob<unknown>>();

function cached<T>(key: string, start: () => WorkerJob<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit as Promise<T>;
  const job = start();
  inFlight.add(job);
  const p = job.promise.finally(() => inFlight.delete(job));
  cache.set(key, p);
  p.catch(() => cache.delete(key));
  return p;
}

/** Stops every running load: a newer choice has been made. */
export function cancelLoads(): void {
  for (const job of inFlight) job.cancel();
  inFlight.clear();
}

export async function loadDataset(emb: ResolvedEmbedding, onProgress: (p: Progress) => void): Promise<Dataset> {
  // The key names the data and its declared shape (which must be checked again), so caches of
  // its layouts can never serve another file's.
  const key = `v:${emb.format}:${emb.shape?.join('x') ?? '?'}:${sourceKey(emb.tensor)}`;
  const vectorsP = cached<Vectors>(key, () =>
    loadVectors(emb.tensor, emb.format, emb.shape, onProgress),
  );
  const metaSource = emb.metadata;
  const metaP = metaSource
    ? cached<{ metadata: Metadata }>(`m:${sourceKey(metaSource)}`, () => loadMetadata(metaSource, onProgress)).then((r) => r.metadata)
    : Promise.resolve(null);
  const spriteSpec = emb.sprite;
  const bitmapP = spriteSpec
    ? cached<{ bitmap: ImageBitmap; greyscale: boolean }>(`s:${sourceKey(spriteSpec.source)}`, () => loadSprite(spriteSpec.source, onProgress))
    : Promise.resolve(null);
  const [vectors, metadataRaw, picture] = await Promise.all([vectorsP, metaP, bitmapP]);

  if (metadataRaw && metaSource) checkMetadataRows(metadataRaw, vectors.n, metaSource.name);
  const metadata: Metadata | null =
    metadataRaw ??
    (vectors.rowLabels ? { rows: vectors.n, columns: [{ ...metadataColumn('label', vectors.rowLabels), numeric: false }] } : null);
  const sprite =
    picture && spriteSpec
      ? {
          bitmap: picture.bitmap,
          greyscale: picture.greyscale,
          geometry: spriteGeometry(picture.bitmap.width, picture.bitmap.height, spriteSpec.cell, vectors.n, spriteSpec.source.name),
        }
      : null;
  return { key, name: emb.title, n: vectors.n, d: vectors.d, vectors: vectors.data, valueRange: vectors.range, rowLabels: vectors.rowLabels, metadata, sprite };
}
