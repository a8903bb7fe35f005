/** Shapes shared by the table readers (Parquet, Arrow IPC, CSV/TSV). Pure: no DOM, no React. */
import { DataError } from '../errors';
import type { Metadata } from '../types';

/**
 * What a column can be used for: `list` a vector per cell (list or fixed-size list of floats, or
 * a text cell holding a JSON array / space-separated numbers); `float` and `int` numeric scalars;
 * `text` anything shown as metadata; `image` PNG/JPEG bytes; `skip` nothing we can show.
 */
export type ColumnKind = 'list' | 'float' | 'int' | 'text' | 'image' | 'skip';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
}

export interface TableOptions {
  /**
   * The vector column to use when a file has several (`?vector=`); null: the only one; false: no
   * vector at all (a table of labels: every scalar column is metadata, data is empty, d is 0).
   */
  vector?: string | null | false;
}

/** Pictures of the points: each row's PNG/JPEG bytes (null: no picture), to be decoded elsewhere. */
export interface TableImages {
  column: string;
  cells: (Uint8Array | null)[];
}

export interface TableResult {
  data: Float32Array;
  n: number;
  d: number;
  /** The column(s) the vectors came from: one list column, or the numeric scalars taken together. */
  vectorColumns: string[];
  /** Every list column that could be the vector (what the page offers to choose from). */
  vectorChoices: string[];
  metadata: Metadata | null;
  images: TableImages | null;
}

/**
 * The file has several vector columns and none was chosen. A DataError (the page shows it as
 * any bad input) that also carries the choices, so the page can ask.
 */
export class VectorChoiceError extends DataError {
  readonly choices: string[];
  constructor(file: string, choices: string[], detail?: string) {
    super(
      file,
      detail ?? `has ${choices.length} vector columns (${choices.join(', ')}): choose one in "Vector column" or with ?vector=<column>`,
    );
    this.choices = choices;
  }
}

export function isVectorChoiceError(e: unknown): e is VectorChoiceError {
  return e instanceof Error && e.name === 'DataError' && Array.isArray((e as { choices?: unknown }).choices);
}
