/**
 * Movement as data: titles of an epoch series get a numeric metadata column "neighbour change",
 * the share of each point's 10 nearest neighbours (original space) that differ from the previous
 * title's, so "which points did this epoch rearrange?" is a colour, a label or a search. The
 * first title has none to compare with (missing values). Computed in a worker, once per pair.
 */
import { metadataColumn } from '../data/metadata-tsv';
import type { MetadataColumn } from '../data/types';
import type { Metric } from '../reduce/knn/knn';
import { runNeighbourChange } from '../workers/jobs';
import { loadDataset } from './dataset-cache';
import { getState, setState, type Dataset, type ResolvedEmbedding } from './store';

export const CHANGE_COLUMN = 'neighbour change';

/** Columns built once per pair of titles (n strings each), and the all-missing one per size. */
const done = new Map<string, MetadataColumn>();
const pending = new Map<string, Promise<MetadataColumn>>();
const missing = new Map<number, MetadataColumn>();
/** The derived dataset per (title, column): showing a title again reuses it, metadata included. */
const derived = new WeakMap<Dataset, WeakMap<MetadataColumn, Dataset>>();

function columnOf(values: Float32Array | null, n: number): MetadataColumn {
  if (!values) {
    let c = missing.get(n);
    if (!c) missing.set(n, (c = metadataColumn(CHANGE_COLUMN, new Array<string | null>(n).fill(null))));
    return c;
  }
  return metadataColumn(CHANGE_COLUMN, Array.from(values, (v) => String(Math.round(v * 100) / 100)));
}

/** The dataset with the column added (replacing an earlier one). */
export function withChangeColumn(ds: Dataset, column: MetadataColumn): Dataset {
  let byColumn = derived.get(ds);
  if (!byColumn) derived.set(ds, (byColumn = new WeakMap()));
  let out = byColumn.get(column);
  if (!out) {
    const others = ds.metadata?.columns.filter((c) => c.name !== CHANGE_COLUMN) ?? [];
    out = { ...ds, metadata: { rows: ds.n, columns: [...others, column] } };
    byColumn.set(column, out);
  }
  return out;
}

/**
 * The dataset to show for a title of a chain: with the column as far as it is known; when it is
 * still to compute, it is computed now and put in once ready (if that title is still on screen).
 */
export function changeColumnFor(ds: Dataset, previous: ResolvedEmbedding | null, metric: Metric): Dataset {
  if (!previous) return withChangeColumn(ds, columnOf(null, ds.n));
  const key = `${previous.tensor.name}>${ds.key}|${metric}`;
  const known = done.get(key);
  if (known) return withChangeColumn(ds, known);
  if (!pending.has(key)) {
    const p = (async () => {
      const prev = await loadDataset(previous, () => undefined);
      const values = (await runNeighbourChange({ prev: prev.vectors, prevD: prev.d, cur: ds.vectors, curD: ds.d, n: ds.n, metric }).promise).change;
      const column = columnOf(values, ds.n);
      done.set(key, column);
      return column;
    })();
    pending.set(key, p);
    p.then(
      (column) => {
        const shown = getState().dataset;
        if (shown?.key === ds.key) setState({ dataset: withChangeColumn(shown, column) });
      },
      () => undefined,
    ).finally(() => pending.delete(key));
  }
  return withChangeColumn(ds, columnOf(null, ds.n));
}
