/**
 * TF's sequences: a metadata column named `__seq_next__` holds, for each point, the row of the
 * next point of its sequence (empty or not a row: the sequence ends). The view draws a line from
 * each point to its next.
 */
import type { Metadata } from './types';

export const SEQUENCE_COLUMN = '__seq_next__';

/** Pairs (row, next row), flattened; empty when the metadata has no such column. */
export function sequencePairs(metadata: Metadata | null, n: number): Int32Array {
  const column = metadata?.columns.find((c) => c.name === SEQUENCE_COLUMN);
  if (!column) return new Int32Array(0);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = column.values[i];
    if (v === null || v.trim() === '') continue;
    const next = Number(v);
    if (Number.isInteger(next) && next >= 0 && next < n && next !== i) out.push(i, next);
  }
  return Int32Array.from(out);
}
