import { describe, expect, it } from 'vitest';
import { uniqueNames } from '../../src/data/unique-names';

describe('uniqueNames', () => {
  it('leaves distinct names alone', () => {
    expect(uniqueNames(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(uniqueNames([])).toEqual([]);
  });

  it('suffixes repeats with (2), (3) and keeps the first as is', () => {
    expect(uniqueNames(['Iris', 'Iris', 'x', 'Iris'])).toEqual(['Iris', 'Iris (2)', 'x', 'Iris (3)']);
  });

  it('never produces a name that is already in the list', () => {
    const out = uniqueNames(['a', 'a', 'a (2)']);
    expect(out).toEqual(['a', 'a (3)', 'a (2)']);
    expect(new Set(out).size).toBe(3);
    const many = uniqueNames(['t', 't (2)', 't', 't', 't (2)']);
    expect(new Set(many).size).toBe(5);
  });
});
