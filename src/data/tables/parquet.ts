/**
 * Parquet through hyparquet (pure JavaScript, ~60 KB in the build; see the README's figures).
 * The vector takes the page-by-page path of parquet-vector.ts when the file is one it decodes
 * (8x faster, a fifth of the memory); hyparquet's general reader, which builds one JS array per
 * row, stays for everything else and for the metadata columns.
 */
import { parquetMetadata, parquetRead, parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet';
import { DataError } from '../errors';
import { checkTensorSize } from '../memory-limit';
import type { MetadataColumn } from '../types';
import { checkWidth, metadataOf, scalarsToTensor, textColumn, toFinite, type Cells } from './assemble';
import { chooseVector } from './choose-vector';
import { imageCells, isImageBytes } from './images';
import { parquetCompressors } from './parquet-codecs';
import { readVectorFast } from './parquet-vector';
import type { ColumnInfo, ColumnKind, TableOptions, TableResult } from './types';

/** Which vector reader to use: `general` is for tests and the bench, to compare the two. */
export interface ParquetPaths {
  vector?: 'fast' | 'general';
}

export async function readParquet(bytes: Uint8Array, file: string, options: TableOptions = {}, paths: ParquetPaths = {}): Promise<TableResult> {
  const buffer = exactBuffer(bytes);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(buffer);
  } catch (e) {
    throw new DataError(file, `is not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`);
  }
  const n = Number(metadata.num_rows);
  if (n <= 0) throw new DataError(file, 'has no rows');
  const tree = parquetSchema(metadata);
  const infos = tree.children.map((c): ColumnInfo => ({ name: c.element.name, kind: kindOf(c) }));
  const plan = chooseVector(infos, options.vector, file);

  const read = async (name: string): Promise<Cells> => {
    try {
      // utf8 off: image bytes must stay bytes; columns annotated as strings are still decoded.
      return await readColumn(buffer, metadata, name);
    } catch (e) {
      throw new DataError(file, `column "${name}" could not be read (${e instanceof Error ? e.message : String(e)})`);
    }
  };

  let data: Float32Array | null = plan.columns.length === 0 ? new Float32Array(0) : null;
  // Values stored for the list column, nulls included: the tensor's size is known before any decoding.
  const stored = plan.list ? metadata.row_groups.reduce((sum, g) => sum + Number(g.columns.find((c) => c.meta_data?.path_in_schema[0] === plan.columns[0])?.meta_data?.num_values ?? 0), 0) : 0;
  let d = plan.list ? stored / n : plan.columns.length;
  checkTensorSize(n, Math.max(1, Math.ceil(d)), file);
  if (!data && paths.vector !== 'general') {
    const columns = plan.columns.map((name) => ({ name, node: tree.children.find((c) => c.element.name === name)! }));
    try {
      data = readVectorFast(buffer, metadata, columns, plan.list, n, d, file, parquetCompressors);
    } catch (e) {
      // Named errors stand; Unsupported, or a page it could not decode: the general path reads it or says why.
      if (e instanceof DataError) throw e;
    }
  }
  // After the fast path, d is exact: it checked every row against it.
  if (!data && plan.list) {
    const name = plan.columns[0];
    ({ data, d } = listsToTensor(await read(name), n, file, name));
  } else if (!data) {
    const cols = [];
    for (const name of plan.columns) cols.push({ name, cells: await read(name) });
    data = scalarsToTensor(cols, n, file);
  }

  const columns: MetadataColumn[] = [];
  let images: TableResult['images'] = null;
  for (const info of infos) {
    if (plan.columns.includes(info.name) || info.kind === 'skip' || info.kind === 'list') continue;
    const cells = await read(info.name);
    if (info.kind === 'image') {
      const pictures = imageCells(cells, n);
      if (!images && pictures.some((p) => p !== null && isImageBytes(p))) images = { column: info.name, cells: pictures };
      continue;
    }
    columns.push(textColumn(info.name, cells, n));
  }
  return { data, n, d, vectorColumns: plan.columns, vectorChoices: plan.choices, metadata: metadataOf(columns, n), images };
}

