/**
 * Errors across the worker boundary keep their kind: a DataError thrown in a worker arrives on
 * the main thread as a DataError with its file, line and field, not just a message.
 */
import { DataError, isDataError } from '../data/errors';
import { isVectorChoiceError, VectorChoiceError } from '../data/tables/types';

export interface ErrorReply {
  type: 'error';
  message: string;
  /** `choices`: the vector columns a table offers, when it needs one chosen. */
  data?: { file: string; detail: string; line: number | null; field: string | null; choices?: string[] };
}

export function errorReply(err: unknown): ErrorReply {
  if (isDataError(err)) {
    const e = err as DataError;
    const choices = isVectorChoiceError(err) ? { choices: err.choices } : {};
    return { type: 'error', message: e.message, data: { file: e.file, detail: e.detail, line: e.line, field: e.field, ...choices } };
  }
  return { type: 'error', message: err instanceof Error ? err.message : String(err) };
}

export function errorFromReply(reply: Omit<ErrorReply, 'type'>): Error {
  const d = reply.data;
  if (!d) return new Error(reply.message);
  if (Array.isArray(d.choices)) return new VectorChoiceError(d.file, d.choices.map(String), d.detail);
  return new DataError(d.file, d.detail, { ...(d.line != null ? { line: d.line } : {}), ...(d.field != null ? { field: d.field } : {}) });
}
