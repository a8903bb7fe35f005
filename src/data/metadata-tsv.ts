import { DataError } from './errors';
import { parseDecimal } from './number-scan';
import type { Metadata, MetadataColumn } from './types';
import { uniqueNames } from './unique-names';

/**
 * Metadata TSV as TF's projector reads it (one column: no header; several: the first line
 * is the header), plus the quoting that Python's csv module writes in its excel-tab dialect
 * (Comet's logger uses it): a field that starts with `"` and closes properly is unquoted.
 * Anything else is taken literally, because GloVe-style word lists hold words such as `"`,
 * `'` and `#` unquoted. Cell text is never interpreted (no HTML, no trimming of values).
 */
export function parseMetadata(text: string, fileName: string): Metadata {
  const reader = new RecordReader(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

  const first = reader.next();
  if (!first || (isBlank(first) && reader.peekOnlyBlankLeft())) throw new DataError(fileName, 'empty file: no metadata rows');

  const width = first.fields.length;
  const hasHeader = width > 1;
  const names = hasHeader
    ? uniqueNames(first.fields.map((f, i) => f.text.trim() || `column ${i + 1}`))
    : ['label'];
  const values: (string | null)[][] = names.map(() => []);

  const pushRow = (rec: RawRecord): void => {
    for (let c = 0; c < width; c++) values[c].push(cellValue(rec.fields[c]));
  };
  if (!hasHeader) pushRow(first);

  // Blank lines are held back until a later row shows they are not the file's tail.
  const blanks: RawRecord[] = [];
  for (let rec = reader.next(); rec; rec = reader.next()) {
    if (isBlank(rec)) {
      blanks.push(rec);
      continue;
    }
    if (blanks.length > 0) {
      if (width > 1) {
        throw new DataError(fileName, `blank line between rows; expected ${width} fields`, {
          line: blanks[0].line,
        });
      }
      for (const b of blanks) pushRow(b);
      blanks.length = 0;
    }
    if (rec.fields.length !== width) {
      throw new DataError(
        fileName,
        `expected ${width} ${width === 1 ? 'field' : 'fields'} like the first line, found ${rec.fields.length}`,
        { line: rec.line },
      );
    }
    pushRow(rec);
  }

  const columns = names.map((name, c) => metadataColumn(name, values[c]));
  return { columns, rows: values[0].length };
}

/** Throws unless the metadata has one row per point. */
export function checkMetadataRows(meta: Metadata, n: number, fileName: string): void {
  if (meta.rows === n) return;
  const hint =
    meta.columns.length === 1 && meta.rows === n + 1
      ? ' (a one-column metadata file has no header line; remove it)'
      : '';
  throw new DataError(fileName, `metadata has ${meta.rows} rows but the tensor has ${n} points${hint}`);
}

interface RawField {
  text: string;
  quoted: boolean;
}

interface RawRecord {
  fields: RawField[];
  /** 1-based line where the record starts. */
  line: number;
}

function isBlank(rec: RawRecord): boolean {
  return rec.fields.length === 1 && !rec.fields[0].quoted && rec.fields[0].text.trim() === '';
}

function cellValue(field: RawField): string | null {
  if (field.quoted) return field.text === '' ? null : field.text;
  return field.text.trim() === '' ? null : field.text;
}

/** A column with what the view needs to know of it, computed where it is parsed (a worker). */
export function metadataColumn(name: string, values: (string | null)[]): MetadataColumn {
  const seen = new Set<string>();
  for (const v of values) if (v !== null) seen.add(v);
  return { name, values, numeric: isNumericColumn(values), distinct: seen.size };
}

function isNumericColumn(values: (string | null)[]): boolean {
  let seen = false;
  for (const v of values) {
    if (v === null) continue;
    if (!Number.isFinite(parseDecimal(v.trim()))) return false;
    seen = true;
  }
  return seen;
}

const TAB = 9;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Splits text into records of fields; line ends are \n, \r\n or a lone \r as in Python's csv. */
class RecordReader {
  private pos = 0;
  private line = 1;
  /** indexOf('"') found none at or after this offset; saves rescans on unclosed quotes. */
  private noQuoteFrom = Infinity;

  constructor(private readonly text: string) {}

  next(): RawRecord | null {
    const { text } = this;
    if (this.pos >= text.length) return null;
    const rec: RawRecord = { fields: [], line: this.line };
    for (;;) {
      const field = (text.charCodeAt(this.pos) === QUOTE && this.readQuoted()) || this.readLiteral();
      rec.fields.push(field);
      const c = text.charCodeAt(this.pos);
      if (c === TAB) {
        this.pos++;
        continue;
      }
      if (c === CR) this.pos += text.charCodeAt(this.pos + 1) === LF ? 2 : 1;
      else if (c === LF) this.pos++;
      this.line++;
      return rec;
    }
  }

  /** True when nothing but blank lines remains, so a leading blank line can be skipped. */
  peekOnlyBlankLeft(): boolean {
    return this.text.slice(this.pos).trim() === '';
  }

  private readLiteral(): RawField {
    const { text } = this;
    const start = this.pos;
    let p = start;
    while (p < text.length) {
      const c = text.charCodeAt(p);
      if (c === TAB || c === LF || c === CR) break;
      p++;
    }
    this.pos = p;
    return { text: text.slice(start, p), quoted: false };
  }

  /** A properly closed quoted field, or null to read the field literally instead. */
  private readQuoted(): RawField | null {
    const { text } = this;
    let p = this.pos + 1;
    let value = '';
    for (;;) {
      const q = p >= this.noQuoteFrom ? -1 : text.indexOf('"', p);
      if (q < 0) {
        this.noQuoteFrom = Math.min(this.noQuoteFrom, p);
        return null;
      }
      value += text.slice(p, q);
      if (text.charCodeAt(q + 1) === QUOTE) {
        value += '"';
        p = q + 2;
        continue;
      }
      const after = q + 1;
      const c = text.charCodeAt(after);
      if (after < text.length && c !== TAB && c !== LF && c !== CR) return null;
      const newlines = countLineBreaks(value);
      // A lone `"` cell (a GloVe word) would otherwise pair with the next such cell rows below.
      if (newlines > 0 && this.rawFieldIsLoneQuote()) return null;
      this.line += newlines;
      this.pos = after;
      return { text: value, quoted: true };
    }
  }

  private rawFieldIsLoneQuote(): boolean {
    const c = this.text.charCodeAt(this.pos + 1);
    return this.pos + 1 >= this.text.length || c === TAB || c === LF || c === CR;
  }
}

function countLineBreaks(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR && s.charCodeAt(i + 1) !== LF) count++;
  }
  return count;
}