/** One column's cells in row order, chunk by chunk (one chunk per row group). */
async function readColumn(file: ArrayBuffer, metadata: FileMetaData, name: string): Promise<Cells> {
  const chunks: { rowStart: number; data: Cells }[] = [];
  await parquetRead({
    file,
    metadata,
    columns: [name],
    compressors: parquetCompressors,
    utf8: false,
    onChunk: (c) => chunks.push({ rowStart: c.rowStart, data: c.columnData as Cells }),
  });
  if (chunks.length === 1) return chunks[0].data;
  chunks.sort((a, b) => a.rowStart - b.rowStart);
  const out: unknown[] = [];
  for (const c of chunks) for (let i = 0; i < c.data.length; i++) out.push(c.data[i]);
  return out;
}

/** hyparquet reads from an ArrayBuffer: the view's own when it spans it, else a copy. */
function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer;
}

/** A column of list cells copied row by row into one row-major tensor. */
function listsToTensor(cells: Cells, n: number, file: string, name: string): { data: Float32Array; d: number } {
  const first = cells[0];
  if (first == null) throw new DataError(file, `column "${name}", row 1: is empty (null); every vector needs all its values`);
  const d = (first as ArrayLike<unknown>).length;
  if (!d) throw new DataError(file, `column "${name}", row 1: the vector is empty`);
  checkTensorSize(n, d, file);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = cells[i] as ArrayLike<unknown> | null | undefined;
    if (row == null) throw new DataError(file, `column "${name}", row ${i + 1}: is empty (null); every vector needs all its values`);
    checkWidth(row.length, d, file, name, i);
    for (let j = 0; j < d; j++) data[i * d + j] = toFinite(row[j], file, name, i);
  }
  return { data, d };
}

const FLOATS = new Set(['FLOAT', 'DOUBLE']);
const INTS = new Set(['INT32', 'INT64']);
// Integers that stand for something else: shown as text, never taken as a vector.
const NOT_COUNTS = new Set(['DATE', 'TIME', 'TIMESTAMP', 'DECIMAL', 'INTERVAL']);

function kindOf(node: SchemaTree): ColumnKind {
  const el = node.element;
  const logical = el.logical_type?.type;
  if (node.children.length === 0) {
    if (el.repetition_type === 'REPEATED') return 'skip';
    if (el.type && FLOATS.has(el.type)) return 'float';
    if (logical === 'FLOAT16') return 'float';
    if (el.type && INTS.has(el.type)) {
      return (logical && NOT_COUNTS.has(logical)) || (el.converted_type && NOT_COUNTS.has(el.converted_type)) ? 'text' : 'int';
    }
    if (el.type === 'BYTE_ARRAY' && !logical && !el.converted_type) return 'image';
    return 'text';
  }
  if (el.converted_type === 'LIST' || logical === 'LIST') return isFloatList(node) ? 'list' : 'skip';
  // Hugging Face's Image feature: a struct {bytes, path}.
  if (node.children.some((c) => c.element.name === 'bytes' && c.element.type === 'BYTE_ARRAY')) return 'image';
  return 'skip';
}

/** LIST -> repeated group -> float element (the three-level layout every current writer uses). */
function isFloatList(node: SchemaTree): boolean {
  const group = node.children[0];
  if (node.children.length !== 1 || group.element.repetition_type !== 'REPEATED') return false;
  const leaf = group.children.length === 1 ? group.children[0] : group.children.length === 0 ? group : null;
  if (!leaf || leaf.children.length > 0) return false;
  return (leaf.element.type !== undefined && FLOATS.has(leaf.element.type)) || leaf.element.logical_type?.type === 'FLOAT16';
}
