import { DataError } from './errors';
import { checkTensorSize, formatBytes, memoryBudgetBytes } from './memory-limit';
import { isNonFiniteWord, scanDecimal, scanNumberAt, scanStop } from './number-scan';
import type { ParsedVectors } from './types';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const ZERO = 48;

// Doubles at or beyond this round to Infinity when stored as float32 (2^128 - 2^103).
const FLOAT32_OVERFLOW = 3.4028235677973366e38;

// A file with no line breaks (a binary file named .tsv) would otherwise grow the carry forever.
// Never more than the memory budget either.
const MAX_LINE_BYTES = 256 * 1024 * 1024;

const QUOTE_LIMIT = 40;

const FIRST_CAPACITY_ROWS = 1024;

/**
 * Streaming parser for TF-projector vectors TSV: one row per line, tab-separated float
 * values; a non-numeric first field is the row's label. Chunks may split anywhere: only
 * complete lines are parsed, and the unfinished tail is carried into the next push.
 *
 * With an expectedShape (the config's tensorShape) the output is allocated once, exactly,
 * and a mismatch is reported at the first row that shows it, not after reading the file.
 */
export class VectorsTsvParser {
  private readonly fileName: string;
  private readonly expected: [number, number] | null;
  private data: Float32Array;
  /** Values per row; -1 until the first row sets it (or expectedShape does). */
  private d: number;
  private n = 0;
  private labels: string[] | null = null;
  private line = 0;
  /** Line number of the first blank line not yet followed by data; 0 when none. */
  private blankSince = 0;
  private seen = 0;
  private carry = new Uint8Array(0);
  private carryLen = 0;
  private failure: unknown = null;
  private result: ParsedVectors | null = null;
  private readonly decoder = new TextDecoder('utf-8');

  /**
   * `allocate` makes the output array when the shape is declared (a worker passes one that puts
   * it in shared memory, so the vectors are never copied there afterwards).
   */
  constructor(fileName: string, expectedShape?: [number, number] | null, allocate: (floats: number) => Float32Array = (f) => new Float32Array(f)) {
    this.fileName = fileName;
    this.expected = expectedShape ?? null;
    if (this.expected) {
      const [n, d] = this.expected;
      checkTensorSize(n, d, fileName);
      this.d = d;
      this.data = allocate(n * d);
    } else {
      this.d = -1;
      this.data = new Float32Array(0);
    }
  }

  get bytesSeen(): number {
    return this.seen;
  }

  /** Rows parsed so far; parsedValues holds them (row-major, `width` per row) until the next push. */
  get rowsParsed(): number {
    return this.n;
  }

  get parsedValues(): Float32Array {
    return this.data;
  }

  /** Values per row: -1 until the first row (or the declared shape) sets it. */
  get width(): number {
    return this.d;
  }

  push(chunk: Uint8Array): void {
    if (this.result) throw new Error('VectorsTsvParser.push called after finish');
    if (this.failure) throw this.failure;
    try {
      this.consume(chunk);
    } catch (e) {
      this.failure = e;
      throw e;
    }
  }

  finish(): ParsedVectors {
    if (this.failure) throw this.failure;
    if (this.result) return this.result;
    try {
      if (this.carryLen > 0) {
        const tail = this.carryLen;
        this.carryLen = 0;
        this.parseLine(this.carry, 0, tail);
      }
      this.result = this.build();
      this.carry = new Uint8Array(0);
      return this.result;
    } catch (e) {
      this.failure = e;
      throw e;
    }
  }

  private build(): ParsedVectors {
    const { n, d } = this;
    if (n === 0) throw new DataError(this.fileName, 'empty file: no vectors found');
    if (this.expected && n !== this.expected[0]) {
      throw new DataError(
        this.fileName,
        `found ${n} rows but tensorShape declares ${shapeText(this.expected)}`,
      );
    }
    const data = this.data.length === n * d ? this.data : this.data.slice(0, n * d);
    return { data, n, d, rowLabels: this.labels };
  }

