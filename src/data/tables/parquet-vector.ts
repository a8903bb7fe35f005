/**
 * The vector of a Parquet file read straight into one Float32Array, page by page (see
 * parquet-pages.ts): a list<float|double|half> column, or numeric scalar columns side by side.
 * Memory: the file, the tensor and one page of scratch. Each row's levels are checked as they
 * pass: a null, an empty or ragged list, a NaN or an infinity is the same named error (same row,
 * same words) the general path in parquet.ts gives, checked in the same order within a row.
 */
import type { Compressors, FileMetaData, SchemaTree } from 'hyparquet';
import { cellError, checkWidth } from './assemble';
import { levelsOf, readChunk, Scratch, Unsupported, valueKind, type PageSink, type PageValues } from './parquet-pages';

const NULL = 'is empty (null); every vector needs all its values';

/**
 * Rows as the levels tell them. A list row starts at repetition level 0; its entry is a null row
 * below `listDef`, an empty list at `listDef`, a null element below `maxDef`, a value at `maxDef`.
 * A scalar column has one entry per row.
 */
class RowSink implements PageSink {
  row = -1;
  /** Row 1's length: every other row must match it. */
  width = -1;
  private count = 0;
  private isNull = false;
  private problem: string | null = null;
  private at = 0;

  constructor(
    private readonly out: Float32Array,
    private readonly stride: number,
    private readonly col: number,
    private readonly list: boolean,
    private readonly listDef: number,
    private readonly maxDef: number,
    private readonly file: string,
    private readonly name: string,
  ) {}

  page(reps: Uint8Array | null, defs: Uint8Array | null, count: number, values: PageValues): void {
    const { out, maxDef, listDef } = this;
    let v = 0;
    let at = this.at;
    let n = this.count;
    for (let e = 0; e < count; e++) {
      if (reps === null || reps[e] === 0) {
        this.count = n;
        this.endRow();
        this.row++;
        at = this.row * this.stride + this.col;
        n = 0;
      }
      const def = defs === null ? maxDef : defs[e];
      if (def === maxDef) {
        const x = values[v++];
        // x - x is 0 for finite numbers only: NaN and both infinities fail it.
        if (x - x !== 0 && this.problem === null) this.problem = `is ${x}; vectors must be finite numbers`;
        out[at++] = x;
        n++;
      } else if (this.list && def > listDef) {
        if (this.problem === null) this.problem = NULL;
        at++;
        n++;
      } else if (!this.list || def < listDef) {
        this.isNull = true;
      }
      // def === listDef in a list: an empty list, no values.
    }
    this.at = at;
    this.count = n;
  }

  /** The checks of the general path, in its order: null row, length, then each value. */
  endRow(): void {
    const r = this.row;
    if (r < 0) return;
    const { file, name } = this;
    if (this.isNull) throw cellError(file, name, r, NULL);
    if (this.list) {
      if (this.width < 0) {
        if (this.count === 0) throw cellError(file, name, r, 'the vector is empty');
        this.width = this.count;
      } else checkWidth(this.count, this.width, file, name, r);
    }
    if (this.problem !== null) throw cellError(file, name, r, this.problem);
    this.count = 0;
  }
}

export interface FastColumn {
  name: string;
  /** The column's node in hyparquet's schema tree (a LIST group, or a scalar leaf). */
  node: SchemaTree;
}

/**
 * The tensor, or Unsupported when a page, encoding or layout is one this reader leaves to the
 * general path. `d` must be known first (scalars: the column count; a list: its stored values
 * over the rows, which every valid file gives exactly); a file whose counts do not divide is
 * still read, into nothing, so its error names the row.
 */
export function readVectorFast(buffer: ArrayBuffer, metadata: FileMetaData, columns: FastColumn[], list: boolean, n: number, d: number, file: string, compressors: Compressors): Float32Array {
  const view = new DataView(buffer);
  const scratch = new Scratch();
  const out = new Float32Array(Number.isInteger(d) ? n * d : 0);
  for (let j = 0; j < columns.length; j++) {
    const { name, node } = columns[j];
    const path = leafPath(node, list);
    const leaf = path[path.length - 1];
    const kind = valueKind(leaf);
    const { maxRep, maxDef } = levelsOf([node, ...path]);
    if (maxRep !== (list ? 1 : 0)) throw new Unsupported('nested repetition');
    // The list node's own level: below it the row is null, at it the list is empty.
    const listDef = list && node.element.repetition_type !== 'REQUIRED' ? 1 : 0;
    const sink = new RowSink(out, Number.isInteger(d) ? d : 0, j, list, listDef, maxDef, file, name);
    for (const group of metadata.row_groups) {
      const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.length === path.length && c.meta_data.path_in_schema[0] === name);
      if (!chunk?.meta_data || chunk.file_path) throw new Unsupported('a column chunk in another file');
      const before = sink.row;
      readChunk(view, { meta: chunk.meta_data, kind, maxRep, maxDef }, sink, compressors, scratch);
      // A row may only span pages, never row groups: the group's rows must all have started.
      if (sink.row - before !== Number(group.num_rows)) throw new Unsupported('rows that disagree with the row group');
    }
    sink.endRow();
    if (sink.row + 1 !== n) throw new Unsupported('rows that disagree with the file');
    if (list && sink.width !== d) throw new Unsupported('stored values that disagree with the rows');
  }
  return out;
}

/**
 * The nodes under the column down to its leaf; `levelsOf` is given the column's node first as a
 * stand-in root, which it skips, so the list node's own repetition is counted through `node`.
 */
function leafPath(node: SchemaTree, list: boolean): SchemaTree[] {
  if (!list) {
    if (node.children.length) throw new Unsupported('a group as a scalar column');
    return [node];
  }
  const group = node.children[0];
  if (node.children.length !== 1 || !group) throw new Unsupported('a list of several children');
  if (group.children.length === 0) return [node, group];
  if (group.children.length !== 1 || group.children[0].children.length) throw new Unsupported('a list of groups');
  return [node, group, group.children[0]];
}
