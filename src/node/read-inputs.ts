/**
 * What the CLI reads, as the viewer reads it: vectors from TSV, .npy or a table (Parquet, Arrow,
 * CSV; its scalar columns come along as labels), labels from TSV or a table.
 */
import { readFile } from 'node:fs/promises';
import { DataError } from '../data/errors';
import { parseMetadata } from '../data/metadata-tsv';
import { npyTensor } from '../data/npy';
import { readTable } from '../data/tables/read-table';
import { isTableName } from '../data/tables/table-names';
import { VectorChoiceError } from '../data/tables/types';
import type { Metadata, Tensor } from '../data/types';
import { VectorsTsvParser } from '../data/vectors-tsv';
import { UsageError } from './usage-error';

export interface Labels {
  columns: string[];
  rows: (string | null)[][];
}

export interface VectorsInput extends Tensor {
  /** TSV vectors whose rows start with a label. */
  rowLabels: string[] | null;
  /** A table's other columns. */
  labels: Labels | null;
  metadata: Metadata | null;
}

export async function readInput(path: string, flag: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (code ?? String(e));
    throw new UsageError(`${flag} ${path}: ${why}`);
  }
}

function labelsOf(meta: Metadata | null): Labels | null {
  if (!meta || meta.columns.length === 0) return null;
  const rows = Array.from({ length: meta.rows }, (_, i) => meta.columns.map((c) => c.values[i]));
  return { columns: meta.columns.map((c) => c.name), rows };
}

/** Vectors or image rows from TSV, .npy or a table; `vector` picks a table's vector column. */
export async function readVectorsInput(path: string, flag: string, vector?: string): Promise<VectorsInput> {
  const bytes = await readInput(path, flag);
  if (isTableName(path)) {
    let t;
    try {
      t = await readTable(bytes, path, { vector: vector ?? null });
    } catch (e) {
      // The page's wording points at its select; here the choice is a flag.
      if (e instanceof VectorChoiceError && !vector) throw new DataError(path, `has ${e.choices.length} vector columns (${e.choices.join(', ')}): choose one with --vector <column>`);
      throw e;
    }
    return { data: t.data, n: t.n, d: t.d, rowLabels: null, labels: labelsOf(t.metadata), metadata: t.metadata };
  }
  if (/\.npy$/i.test(path)) return { ...npyTensor(bytes, path), rowLabels: null, labels: null, metadata: null };
  const parser = new VectorsTsvParser(path);
  parser.push(bytes);
  return { ...parser.finish(), labels: null, metadata: null };
}

/** Labels with TF's rules (one column: no header; several: header) or a table's columns, one row per vector. */
export async function readLabelsInput(path: string, n: number): Promise<Labels> {
  const bytes = await readInput(path, '--labels');
  const meta = isTableName(path)
    ? (await readTable(bytes, path, { vector: false })).metadata
    : parseMetadata(new TextDecoder('utf-8').decode(bytes), path);
  if (!meta || meta.columns.length === 0) throw new DataError(path, 'has no label columns');
  if (meta.rows !== n) {
    const hint = meta.columns.length === 1 && meta.rows === n + 1 && !isTableName(path) ? '; a one-column labels file has no header line: remove it' : '';
    throw new DataError(path, `${meta.rows} label rows but ${n} vectors; there must be one per vector${hint}`);
  }
  return labelsOf(meta)!;
}
