import { describe, expect, it } from 'vitest';
import { compileQuery, searchRows } from '../../src/data/search';
import { createRandom } from '../../src/reduce/random';

function all(columns: (string | null)[][], test: (v: string) => boolean): number[] {
  const out: number[] = [];
  searchRows(columns, test, 0, Math.max(...columns.map((c) => c.length)), out);
  return out;
}

describe('compileQuery', () => {
  it('plain: case-insensitive substring', () => {
    const t = compileQuery('KiNg', {});
    expect(t('king')).toBe(true);
    expect(t('The Kingdom')).toBe(true);
    expect(t('KING')).toBe(true);
    expect(t('kin g')).toBe(false);
    // Regex syntax is literal in plain mode.
    const dot = compileQuery('a.b', { regex: false });
    expect(dot('a.b')).toBe(true);
    expect(dot('axb')).toBe(false);
    expect(compileQuery('(', {})('f(x)')).toBe(true);
  });

  it('regex: case-insensitive, anchors respected', () => {
    const t = compileQuery('^king$', { regex: true });
    expect(t('king')).toBe(true);
    expect(t('KING')).toBe(true);
    expect(t('kingdom')).toBe(false);
    expect(t('viking')).toBe(false);
    const digits = compileQuery('^[0-9]+\\.5$', { regex: true });
    expect(digits('12.5')).toBe(true);
    expect(digits('12.25')).toBe(false);
  });

  it('regex: repeated calls give the same answer (no lastIndex state)', () => {
    const t = compileQuery('a', { regex: true });
    for (let i = 0; i < 5; i++) expect(t('banana')).toBe(true);
  });

  it("a bad regex throws with the engine's message", () => {
    let engine = '';
    try {
      new RegExp('(', 'i');
    } catch (e) {
      engine = (e as Error).message;
    }
    expect(engine).toMatch(/Invalid regular expression/);
    expect(() => compileQuery('(', { regex: true })).toThrow(engine);
    expect(() => compileQuery('[a-', { regex: true })).toThrow(/Invalid regular expression/);
    expect(() => compileQuery('(', { regex: true })).toThrow(Error);
  });

  it('an empty query matches nothing', () => {
    expect(compileQuery('', {})('')).toBe(false);
    expect(compileQuery('', {})('abc')).toBe(false);
    expect(compileQuery('', { regex: true })('abc')).toBe(false);
  });
});

describe('searchRows', () => {
  it('skips null cells and matches on any column, ascending', () => {
    const names = ['apple', null, 'Banana', 'cherry', null, 'date'];
    const tags = ['x', 'an', null, 'AN', 'nan', null];
    const t = compileQuery('an', {});
    expect(all([names], t)).toEqual([2]);
    expect(all([tags], t)).toEqual([1, 3, 4]);
    expect(all([names, tags], t)).toEqual([1, 2, 3, 4]);
    expect(all([tags, names], t)).toEqual([1, 2, 3, 4]);
    expect(all([[null, null]], () => true)).toEqual([]);
  });

  it('appends to out without clearing it', () => {
    const out = [99];
    searchRows([['a', 'b', 'a']], compileQuery('a', {}), 0, 3, out);
    expect(out).toEqual([99, 0, 2]);
  });

  it('slices [from, to) concatenate to the full result', () => {
    const rng = createRandom(11);
    const word = () => {
      if (rng.next() < 0.1) return null;
      let s = '';
      const len = 1 + Math.floor(rng.next() * 6);
      for (let i = 0; i < len; i++) s += String.fromCharCode((rng.next() < 0.5 ? 65 : 97) + Math.floor(rng.next() * 4));
      return s;
    };
    const n = 2000;
    const a = Array.from({ length: n }, word);
    const b = Array.from({ length: n }, word);
    for (const [q, regex] of [['ab', false], ['^c', true], ['d$', true]] as const) {
      const test = compileQuery(q, { regex });
      const full = all([a, b], test);
      const expected: number[] = [];
      for (let i = 0; i < n; i++) if ([a[i], b[i]].some((v) => v !== null && test(v))) expected.push(i);
      expect(full).toEqual(expected);
      expect(full.length).toBeGreaterThan(0);
      for (const slice of [1, 7, 333, 5000]) {
        const out: number[] = [];
        for (let from = 0; from < n; from += slice) searchRows([a, b], test, from, Math.min(n, from + slice), out);
        expect(out).toEqual(full);
      }
    }
  });
});
