/**
 * Metadata as TSV again (after edits), readable by TF and by us: one column is written without a
 * header (TF's rule), several with one; cells that hold a tab, a line break or start with a quote
 * are quoted as Python's excel-tab dialect does (and our reader undoes).
 */
import type { Metadata } from './types';

const cell = (v: string | null) => (v === null ? '' : /[\t\n\r]|^"/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function metadataTsv(metadata: Metadata): string {
  const lines: string[] = [];
  if (metadata.columns.length > 1) lines.push(metadata.columns.map((c) => cell(c.name)).join('\t'));
  for (let i = 0; i < metadata.rows; i++) lines.push(metadata.columns.map((c) => cell(c.values[i])).join('\t'));
  return `${lines.join('\n')}\n`;
}
