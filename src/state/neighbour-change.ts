/**
 * Movement as data: titles of an epoch series get a numeric metadata column "neighbour change",
 * the share of each point's 10 nearest neighbours (original space) that differ from the previous
 * title's, so "which points did this epoch rearrange?" is a colour, a label or a search. The
 * first title has none to compare with (missing values). Computed in a worker, once per pair.
 */
import { metadataColumn } from '../data/metadata-tsv';
import type { Metric } from '../reduce/knn';
import { runNeighbourChange } from '../workers/jobs';
import { loadDataset } from './dataset-cache';
import { getState, setState, type Dataset, type ResolvedEmbedding } from './store';

export const CHANGE_COLUMN = 'neighbour change';

const done = new Map<string, Float32Array>();
const pending = new Map<string, Promise<Float32Array>>();

/** The dataset with the column added (values null: not known yet, or no previous title). */
export function withChangeColumn(ds: Dataset, values: Float32Array | null): Dataset {
  const cells = Array.from({ length: ds.n }, (_, i) => (values ? String(Math.round(values[i] * 100) / 100) : null));
  const column = metadataColumn(CHANGE_COLUMN, cells);
  const others = ds.metadata?.columns.filter((c) => c.name !== CHANGE_COLUMN) ?? [];
  return { ...ds, metadata: { rows: ds.n, columns: [...others, column] } };
}

/**
 * The dataset to show for a title of a chain: with the column as far as it is known; when it is
 * still to compute, it is computed now and put in once ready (if that title is still on screen).
 */
export function changeColumnFor(ds: Dataset, previous: ResolvedEmbedding | null, metric: Metric): Dataset {
  if (!previous) return withChangeColumn(ds, null);
  const key = `${previous.tensor.name}>${ds.key}|${metric}`;
  const known = done.get(key);
  if (known) return withChangeColumn(ds, known);
  if (!pending.has(key)) {
    const p = (async () => {
      const prev = await loadDataset(previous, () => undefined);
      const values = (await runNeighbourChange({ prev: prev.vectors, prevD: prev.d, cur: ds.vectors, curD: ds.d, n: ds.n, metric }).promise).change;
      done.set(key, values);
      return values;
    })();
    pending.set(key, p);
    p.then(
      (values) => {
        const shown = getState().dataset;
        if (shown?.key === ds.key) setState({ dataset: withChangeColumn(shown, values) });
      },
      () => undefined,
    ).finally(() => pending.delete(key));
  }
  return withChangeColumn(ds, null);
}
