import type { Dataset } from '../state/store';

/** How lists name a point: its label column's value, else its first metadata value, else its row. */
export function pointName(dataset: Dataset, labelColumn: number, i: number): string {
  const columns = dataset.metadata?.columns ?? [];
  const v = (labelColumn >= 0 ? columns[labelColumn]?.values[i] : null) ?? columns[0]?.values[i];
  return v ?? `#${i}`;
}
