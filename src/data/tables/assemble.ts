/** Builds the Float32Array and metadata from columns read by any of the table readers. */
import { DataError } from '../errors';
import { checkTensorSize } from '../memory-limit';
import { metadataColumn } from '../metadata-tsv';
import type { Metadata, MetadataColumn } from '../types';

/** A cell's position for messages: rows are counted from 1, the header (if any) not counted. */
export function cellError(file: string, column: string, row: number, problem: string): DataError {
  return new DataError(file, `column "${column}", row ${row + 1}: ${problem}`);
}

/** Something indexable per row: a typed array or a plain array with nulls. */
export type Cells = ArrayLike<unknown>;

/**
 * Numeric scalar columns side by side: row i is (col0[i], col1[i], …). Null and NaN are
 * errors naming the cell; the size is checked before the tensor is allocated.
 */
export function scalarsToTensor(cols: { name: string; cells: Cells }[], n: number, file: string): Float32Array {
  const d = cols.length;
  checkTensorSize(n, d, file);
  const out = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    const { name, cells } = cols[j];
    for (let i = 0; i < n; i++) out[i * d + j] = toFinite(cells[i], file, name, i);
  }
  return out;
}

/** One value of a vector as a number, or the error that names where it is. */
export function toFinite(v: unknown, file: string, column: string, row: number): number {
  if (v == null) throw cellError(file, column, row, 'is empty (null); every vector needs all its values');
  const x = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number.NaN;
  if (typeof v !== 'number' && typeof v !== 'bigint') throw cellError(file, column, row, `is not a number (${String(v).slice(0, 40)})`);
  if (!Number.isFinite(x)) throw cellError(file, column, row, `is ${x}; vectors must be finite numbers`);
  return x;
}

/** Checks one list cell's length against the first row's, before it is copied. */
export function checkWidth(len: number, d: number, file: string, column: string, row: number): void {
  if (len !== d) throw cellError(file, column, row, `has ${len} values but row 1 has ${d}`);
}

/** A metadata cell as the text the page shows (never HTML), null when missing. */
export function cellText(v: unknown): string | null {
  if (v == null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x));
}

export function textColumn(name: string, cells: Cells, n: number): MetadataColumn {
  const values: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) values[i] = cellText(cells[i]);
  return metadataColumn(name, values);
}

export function metadataOf(columns: MetadataColumn[], n: number): Metadata | null {
  return columns.length > 0 ? { columns, rows: n } : null;
}
