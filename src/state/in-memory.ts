/**
 * A dataset held in memory (an app's own arrays) as one group of one title. Its parts become
 * in-memory files, so they take the same path as dropped files: the parse worker checks them,
 * and switching projection or title reloads them from the same cache.
 */
import { metadataColumn } from '../data/metadata-tsv';
import { metadataTsv } from '../data/metadata-write';
import { allowedUrl } from '../data/url-safety';
import type { Source } from '../workers/messages';
import type { LoadedGroup } from './store';

export type MetadataCell = string | number | boolean | null | undefined;

export interface InMemoryData {
  /** n x d values, row-major. */
  vectors: Float32Array;
  n: number;
  d: number;
  /** One label per point, or named columns with one row of cells per point. */
  metadata?: MetadataCell[] | { columns: string[]; rows: MetadataCell[][] };
  /** A sprite atlas (PNG/JPEG as a Blob, or its URL) of singleImageDim cells, row-major from the top-left. */
  sprite?: { image: Blob | string; singleImageDim: [number, number] };
  /** The title shown in the selectors; "data" by default. */
  title?: string;
  /** The group's name; the title by default. */
  group?: string;
}

const text = (v: MetadataCell): string | null => (v == null || v === '' ? null : String(v));

function metadataFile(m: NonNullable<InMemoryData['metadata']>, n: number): File {
  const table = Array.isArray(m) ? { columns: ['label'], rows: m.map((v) => [v]) } : m;
  if (!Array.isArray(table.columns) || !Array.isArray(table.rows)) throw new Error('data.metadata: give one label per point or { columns, rows }');
  if (table.rows.length !== n) throw new Error(`data.metadata: ${table.rows.length} rows but n = ${n}; there must be one per point`);
  const columns = table.columns.map((name, c) => metadataColumn(String(name), table.rows.map((row) => text(row[c]))));
  return new File([metadataTsv({ columns, rows: n })], 'metadata.tsv', { type: 'text/tab-separated-values' });
}

function spriteSource(image: Blob | string): Source {
  if (typeof image !== 'string') return { kind: 'file', name: 'sprite.png', file: image instanceof File ? image : new File([image], 'sprite.png', { type: image.type }) };
  const url = new URL(image, location.href).href;
  if (!allowedUrl(url)) throw new Error(`data.sprite: "${image}" is not an http(s) or relative URL`);
  return { kind: 'url', name: url.slice(url.lastIndexOf('/') + 1) || 'sprite', urls: [url] };
}

/** Checks the shape up front: a message naming the field beats one about a file the caller never made. */
export function inMemoryGroup(data: InMemoryData): LoadedGroup {
  const { vectors, n, d } = data;
  if (!(vectors instanceof Float32Array)) throw new Error('data.vectors must be a Float32Array');
  if (!Number.isSafeInteger(n) || n <= 0 || !Number.isSafeInteger(d) || d <= 0) throw new Error(`data: n and d must be positive integers, got n=${n}, d=${d}`);
  if (vectors.length !== n * d) throw new Error(`data.vectors holds ${vectors.length} values but n x d = ${n * d}`);
  const title = data.title ?? 'data';
  // Float32 in the platform's byte order, which is little-endian wherever browsers run: the .bytes
  // format. A copy: the caller may reuse its array, and the file is re-read on every reprojection.
  const tensor = new File([new Float32Array(vectors)], `${title}.bytes`, { type: 'application/octet-stream' });
  return {
    name: data.group ?? title,
    embeddings: [
      {
        title,
        tensor: { kind: 'file', name: tensor.name, file: tensor },
        format: 'bytes',
        shape: [n, d],
        metadata: data.metadata ? { kind: 'file', name: 'metadata.tsv', file: metadataFile(data.metadata, n) } : null,
        metadataName: data.metadata && !Array.isArray(data.metadata) ? data.metadata.columns[0] : undefined,
        bookmarks: null,
        sprite: data.sprite ? { source: spriteSource(data.sprite.image), cell: data.sprite.singleImageDim } : null,
      },
    ],
  };
}
