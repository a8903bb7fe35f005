/**
 * One Parquet column chunk decoded page by page into numbers, without building a JS value per
 * cell: each data page gives its repetition and definition levels and its non-null values as one
 * typed array, handed to a sink before the next page is read. Only what DuckDB, pyarrow and
 * parquet-wasm write for float vectors is decoded here; anything else throws Unsupported so the
 * caller can read the file through hyparquet's general path instead.
 */
import type { ColumnMetaData, Compressors, PageHeader, SchemaTree } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { halfToFloat } from './float16';

/** Something this reader does not decode (the general path does). Never shown to the user. */
export class Unsupported extends Error {
  override name = 'Unsupported';
}

/** The non-null values of one page (or a dictionary), as numbers. */
export type PageValues = Float32Array | Float64Array | Int32Array;

/** How the stored values become numbers. */
type ValueKind = 'float' | 'double' | 'half' | 'int32' | 'int64';

export interface PageSink {
  /** `reps`/`defs` are null when the column has no such levels; `count` entries, `values` the defined ones in order. */
  page(reps: Uint8Array | null, defs: Uint8Array | null, count: number, values: PageValues): void;
}

/** Levels of a leaf: the most it repeats and the most it is defined (hyparquet's rule: the root is not counted). */
export function levelsOf(path: SchemaTree[]): { maxRep: number; maxDef: number } {
  let maxRep = 0;
  let maxDef = 0;
  for (const node of path.slice(1)) {
    if (node.element.repetition_type === 'REPEATED') maxRep++;
    if (node.element.repetition_type !== 'REQUIRED') maxDef++;
  }
  return { maxRep, maxDef };
}

export function valueKind(leaf: SchemaTree): ValueKind {
  const el = leaf.element;
  const logical = el.logical_type;
  if (el.type === 'FLOAT' && !logical) return 'float';
  if (el.type === 'DOUBLE' && !logical) return 'double';
  if (el.type === 'FIXED_LEN_BYTE_ARRAY' && logical?.type === 'FLOAT16' && el.type_length === 2) return 'half';
  // Unsigned integers need hyparquet's conversion: left to the general path.
  const signed = (!logical || (logical.type === 'INTEGER' && logical.isSigned)) && (!el.converted_type || el.converted_type.startsWith('INT_'));
  if (el.type === 'INT32' && signed) return 'int32';
  if (el.type === 'INT64' && signed) return 'int64';
  throw new Unsupported(`values of type ${el.type}`);
}

const WIDTH: Record<ValueKind, number> = { float: 4, double: 8, half: 2, int32: 4, int64: 8 };
// Typed-array views read the platform's byte order; Parquet's is little-endian.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Scratch reused from page to page: a page's levels, dictionary indices and aligned values. */
class Scratch {
  private reps = new Uint8Array(0);
  private defs = new Uint8Array(0);
  private indices = new Int32Array(0);
  private bytes = new Uint8Array(0);
  private gathered = new Float64Array(0);
  private interleaved = new Uint8Array(0);

  levels(which: 'reps' | 'defs', count: number): Uint8Array {
    if (this[which].length < count) this[which] = new Uint8Array(grow(count));
    return this[which].subarray(0, count);
  }
  indexArray(count: number): Int32Array {
    if (this.indices.length < count) this.indices = new Int32Array(grow(count));
    return this.indices.subarray(0, count);
  }
  /** `count` values of `width` bytes, copied to an offset their typed array can start at. */
  aligned(src: Uint8Array, width: number): Uint8Array {
    if ((src.byteOffset & (width - 1)) === 0) return src;
    if (this.bytes.length < src.length) this.bytes = new Uint8Array(grow(src.length));
    const copy = this.bytes.subarray(0, src.length);
    copy.set(src);
    return copy;
  }
  unsplit(size: number): Uint8Array {
    if (this.interleaved.length < size) this.interleaved = new Uint8Array(grow(size));
    return this.interleaved.subarray(0, size);
  }
  gather(count: number): Float64Array {
    if (this.gathered.length < count) this.gathered = new Float64Array(grow(count));
    return this.gathered.subarray(0, count);
  }
}

function grow(count: number): number {
  return Math.max(1024, 2 ** Math.ceil(Math.log2(count)));
}

