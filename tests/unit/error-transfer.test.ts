import { describe, expect, it } from 'vitest';
import { DataError, isDataError } from '../../src/data/errors';
import { errorFromReply, errorReply } from '../../src/workers/error-transfer';

describe('errors across the worker boundary', () => {
  it('a DataError arrives as a DataError with its file, line and field', () => {
    const sent = errorReply(new DataError('tensors.tsv', 'expected 4 fields like the first line, found 3', { line: 12 }));
    const back = errorFromReply(JSON.parse(JSON.stringify(sent)));
    expect(isDataError(back)).toBe(true);
    expect(back).toBeInstanceOf(DataError);
    expect(back.message).toBe('tensors.tsv line 12: expected 4 fields like the first line, found 3');
    expect([(back as DataError).file, (back as DataError).line, (back as DataError).field]).toEqual(['tensors.tsv', 12, null]);
    const field = errorFromReply(errorReply(new DataError('p.json', 'must be a string', { field: 'embeddings[0].tensorPath' }))) as DataError;
    expect(field.field).toBe('embeddings[0].tensorPath');
  });

  it('other errors keep their message', () => {
    const back = errorFromReply(errorReply(new RangeError('k must be positive')));
    expect(isDataError(back)).toBe(false);
    expect(back.message).toBe('k must be positive');
  });
});
