/**
 * Per-point state the view draws and picks by, one byte a point: hidden by the legend, selected.
 * One typed array so the renderer can upload it as a vertex attribute as it is.
 */
import type { MetadataColumn } from '../data/types';

export const HIDDEN = 1;
export const SELECTED = 2;

export function pointFlags(n: number, column: MetadataColumn | null, hiddenValues: readonly string[], selected: Int32Array): Uint8Array {
  const flags = new Uint8Array(n);
  if (column && hiddenValues.length > 0) {
    const hidden = new Set(hiddenValues);
    const values = column.values;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v != null && hidden.has(v)) flags[i] = HIDDEN;
    }
  }
  for (let k = 0; k < selected.length; k++) if (selected[k] < n) flags[selected[k]] |= SELECTED;
  return flags;
}

let memo: { args: unknown[]; flags: Uint8Array } | null = null;

/** The view, picking and selection ask for the same flags; computed once per change. */
export function pointFlagsFor(n: number, column: MetadataColumn | null, hiddenValues: readonly string[], selected: Int32Array): Uint8Array {
  const args = [n, column, hiddenValues, selected];
  if (!memo || memo.args.some((a, i) => a !== args[i])) memo = { args, flags: pointFlags(n, column, hiddenValues, selected) };
  return memo.flags;
}
