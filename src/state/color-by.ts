/** The colouring of the dataset on screen, shared by the view, the legend and the exports. */
import { colorBy, type Coloring } from '../color/color-by';
import type { MetadataColumn } from '../data/types';

let memo: { n: number; column: MetadataColumn | null; result: Coloring } | null = null;

/** The view and the legend ask for the same colouring; it is computed once per (data, column). */
export function coloringFor(n: number, column: MetadataColumn | null): Coloring {
  if (!memo || memo.n !== n || memo.column !== column) memo = { n, column, result: colorBy(n, column) };
  return memo.result;
}
