/**
 * TF's metadata editor: give the selected points a value in a new or existing column; colouring,
 * labels and search see it at once, and the edited metadata downloads as TSV. Edits belong to the
 * dataset on screen (switching title reads the file again).
 */
import { metadataTsv } from '../data/metadata-write';
import { metadataColumn } from '../data/metadata-tsv';
import { getState, setState } from './store';

export function labelSelection(column: string, value: string): void {
  const s = getState();
  const ds = s.dataset;
  if (!ds) throw new Error('load an embedding first');
  if (column.trim() === '') throw new Error('name the column to write the label in');
  if (s.selected.length === 0) throw new Error('select the points to label first');
  const columns = ds.metadata?.columns ?? [];
  const at = columns.findIndex((c) => c.name === column);
  const values = at >= 0 ? [...columns[at].values] : new Array<string | null>(ds.n).fill(null);
  for (const i of s.selected) values[i] = value === '' ? null : value;
  const edited = metadataColumn(column, values);
  const next = at >= 0 ? columns.map((c, k) => (k === at ? edited : c)) : [...columns, edited];
  setState({ dataset: { ...ds, metadata: { rows: ds.n, columns: next } } });
}

export async function exportMetadata(): Promise<Blob> {
  const ds = getState().dataset;
  if (!ds?.metadata) throw new Error('this embedding has no metadata to export');
  return new Blob([metadataTsv(ds.metadata)], { type: 'text/tab-separated-values' });
}