  private consume(chunk: Uint8Array): void {
    this.seen += chunk.length;
    let pos = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.appendCarry(chunk, 0, chunk.length);
        return;
      }
      this.appendCarry(chunk, 0, nl);
      const len = this.carryLen;
      this.carryLen = 0;
      this.parseLine(this.carry, 0, len);
      pos = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(LF, pos);
      if (nl < 0) break;
      this.parseLine(chunk, pos, nl);
      pos = nl + 1;
    }
    if (pos < chunk.length) this.appendCarry(chunk, pos, chunk.length);
  }

  private appendCarry(src: Uint8Array, start: number, end: number): void {
    const need = this.carryLen + (end - start);
    const maxLine = maxLineBytes();
    if (need > maxLine) throw this.longLineError(this.line + 1);
    if (need > this.carry.length) {
      const grown = new Uint8Array(Math.min(Math.max(need, this.carry.length * 2, 4096), maxLine));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(src.subarray(start, end), this.carryLen);
    this.carryLen = need;
  }

  private longLineError(line: number): DataError {
    return new DataError(
      this.fileName,
      `line is longer than ${formatBytes(maxLineBytes())}; is this really a tab-separated text file?`,
      { line },
    );
  }

  /** bytes[start, end) is one line without its LF. */
  private parseLine(bytes: Uint8Array, start: number, end: number): void {
    this.line++;
    // The same limit whether the line came whole in one chunk or was carried across several.
    if (end - start > maxLineBytes()) throw this.longLineError(this.line);
    if (end > start && bytes[end - 1] === CR) end--;
    if (this.line === 1 && end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) {
      start += 3;
    }
    let k = start;
    while (k < end && (bytes[k] === SPACE || bytes[k] === CR)) k++;
    if (k === end) {
      // Leading and trailing blank lines are harmless; one between rows suggests a damaged file.
      if (this.blankSince === 0 && this.n > 0) this.blankSince = this.line;
      return;
    }
    if (this.blankSince !== 0) {
      throw new DataError(this.fileName, 'blank line between rows; every line must hold one vector', {
        line: this.blankSince,
      });
    }
    if (this.expected && this.n === this.expected[0]) {
      throw new DataError(
        this.fileName,
        `more than ${this.n} rows, but tensorShape declares ${shapeText(this.expected)}`,
        { line: this.line },
      );
    }
    if (this.d < 0) this.parseFirstRow(bytes, start, end);
    else this.parseRow(bytes, start, end);
  }

  /** Without a declared shape the first row decides the dimension. */
  private parseFirstRow(bytes: Uint8Array, start: number, end: number): void {
    const values: number[] = [];
    // One row must fit the budget on its own; stop counting values before the list outgrows it.
    const maxD = Math.floor(memoryBudgetBytes() / 4);
    let label: string | null = null;
    let pos = start;
    for (let col = 1; ; col++) {
      let fieldEnd = pos;
      while (fieldEnd < end && bytes[fieldEnd] !== TAB) fieldEnd++;
      const [ts, te] = trimSpaces(bytes, pos, fieldEnd);
      const v = scanDecimal(bytes, ts, te);
      if (col === 1 && v !== v && !isNonFiniteWord(bytes, ts, te)) {
        label = this.decoder.decode(bytes.subarray(ts, te));
      } else {
        this.checkValue(v, bytes, ts, te, col);
        if (values.length === maxD) checkTensorSize(1, countTabs(bytes, pos, end) + values.length + 1, this.fileName);
        values.push(v);
      }
      if (fieldEnd >= end) break;
      pos = fieldEnd + 1;
    }
    if (values.length === 0) {
      throw new DataError(
        this.fileName,
        `no numeric values, only the label ${quote(label ?? '')}; vectors files must be tab-separated`,
        { line: this.line },
      );
    }
    this.d = values.length;
    // A wide first row must not reserve 1024 rows past the budget: fewer rows, grown later.
    this.data = new Float32Array(Math.max(1, Math.min(FIRST_CAPACITY_ROWS, Math.floor(maxD / this.d))) * this.d);
    this.data.set(values);
    this.acceptRow(label);
  }

  private parseRow(bytes: Uint8Array, start: number, end: number): void {
    const d = this.d;
    this.ensureCapacity((this.n + 1) * d);
    const out = this.data;
    const o = this.n * d;

    // A numeric (or NaN-spelled) first field is a value unless the row turns out to have
    // d + 1 fields in a file already known to carry labels: word lists hold words such as
    // "1990" or "nan". Before any label, d + 1 numbers stay an error, not a guessed label.
    let label: string | null = null;
    let firstIsTentative = false;
    let firstStart = 0;
    let firstEnd = 0;
    let firstValue = 0;
    // Holds value number d + 1 so a row with a tentative first field never writes past its slot.
    let spill = 0;
    let count = 0;

    let pos = start;
    for (let col = 1; ; col++) {
      // A bare "0" field (most of a pixel file's fields) needs no number scan.
      if (col > 1 && count < d && pos < end && bytes[pos] === ZERO && (pos + 1 === end || bytes[pos + 1] === TAB)) {
        out[o + count++] = 0;
        if (pos + 1 >= end) break;
        pos += 2;
        continue;
      }
      // One pass: read the number, then expect only spaces before the tab or line end.
      let ts = pos;
      while (ts < end && bytes[ts] === SPACE) ts++;
      let v = scanNumberAt(bytes, ts, end);
      let te = scanStop.end;
      let fieldEnd = te;
      while (fieldEnd < end && bytes[fieldEnd] === SPACE) fieldEnd++;
      if (v !== v || (fieldEnd < end && bytes[fieldEnd] !== TAB)) {
        while (fieldEnd < end && bytes[fieldEnd] !== TAB) fieldEnd++;
        te = fieldEnd;
        while (te > ts && bytes[te - 1] === SPACE) te--;
        v = NaN;
      }

      if (col === 1) {
        if (v === v || isNonFiniteWord(bytes, ts, te)) {
          firstIsTentative = true;
          firstStart = ts;
          firstEnd = te;
          firstValue = v;
          out[o] = v;
          count = 1;
        } else {
          label = this.decoder.decode(bytes.subarray(ts, te));
        }
      } else {
        if (!(Math.abs(v) < FLOAT32_OVERFLOW)) this.checkValue(v, bytes, ts, te, col);
        if (count < d) out[o + count] = v;
        else if (count === d && firstIsTentative) spill = v;
        else throw this.raggedError(count + countTabs(bytes, fieldEnd, end) + 1);
        count++;
      }
      if (fieldEnd >= end) break;
      pos = fieldEnd + 1;
    }

    if (firstIsTentative) {
      if (count === d + 1 && this.labels !== null) {
        out.copyWithin(o, o + 1, o + d);
        out[o + d - 1] = spill;
        label = this.decoder.decode(bytes.subarray(firstStart, firstEnd));
        count = d;
      } else if (count === d) {
        this.checkValue(firstValue, bytes, firstStart, firstEnd, 1);
      } else {
        throw this.raggedError(count);
      }
    } else if (count !== d) {
      throw this.raggedError(count);
    }
    this.acceptRow(label);
  }

  private acceptRow(label: string | null): void {
    if (label !== null) {
      if (this.labels === null) this.labels = new Array<string>(this.n).fill('');
      this.labels.push(label);
    } else if (this.labels !== null) {
      this.labels.push('');
    }
    this.n++;
  }

  private ensureCapacity(floats: number): void {
    if (floats <= this.data.length) return;
    const maxFloats = Math.floor(memoryBudgetBytes() / 4);
    if (floats > maxFloats) checkTensorSize(this.n + 1, this.d, this.fileName);
    const grown = new Float32Array(Math.min(Math.max(floats, this.data.length * 2), maxFloats));
    grown.set(this.data.subarray(0, this.n * this.d));
    this.data = grown;
  }

  private checkValue(v: number, bytes: Uint8Array, ts: number, te: number, col: number): void {
    if (Math.abs(v) < FLOAT32_OVERFLOW) return;
    const text = this.decoder.decode(bytes.subarray(ts, te));
    if (ts === te) {
      throw new DataError(this.fileName, `column ${col} is empty`, { line: this.line });
    }
    if (v === v || isNonFiniteWord(bytes, ts, te)) {
      const why = Number.isFinite(v) ? ' (too large for float32)' : '';
      throw new DataError(this.fileName, `column ${col}: ${quote(text)} is not a finite number${why}`, {
        line: this.line,
      });
    }
    const hint = this.n === 0 ? '; a vectors file has no header row' : '';
    throw new DataError(this.fileName, `column ${col}: ${quote(text)} is not a number${hint}`, {
      line: this.line,
    });
  }

  private raggedError(found: number): DataError {
    if (this.expected && this.n === 0) {
      return new DataError(
        this.fileName,
        `found ${found} values but tensorShape declares ${shapeText(this.expected)}`,
        { line: this.line },
      );
    }
    return new DataError(this.fileName, `expected ${this.d} values, found ${found}`, { line: this.line });
  }
}

function maxLineBytes(): number {
  return Math.min(MAX_LINE_BYTES, memoryBudgetBytes());
}

function trimSpaces(bytes: Uint8Array, start: number, end: number): [number, number] {
  while (start < end && bytes[start] === SPACE) start++;
  while (end > start && bytes[end - 1] === SPACE) end--;
  return [start, end];
}

function countTabs(bytes: Uint8Array, start: number, end: number): number {
  let tabs = 0;
  for (let i = start; i < end; i++) if (bytes[i] === TAB) tabs++;
  return tabs;
}

function shapeText(shape: [number, number]): string {
  return `[${shape[0]}, ${shape[1]}]`;
}

/** Quoted and shortened, so an error about a 10 kB cell stays readable. */
function quote(text: string): string {
  const short = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
  return JSON.stringify(short);
}