/** `count` PLAIN values at the start of `bytes`, as numbers (a view when the bytes allow it). */
function plainValues(bytes: Uint8Array, count: number, kind: ValueKind, scratch: Scratch): PageValues {
  const width = WIDTH[kind];
  if (bytes.length < count * width) throw new Unsupported('a page shorter than its values');
  const src = scratch.aligned(bytes.subarray(0, count * width), width === 8 ? 8 : width === 4 ? 4 : 2);
  if (kind === 'float') return new Float32Array(src.buffer, src.byteOffset, count);
  if (kind === 'double') return new Float64Array(src.buffer, src.byteOffset, count);
  if (kind === 'int32') return new Int32Array(src.buffer, src.byteOffset, count);
  if (kind === 'half') return halfToFloat(new Uint16Array(src.buffer, src.byteOffset, count));
  // int64: low word unsigned plus the signed high word scaled is exact, then one rounding, as Number(bigint).
  const words = new Int32Array(src.buffer, src.byteOffset, count * 2);
  const out = scratch.gather(count);
  for (let i = 0; i < count; i++) out[i] = words[2 * i + 1] * 4294967296 + (words[2 * i] >>> 0);
  return out;
}

/**
 * Values `from`..`from + count` of a BYTE_STREAM_SPLIT page of `total` (DuckDB's floats with
 * PARQUET_VERSION v2), interleaved back: byte b of value i is at b * total + i.
 */
function unsplit(data: Uint8Array, total: number, from: number, count: number, width: number, scratch: Scratch): Uint8Array {
  const out = scratch.unsplit(count * width);
  for (let b = 0; b < width; b++) {
    const plane = b * total + from;
    for (let i = 0; i < count; i++) out[i * width + b] = data[plane + i];
  }
  return out;
}

function bitWidth(max: number): number {
  return 32 - Math.clz32(max);
}

export interface ChunkColumn {
  meta: ColumnMetaData;
  kind: ValueKind;
  maxRep: number;
  maxDef: number;
}

/**
 * Every page of one column chunk into the sink, in order. `file` is the whole file; the chunk's
 * range comes from its metadata. Checks that the pages hold as many entries as the metadata says.
 */
