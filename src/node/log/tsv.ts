/** The text files logEmbedding writes: metadata and vectors TSV that this viewer and TF read back unchanged. */
import type { Cell, Table, Vectors } from './validate';

const cellText = (v: Cell): string => (v == null ? '' : String(v));

/** What the viewer's metadata parser makes of a written cell (null = missing). */
export const cellValue = (v: Cell): string | null => (cellText(v) === '' ? null : cellText(v));

/** Quoted as Python's csv (excel-tab) does, which the viewer and TF read back unchanged. */
function tsvField(v: Cell, oneColumn: boolean): string {
  const s = cellText(v);
  // Unquoted blank cells read as missing, and a one-column file drops trailing blank lines.
  if (s === '') return oneColumn ? '""' : '';
  if (/[\t\r\n"]/.test(s) || s.trim() === '') return `"${s.replace(/"/g, '""')}"`;
  return s;
}

export function metadataTsv(table: Table): string {
  const one = table.columns.length === 1;
  // TF's rule: one column has no header line; several have one.
  const lines = one ? [] : [table.columns.join('\t')];
  for (const row of table.rows) lines.push(row.map((v) => tsvField(v, one)).join('\t'));
  return `${lines.join('\n')}\n`;
}

/** In blocks of rows: one string for a large tensor could pass V8's string length limit. */
export function vectorsTsv({ data, n, d, float32 }: Vectors): string[] {
  const text = float32 ? float32Text : (v: number) => String(v);
  const blocks: string[] = [];
  const row = new Array<string>(d);
  for (let start = 0; start < n; start += 4096) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(n, start + 4096); i++) {
      for (let j = 0; j < d; j++) row[j] = text(data[i * d + j]);
      lines.push(row.join('\t'));
    }
    blocks.push(`${lines.join('\n')}\n`);
  }
  return blocks;
}

/** The shortest decimal that reads back as the same float32 (String() would print the double's digits). */
function float32Text(v: number): string {
  if (Number.isInteger(v)) return String(v);
  for (let p = 6; p < 9; p++) {
    const x = Number(v.toPrecision(p));
    if (Math.fround(x) === v) return String(x);
  }
  return String(Number(v.toPrecision(9)));
}
