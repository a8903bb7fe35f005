/**
 * Errors across the worker boundary keep their kind: a DataError thrown in a worker arrives on
 * the main thread as a DataError with its file, line and field, not just a message.
 */
import { DataError, isDataError } from '../data/errors';

export interface ErrorReply {
  type: 'error';
  message: string;
  data?: { file: string; detail: string; line: number | null; field: string | null };
}

export function errorReply(err: unknown): ErrorReply {
  if (isDataError(err)) {
    const e = err as DataError;
    return { type: 'error', message: e.message, data: { file: e.file, detail: e.detail, line: e.line, field: e.field } };
  }
  return { type: 'error', message: err instanceof Error ? err.message : String(err) };
}

export function errorFromReply(reply: Omit<ErrorReply, 'type'>): Error {
  const d = reply.data;
  if (!d) return new Error(reply.message);
  return new DataError(d.file, d.detail, { ...(d.line != null ? { line: d.line } : {}), ...(d.field != null ? { field: d.field } : {}) });
}
