/**
 * readTable: one entry for every table format, by content (magic bytes) rather than by name,
 * so a renamed file still opens. Pure: used by the parse worker and, later, by Node code.
 */
import { DataError, isDataError } from '../errors';
import { readArrow } from './arrow';
import { readDelimited } from './delimited';
import { readParquet } from './parquet';
import type { TableOptions, TableResult } from './types';

export type { TableOptions, TableResult } from './types';

export type TableFormat = 'parquet' | 'arrow' | 'delimited';

export { isTableName } from './table-names';

export function tableFormat(bytes: Uint8Array): TableFormat {
  const at = (s: string, from: number) => [...s].every((ch, i) => bytes[from + i] === ch.charCodeAt(0));
  if (bytes.length >= 8 && at('PAR1', 0)) return 'parquet';
  // The Arrow file format starts with ARROW1; the stream format with a 0xFFFFFFFF continuation.
  if (at('ARROW1', 0) || (bytes.length >= 8 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff)) return 'arrow';
  return 'delimited';
}

export async function readTable(bytes: Uint8Array, name: string, options: TableOptions = {}): Promise<TableResult> {
  if (bytes.length === 0) throw new DataError(name, 'is empty');
  try {
    return await readAs(tableFormat(bytes), bytes, name, options);
  } catch (e) {
    if (isDataError(e)) throw e;
    // A damaged file can trip the libraries anywhere: it is still bad input, named as such.
    const why = e instanceof Error ? e.message : String(e);
    throw new DataError(name, `could not be read as a table (${why.slice(0, 200)})`);
  }
}

async function readAs(format: TableFormat, bytes: Uint8Array, name: string, options: TableOptions): Promise<TableResult> {
  if (format === 'parquet') return readParquet(bytes, name, options);
  if (format === 'arrow') return readArrow(bytes, name, options);
  if (/\.(parquet|pq)$/i.test(name)) throw new DataError(name, 'is not a Parquet file (no PAR1 signature)');
  if (/\.(arrow|arrows|feather|ipc)$/i.test(name)) throw new DataError(name, 'is not an Arrow IPC file (no ARROW1 signature or stream header)');
  return readDelimited(new TextDecoder('utf-8').decode(bytes), name, options);
}
