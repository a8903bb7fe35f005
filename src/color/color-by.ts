/** Per-point colours for one metadata column, and the legend that explains them: pure, so the viewer and the CLI colour alike. */
import type { MetadataColumn } from '../data/types';
import { categoricalColor, DEFAULT_COLOR, MISSING_COLOR, sequentialColor, type Rgb } from './palette';

export type Legend =
  | { kind: 'none' }
  | { kind: 'categorical'; column: string; entries: { value: string; color: Rgb; count: number }[] }
  | { kind: 'numeric'; column: string; min: number; max: number };

export interface Coloring {
  /** n*3 RGB in [0, 1]. */
  colors: Float32Array;
  legend: Legend;
}

/** TF's threshold: past this many values, categories stop meaning anything as colours. */
export const MAX_CATEGORIES = 50;
const MAX_NUMERIC_CATEGORIES = 20;

/** Numbers always fit a continuous scale; text only while it has few enough values to tell apart. */
export const colorable = (column: MetadataColumn): boolean => column.numeric || column.distinct <= MAX_CATEGORIES;

export function colorBy(n: number, column: MetadataColumn | null): Coloring {
  const colors = new Float32Array(n * 3);
  const put = (i: number, c: Rgb) => colors.set(c, i * 3);
  if (!column || !colorable(column)) {
    for (let i = 0; i < n; i++) put(i, DEFAULT_COLOR);
    return { colors, legend: { kind: 'none' } };
  }
  const counts = new Map<string, number>();
  for (const v of column.values) if (v != null) counts.set(v, (counts.get(v) ?? 0) + 1);
  // A numeric column with few values (digit labels, class ids) reads best as categories.
  if (column.numeric && counts.size > MAX_NUMERIC_CATEGORIES) {
    let min = Infinity;
    let max = -Infinity;
    const nums = column.values.map((v) => (v == null ? NaN : Number(v)));
    for (const x of nums) if (!Number.isNaN(x)) { min = Math.min(min, x); max = Math.max(max, x); }
    const span = max > min ? max - min : 1;
    nums.forEach((x, i) => put(i, Number.isNaN(x) ? MISSING_COLOR : sequentialColor((x - min) / span)));
    return { colors, legend: { kind: 'numeric', column: column.name, min, max } };
  }
  // Numbers in their order; text with the most frequent categories on the most distinct colours.
  const order = [...counts.entries()].sort(
    column.numeric ? (a, b) => Number(a[0]) - Number(b[0]) : (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
  );
  const colorOf = new Map(order.map(([v], i) => [v, categoricalColor(i)]));
  column.values.forEach((v, i) => put(i, v == null ? MISSING_COLOR : colorOf.get(v)!));
  const entries = order.slice(0, MAX_CATEGORIES).map(([value, count]) => ({ value, count, color: colorOf.get(value)! }));
  return { colors, legend: { kind: 'categorical', column: column.name, entries } };
}
