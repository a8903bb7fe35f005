/**
 * Exports of what is on screen: coordinates (TSV with the metadata, or .npy float32), the
 * selection's metadata rows, and the view as a PNG; each named after the title and method.
 */
import { coordinatesTsv, npyFloat32, selectionTsv } from '../data/export-formats';
import { NOT_PLACED } from '../reduce/sample';
import { getState } from './store';
import { viewHandle } from './view-handle';

function current() {
  const s = getState();
  if (!s.dataset || !s.layout) throw new Error('nothing on screen to export');
  return s;
}

/** e.g. "epoch-3-umap2d": the title and the layout, safe as a file name. */
export function exportName(suffix: string): string {
  const s = getState();
  const title = s.groups[s.group]?.embeddings[s.title]?.title ?? s.dataset?.name ?? 'embedding';
  return `${title.replace(/[^\w.-]+/g, '-')}-${s.projection.method}${s.projection.dim}d${suffix}`;
}

export async function exportCoordinates(format: 'tsv' | 'npy'): Promise<Blob> {
  const s = current();
  const layout = s.layout!;
  const placed = (i: number) => Math.abs(layout[3 * i]) < NOT_PLACED;
  if (format === 'tsv') return new Blob([coordinatesTsv(layout, s.projection.dim, s.dataset!.metadata, placed)], { type: 'text/tab-separated-values' });
  if (format === 'npy') return new Blob([npyFloat32(layout, s.projection.dim, placed) as BlobPart], { type: 'application/octet-stream' });
  throw new Error(`format must be 'tsv' or 'npy'; got ${String(format)}`);
}

export async function exportSelection(): Promise<Blob> {
  const s = current();
  if (s.selected.length === 0) throw new Error('select some points first');
  return new Blob([selectionTsv(s.selected, s.dataset!.metadata)], { type: 'text/tab-separated-values' });
}

export async function exportViewPng(scale: number, legend = true): Promise<Blob> {
  current();
  const view = viewHandle();
  if (!view) throw new Error('the view is not mounted');
  return view.exportPng(scale, legend);
}
