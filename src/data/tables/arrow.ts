/** Arrow IPC (file or stream: .arrow, .feather v2, .arrows) through apache-arrow. */
import { DataType, makeVector, tableFromIPC, type Data, type Table, type Vector } from 'apache-arrow';
import { DataError } from '../errors';
import { checkTensorSize } from '../memory-limit';
import type { MetadataColumn } from '../types';
import { cellError, checkWidth, metadataOf, scalarsToTensor, textColumn, toFinite } from './assemble';
import { checkArrowBlocks } from './arrow-check';
import { chooseVector } from './choose-vector';
import { halfToFloat } from './float16';
import { imageCells, isImageBytes } from './images';
import type { ColumnInfo, ColumnKind, TableOptions, TableResult } from './types';

export function readArrow(bytes: Uint8Array, file: string, options: TableOptions = {}): TableResult {
  checkArrowBlocks(bytes, file);
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new DataError(file, `is not a readable Arrow IPC file (${e instanceof Error ? e.message : String(e)})`);
  }
  const n = table.numRows;
  if (n <= 0) throw new DataError(file, 'has no rows');
  const infos = table.schema.fields.map((f): ColumnInfo => ({ name: f.name, kind: kindOf(f.type) }));
  const plan = chooseVector(infos, options.vector, file);
  const column = (name: string): Vector => table.getChild(name)!;

  let data: Float32Array;
  let d: number;
  if (plan.columns.length === 0) {
    data = new Float32Array(0);
    d = 0;
  } else if (plan.list) {
    ({ data, d } = listsToTensor(column(plan.columns[0]), n, file, plan.columns[0]));
  } else {
    d = plan.columns.length;
    data = scalarsToTensor(plan.columns.map((name) => ({ name, cells: withNulls(column(name)) })), n, file);
  }

  const columns: MetadataColumn[] = [];
  let images: TableResult['images'] = null;
  for (const info of infos) {
    if (plan.columns.includes(info.name) || info.kind === 'skip' || info.kind === 'list') continue;
    const v = column(info.name);
    if (info.kind === 'image') {
      const bytesOf = DataType.isStruct(v.type) ? v.getChild('bytes') : v;
      const pictures = bytesOf ? imageCells(withNulls(bytesOf), n) : [];
      if (!images && pictures.some((p) => p !== null && isImageBytes(p))) images = { column: info.name, cells: pictures };
      continue;
    }
    columns.push(textColumn(info.name, withNulls(v), n));
  }
  return { data, n, d, vectorColumns: plan.columns, vectorChoices: plan.choices, metadata: metadataOf(columns, n), images };
}

/** One column's cells with nulls as null (its typed array alone would show a null as 0). */
function withNulls(v: Vector): unknown[] {
  const out: unknown[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v.isValid(i) ? v.get(i) : null;
  return out;
}

/** List or fixed-size-list cells copied chunk by chunk from the child's typed array. */
function listsToTensor(v: Vector, n: number, file: string, name: string): { data: Float32Array; d: number } {
  let data: Float32Array | null = null;
  let d = 0;
  let row = 0;
  for (const chunk of v.data) {
    const child = chunk.children[0] as Data;
    const raw = makeVector(child).toArray() as ArrayLike<number>;
    const values = raw instanceof Uint16Array ? halfToFloat(raw) : raw;
    const fixed = DataType.isFixedSizeList(chunk.type) ? chunk.type.listSize : 0;
    for (let i = 0; i < chunk.length; i++, row++) {
      if (!chunk.getValid(i)) throw cellError(file, name, row, 'is empty (null); every vector needs all its values');
      // Chunks read from IPC start at offset 0: positions index the child's values directly.
      const start = fixed ? i * fixed : chunk.valueOffsets[i];
      const end = fixed ? start + fixed : chunk.valueOffsets[i + 1];
      if (!data) {
        d = end - start;
        if (d === 0) throw cellError(file, name, row, 'the vector is empty');
        checkTensorSize(n, d, file);
        data = new Float32Array(n * d);
      }
      checkWidth(end - start, d, file, name, row);
      for (let j = 0; j < d; j++) {
        const k = start + j;
        if (child.nullCount > 0 && !child.getValid(k)) throw cellError(file, name, row, `value ${j + 1} is empty (null)`);
        data[row * d + j] = toFinite(values[k], file, name, row);
      }
    }
  }
  if (!data) throw new DataError(file, `column "${name}" has no rows`);
  return { data, d };
}

function kindOf(type: DataType): ColumnKind {
  if ((DataType.isList(type) || DataType.isFixedSizeList(type) || DataType.isLargeList(type)) && DataType.isFloat(type.children[0].type)) {
    return DataType.isLargeList(type) ? 'skip' : 'list';
  }
  if (DataType.isFloat(type)) return 'float';
  if (DataType.isInt(type)) return 'int';
  if (DataType.isBinary(type) || DataType.isLargeBinary(type)) return 'image';
  if (DataType.isStruct(type)) return type.children.some((c) => c.name === 'bytes' && (DataType.isBinary(c.type) || DataType.isLargeBinary(c.type))) ? 'image' : 'skip';
  if (DataType.isList(type) || DataType.isFixedSizeList(type) || DataType.isMap(type) || DataType.isUnion(type)) return 'skip';
  return 'text';
}
