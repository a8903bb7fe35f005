/**
 * A user-facing input problem. The message always names the file and, where known, the
 * line or field, so the page can show it as is.
 */
export class DataError extends Error {
  readonly file: string;
  readonly line: number | null;
  readonly field: string | null;
  /** The problem itself, without the place. */
  readonly detail: string;

  constructor(file: string, detail: string, where: { line?: number; field?: string } = {}) {
    const place = where.line != null ? ` line ${where.line}` : where.field != null ? ` field "${where.field}"` : '';
    super(`${file}${place}: ${detail}`);
    this.name = 'DataError';
    this.file = file;
    this.line = where.line ?? null;
    this.field = where.field ?? null;
    this.detail = detail;
  }
}

export function isDataError(e: unknown): e is DataError {
  return e instanceof Error && e.name === 'DataError';
}
