/**
 * CSV/TSV with a header row, through papaparse (quoted fields, quotes doubled inside, line
 * breaks inside quotes). Cells go straight into one array per column; no array of rows is kept.
 */
import Papa from 'papaparse';
import { DataError } from '../errors';
import { checkTensorSize } from '../memory-limit';
import { isNonFiniteText, parseDecimal } from '../number-scan';
import { metadataColumn } from '../metadata-tsv';
import type { MetadataColumn } from '../types';
import { cellError, metadataOf } from './assemble';
import { chooseVector } from './choose-vector';
import type { ColumnInfo, ColumnKind, TableOptions, TableResult } from './types';

export function readDelimited(text: string, file: string, options: TableOptions = {}): TableResult {
  const delimiter = /\.tsv$/i.test(file) ? '\t' : /\.csv$/i.test(file) ? ',' : '';
  let header: string[] | null = null;
  let cells: string[][] = [];
  let problem: string | null = null;
  Papa.parse<string[]>(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, {
    delimiter,
    skipEmptyLines: 'greedy',
    step: (result, parser) => {
      const row = result.data;
      if (!header) {
        header = row.map((h) => h.trim());
        cells = header.map(() => []);
        return;
      }
      if (row.length !== header.length) {
        problem = `row ${cells[0].length + 1} has ${row.length} fields but the header has ${header.length}`;
        parser.abort();
        return;
      }
      for (let j = 0; j < row.length; j++) cells[j].push(row[j]);
    },
  });
  if (problem) throw new DataError(file, problem);
  if (!header) throw new DataError(file, 'is empty: a table needs a header row and at least one row');
  const names: string[] = header;
  const n = cells[0]?.length ?? 0;
  if (n === 0) throw new DataError(file, 'has a header but no rows');
  const dup = names.find((h, i) => names.indexOf(h) !== i);
  if (dup !== undefined) throw new DataError(file, `the header names column "${dup}" twice`);

  const infos = names.map((name, j): ColumnInfo => ({ name, kind: kindOf(cells[j]) }));
  const plan = chooseVector(infos, options.vector, file);
  const at = (name: string) => cells[names.indexOf(name)];
  let data: Float32Array;
  let d: number;
  if (plan.columns.length === 0) {
    data = new Float32Array(0);
    d = 0;
  } else if (plan.list) ({ data, d } = listsToTensor(at(plan.columns[0]), n, file, plan.columns[0]));
  else {
    d = plan.columns.length;
    checkTensorSize(n, d, file);
    data = new Float32Array(n * d);
    plan.columns.forEach((name, j) => {
      const col = at(name);
      for (let i = 0; i < n; i++) data[i * d + j] = numberCell(col[i], file, name, i);
    });
  }
  const columns: MetadataColumn[] = [];
  for (const info of infos) {
    if (plan.columns.includes(info.name) || info.kind === 'list') continue;
    columns.push(metadataColumn(info.name, at(info.name).map((c) => (c.trim() === '' ? null : c))));
  }
  return { data, n, d, vectorColumns: plan.columns, vectorChoices: plan.choices, metadata: metadataOf(columns, n), images: null };
}

function numberCell(text: string, file: string, column: string, row: number): number {
  const t = text.trim();
  if (t === '') throw cellError(file, column, row, 'is empty; every vector needs all its values');
  const x = parseDecimal(t);
  if (!Number.isFinite(x)) throw cellError(file, column, row, isNonFiniteText(t) ? `is ${t}; vectors must be finite numbers` : `"${t.slice(0, 40)}" is not a number`);
  return x;
}

const LIST_START = /^\s*\[/;
const SPACED = /^\s*[-+]?(\d|\.\d)\S*(\s+\S+)+\s*$/;

/** A column is a vector column when its first cell is a JSON array or space-separated numbers. */
function kindOf(col: string[]): ColumnKind {
  const first = col.find((c) => c.trim() !== '');
  if (first === undefined) return 'text';
  if (LIST_START.test(first) || (SPACED.test(first) && first.trim().split(/\s+/).every((x) => Number.isFinite(parseDecimal(x))))) return 'list';
  let float = false;
  for (const c of col) {
    const t = c.trim();
    if (t === '') continue;
    if (isNonFiniteText(t)) float = true;
    else if (!Number.isFinite(parseDecimal(t))) return 'text';
    else if (/[.eE]/.test(t)) float = true;
  }
  return float ? 'float' : 'int';
}

function listsToTensor(col: string[], n: number, file: string, name: string): { data: Float32Array; d: number } {
  const split = (c: string) => c.trim().replace(/^\[|\]$/g, '').split(/[\s,]+/).filter((x) => x !== '');
  const d = split(col[0]).length;
  if (d === 0) throw cellError(file, name, 0, 'the vector is empty');
  checkTensorSize(n, d, file);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = col[i];
    if (c.trim() === '') throw cellError(file, name, i, 'is empty; every vector needs all its values');
    const parts = split(c);
    if (parts.length !== d) throw cellError(file, name, i, `has ${parts.length} values but row 1 has ${d}`);
    for (let j = 0; j < d; j++) data[i * d + j] = numberCell(parts[j], file, name, i);
  }
  return { data, d };
}
