/** `?config=<url>` (repeatable, one group each) with optional `title`, `projection`, `dim`, `vector`. */
import type { Dim, Method } from './store';

export interface UrlRequest {
  configs: string[];
  title: string | null;
  method: Method | undefined;
  dim: Dim | undefined;
  /** `?vector=<column>`: which vector column of a table with several. */
  vector: string | null;
}

export function readUrlParams(search: string): UrlRequest {
  const q = new URLSearchParams(search);
  const method = q.get('projection');
  const dim = q.get('dim');
  return {
    configs: q.getAll('config').filter(Boolean),
    title: q.get('title'),
    method: method === 'pca' || method === 'umap' || method === 'tsne' ? method : undefined,
    dim: dim === '2' ? 2 : dim === '3' ? 3 : undefined,
    vector: q.get('vector') || null,
  };
}