export function readChunk(file: DataView, column: ChunkColumn, sink: PageSink, compressors: Compressors, scratch: Scratch): void {
  if (!LITTLE_ENDIAN) throw new Unsupported('a big-endian platform');
  const { meta, kind, maxRep, maxDef } = column;
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const end = start + Number(meta.total_compressed_size);
  if (start < 4 || end > file.byteLength) throw new Unsupported('a column chunk outside the file');
  const reader = { view: file, offset: start };
  const total = Number(meta.num_values);
  let entries = 0;
  let dictionary: PageValues | null = null;
  while (entries < total) {
    if (reader.offset >= end) throw new Unsupported('a column chunk with fewer values than its metadata');
    const header: PageHeader = parquetHeader(reader);
    // A damaged header must not loop back or run past the chunk: the general path explains it.
    if (!(header.compressed_page_size >= 0 && reader.offset + header.compressed_page_size <= end)) throw new Unsupported('a page outside its chunk');
    const body = new Uint8Array(file.buffer, file.byteOffset + reader.offset, header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE' && header.dictionary_page_header) {
      const page = decompressPage(body, header.uncompressed_page_size, meta.codec, compressors);
      // Copied: plainValues may hand back scratch that the next page reuses.
      dictionary = plainValues(page, header.dictionary_page_header.num_values, kind, scratch).slice();
      continue;
    }
    let reps: Uint8Array | null = null;
    let defs: Uint8Array | null = null;
    let count: number;
    let encoding: string;
    let data: Uint8Array;
    if (header.type === 'DATA_PAGE' && header.data_page_header) {
      const h = header.data_page_header;
      count = h.num_values;
      if (!(count >= 0 && count <= total - entries)) throw new Unsupported('a page with more values than its chunk');
      encoding = h.encoding;
      if ((maxRep && h.repetition_level_encoding !== 'RLE') || (maxDef && h.definition_level_encoding !== 'RLE')) throw new Unsupported('BIT_PACKED levels');
      const page = decompressPage(body, header.uncompressed_page_size, meta.codec, compressors);
      const at = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
      // v1: each level run is prefixed by its byte length (read by the decoder when none is given).
      if (maxRep) readRleBitPackedHybrid(at, bitWidth(maxRep), (reps = scratch.levels('reps', count)));
      if (maxDef) readRleBitPackedHybrid(at, bitWidth(maxDef), (defs = scratch.levels('defs', count)));
      data = page.subarray(at.offset);
    } else if (header.type === 'DATA_PAGE_V2' && header.data_page_header_v2) {
      const h = header.data_page_header_v2;
      count = h.num_values;
      if (!(count >= 0 && count <= total - entries)) throw new Unsupported('a page with more values than its chunk');
      encoding = h.encoding;
      // v2: the levels come first, never compressed, with their lengths in the header.
      const repLen = h.repetition_levels_byte_length;
      const defLen = h.definition_levels_byte_length;
      const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
      if (maxRep) readRleBitPackedHybrid({ view, offset: 0 }, bitWidth(maxRep), (reps = scratch.levels('reps', count)), repLen);
      if (maxDef) readRleBitPackedHybrid({ view, offset: repLen }, bitWidth(maxDef), (defs = scratch.levels('defs', count)), defLen);
      data = body.subarray(repLen + defLen);
      const size = header.uncompressed_page_size - repLen - defLen;
      if (h.is_compressed !== false && size > 0) data = decompressPage(data, size, meta.codec, compressors);
    } else {
      throw new Unsupported(`a ${header.type} page`);
    }
    let present = count;
    if (defs) {
      present = 0;
      for (let i = 0; i < count; i++) if (defs[i] === maxDef) present++;
    }
    // In blocks of entries, so that scratch (aligned copies, dictionary lookups) stays small
    // however large the page: DuckDB writes a whole row group's list values as one page.
    const values = new ValueStream(data, present, encoding, kind, dictionary, scratch);
    for (let from = 0; from < count; from += BLOCK) {
      const to = Math.min(count, from + BLOCK);
      let defined = to - from;
      if (defs) {
        defined = 0;
        for (let i = from; i < to; i++) if (defs[i] === maxDef) defined++;
      }
      sink.page(reps && reps.subarray(from, to), defs && defs.subarray(from, to), to - from, values.next(defined));
    }
    entries += count;
  }
}

const BLOCK = 1 << 16;

/** A page's `total` defined values, handed out block by block in order. */
class ValueStream {
  private at = 0;
  private readonly indices: Int32Array | null = null;

  constructor(
    private readonly data: Uint8Array,
    private readonly total: number,
    private readonly encoding: string,
    private readonly kind: ValueKind,
    private readonly dictionary: PageValues | null,
    private readonly scratch: Scratch,
  ) {
    if (encoding === 'PLAIN' || encoding === 'BYTE_STREAM_SPLIT') {
      if (data.length < total * WIDTH[kind]) throw new Unsupported('a page shorter than its values');
      return;
    }
    if (encoding !== 'RLE_DICTIONARY' && encoding !== 'PLAIN_DICTIONARY') throw new Unsupported(`${encoding} values`);
    if (!dictionary) throw new Unsupported('dictionary indices without a dictionary');
    this.indices = scratch.indexArray(total);
    const width = data[0];
    if (total === 0) return;
    if (width === 0) this.indices.fill(0);
    else readRleBitPackedHybrid({ view: new DataView(data.buffer, data.byteOffset, data.byteLength), offset: 1 }, width, this.indices, data.length - 1);
  }

  next(count: number): PageValues {
    const from = this.at;
    this.at += count;
    const { data, kind, scratch } = this;
    const width = WIDTH[kind];
    if (this.encoding === 'PLAIN') return plainValues(data.subarray(from * width), count, kind, scratch);
    if (this.encoding === 'BYTE_STREAM_SPLIT') return plainValues(unsplit(data, this.total, from, count, width, scratch), count, kind, scratch);
    const dictionary = this.dictionary!;
    const indices = this.indices!;
    const out = scratch.gather(count);
    const size = dictionary.length;
    for (let i = 0; i < count; i++) {
      const at = indices[from + i];
      // Out-of-range indices would read as NaN and be blamed on the data: a damaged file instead.
      if (at >= size || at < 0) throw new Unsupported('a dictionary index out of range');
      out[i] = dictionary[at];
    }
    return out;
  }
}

export { Scratch };
