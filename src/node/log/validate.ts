/**
 * Checks of everything logEmbedding is given, all before the first write, so bad input leaves
 * no files; messages name the row, column or option at fault.
 */
import { createHash } from 'node:crypto';
import { fail } from './errors';

/** A metadata cell; null, undefined and '' are written as empty (missing in the viewer). */
export type Cell = string | number | boolean | null | undefined;

export type VectorsInput = number[][] | { data: ArrayLike<number>; n: number; d: number };

/**
 * One label per point; or, as Comet takes them, rows of fields with the header row first;
 * or named columns with rows of fields.
 */
export type LabelsInput = Cell[] | Cell[][] | { columns: string[]; rows: Cell[][] } | null | undefined;

export interface Vectors {
  data: ArrayLike<number>;
  n: number;
  d: number;
  float32: boolean;
}

/** Labels as named columns of cells; the header is written only when there are several columns. */
export interface Table {
  columns: string[];
  rows: Cell[][];
}

// Doubles at or beyond this become Infinity as float32, which the viewer rejects.
const FLOAT32_OVERFLOW = 3.4028235677973366e38;

export function readVectors(vectors: VectorsInput): Vectors {
  if (Array.isArray(vectors)) {
    const n = vectors.length;
    if (n === 0) fail('vectors: no rows');
    const first = vectors[0];
    if (!Array.isArray(first) && !ArrayBuffer.isView(first)) fail('vectors: must be a list of rows (number[][]) or { data, n, d }');
    const d = first.length;
    if (d === 0) fail('vectors: row 0 is empty');
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = vectors[i];
      if (!Array.isArray(row) && !ArrayBuffer.isView(row)) fail(`vectors: row ${i} is not an array`);
      if (row.length !== d) fail(`vectors: row ${i} has ${row.length} values but row 0 has ${d} (ragged rows)`);
      for (let j = 0; j < d; j++) data[i * d + j] = checkValue(row[j], i, j);
    }
    return { data, n, d, float32: false };
  }
  if (!vectors || typeof vectors !== 'object' || !('data' in vectors)) fail('vectors: must be a list of rows (number[][]) or { data, n, d }');
  const { data, n, d } = vectors;
  if (!Number.isSafeInteger(n) || n <= 0 || !Number.isSafeInteger(d) || d <= 0) {
    fail(`vectors: n and d must be positive integers, got n=${n}, d=${d}`);
  }
  if (data.length !== n * d) fail(`vectors: data has ${data.length} values but n x d = ${n} x ${d} = ${n * d}`);
  for (let k = 0; k < data.length; k++) checkValue(data[k], Math.floor(k / d), k % d);
  return { data, n, d, float32: data instanceof Float32Array };
}

function checkValue(v: unknown, row: number, col: number): number {
  if (typeof v !== 'number') return fail(`vectors: row ${row}, column ${col}: ${JSON.stringify(v) ?? String(v)} is not a number`);
  if (!Number.isFinite(v)) return fail(`vectors: row ${row}, column ${col}: ${v} is not a finite number`);
  if (Math.abs(v) >= FLOAT32_OVERFLOW) return fail(`vectors: row ${row}, column ${col}: ${v} is too large for float32`);
  return v;
}

export function readLabels(labels: LabelsInput, n: number): Table | null {
  if (labels == null) return null;
  let table: Table;
  if (Array.isArray(labels)) {
    if (labels.length > 0 && Array.isArray(labels[0])) {
      // Comet's table form: the header row first.
      const [header, ...rows] = labels as Cell[][];
      table = { columns: header.map((c) => (c == null ? '' : String(c))), rows };
      if (rows.length === n - 1) {
        fail(`labels: ${rows.length} rows after the header row but there are ${n} vectors; a list of rows starts with a header row (or pass { columns, rows })`);
      }
    } else {
      table = { columns: ['label'], rows: (labels as Cell[]).map((v) => [v]) };
    }
  } else if (typeof labels === 'object' && Array.isArray(labels.columns) && Array.isArray(labels.rows)) {
    table = { columns: labels.columns.map(String), rows: labels.rows };
  } else {
    return fail('labels: must be a list of labels, a list of rows with a header row first, or { columns, rows }');
  }
  if (table.rows.length !== n) fail(`labels: ${table.rows.length} labels but ${n} vectors; there must be one per vector`);
  const width = table.columns.length;
  if (width === 0) fail('labels: no columns');
  const seen = new Set<string>();
  for (const c of table.columns) {
    if (c.trim() === '') fail('labels: a column name is empty');
    if (/[\t\r\n]/.test(c)) fail(`labels: column name ${JSON.stringify(c)} holds a tab or line break`);
    if (seen.has(c)) fail(`labels: column name ${JSON.stringify(c)} appears twice`);
    seen.add(c);
  }
  table.rows.forEach((row, i) => {
    if (!Array.isArray(row)) fail(`labels: row ${i} is not a list of fields`);
    if (row.length !== width) fail(`labels: row ${i} has ${row.length} fields but there are ${width} columns`);
  });
  return table;
}

export function checkImageSize(size: readonly number[]): void {
  if (!Array.isArray(size) || (size.length !== 2 && size.length !== 3) || !size.every((v) => Number.isSafeInteger(v) && v > 0)) {
    fail(`imageSize must be [width, height] or [width, height, channels] of positive integers, got ${JSON.stringify(size)}`);
  }
  if (size.length === 3 && ![1, 3, 4].includes(size[2])) fail(`imageSize: channels must be 1, 3 or 4, got ${size[2]}`);
}


/** The viewer reads the group's name from the file name, and fetches it by URL: keep both intact. */
export function checkGroupName(group: string): void {
  if (typeof group !== 'string' || group.trim() === '') fail('group must be a non-empty string');
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._+-]*$/u.test(group)) {
    fail(`group ${JSON.stringify(group)}: use letters, digits, spaces and . _ + - (it becomes the file name template-<group>-configs.json)`);
  }
}

/** File-name part for a title or group: URL- and file-system-safe; a hash keeps lossy names apart. */
export function safeFileName(s: string): string {
  const slug = s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'embedding';
  if (slug === s) return slug;
  return `${slug}-${createHash('sha256').update(s).digest('hex').slice(0, 6)}`;
}

