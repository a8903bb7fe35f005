/**
 * The Custom projection's inputs: which shown points each of the four queries matches (over one
 * metadata column or all, substring or regex, as search), then the projection in a worker. The
 * match counts are kept for the panel.
 */
import { compileQuery, searchRows } from '../data/search';
import { sampleRows } from '../reduce/sample';
import { runCustomProjection } from '../workers/jobs';
import { setState, type CustomSettings, type Dataset } from './store';

export async function customLayout(ds: Dataset, c: CustomSettings, subset: Int32Array | null, _background: boolean): Promise<Float32Array> {
  const columns = (ds.metadata?.columns ?? []).filter((col) => c.column === null || col.name === c.column);
  if (columns.length === 0) throw new Error(c.column ? `custom projection: no metadata column named "${c.column}"` : 'custom projection: the points have no metadata to search');
  const rows = subset ?? null;
  const local = new Int32Array(ds.n).fill(-1);
  if (rows) rows.forEach((r, k) => (local[r] = k));
  else for (let i = 0; i < ds.n; i++) local[i] = i;
  const match = (query: string) => {
    const found: number[] = [];
    searchRows(columns.map((col) => col.values), compileQuery(query, { regex: c.regex }), 0, ds.n, found);
    return Int32Array.from(found.filter((i) => local[i] >= 0), (i) => local[i]);
  };
  const [left, right, down, up] = [c.x[0], c.x[1], c.y[0], c.y[1]].map(match);
  setState({ customCounts: [left.length, right.length, down.length, up.length] });
  const t = rows ? sampleRows({ data: ds.vectors, n: ds.n, d: ds.d }, rows) : { data: ds.vectors, n: ds.n, d: ds.d };
  const { positions } = await runCustomProjection({ data: t.data, n: t.n, d: t.d, left, right, down, up }).promise;
  return positions;
}
