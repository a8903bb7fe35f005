import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { checkMetadataRows, parseMetadata } from '../../src/data/metadata-tsv';
import { thrown } from './dataset-helpers';

const values = (text: string, col = 0) => parseMetadata(text, 'm.tsv').columns[col].values;

function errorOf(text: string): DataError {
  const e = thrown(() => parseMetadata(text, 'meta.tsv'));
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

describe('parseMetadata: TF layout', () => {
  it('one column has no header and is named "label"', () => {
    const m = parseMetadata('7\n2\n1\n', 'labels.tsv');
    expect(m.rows).toBe(3);
    expect(m.columns).toEqual([{ name: 'label', values: ['7', '2', '1'], numeric: true, distinct: 3 }]);
  });

  it('several columns take their names from the first line', () => {
    const m = parseMetadata('word\trank\nthe\t1\nof\t2\n', 'm.tsv');
    expect(m.rows).toBe(2);
    expect(m.columns.map((c) => c.name)).toEqual(['word', 'rank']);
    expect(m.columns[0]).toEqual({ name: 'word', values: ['the', 'of'], numeric: false, distinct: 2 });
    expect(m.columns[1]).toEqual({ name: 'rank', values: ['1', '2'], numeric: true, distinct: 2 });
  });

  it('keeps repeated or empty header names apart', () => {
    const m = parseMetadata('a\ta\t\nx\ty\tz\n', 'm.tsv');
    expect(m.columns.map((c) => c.name)).toEqual(['a', 'a (2)', 'column 3']);
  });

  it('empty cells are null and do not stop a column being numeric', () => {
    const m = parseMetadata('name\tmass\tsex\na\t3750\tMALE\nb\t\t\nc\t4100\t.\n', 'm.tsv');
    expect(m.columns[1]).toEqual({ name: 'mass', values: ['3750', null, '4100'], numeric: true, distinct: 2 });
    expect(m.columns[2]).toEqual({ name: 'sex', values: ['MALE', null, '.'], numeric: false, distinct: 2 });
  });

  it('an all-empty column is not numeric; NaN and hex are not numbers', () => {
    const m = parseMetadata('a\tb\tc\tk\n1\t\tNaN\t0x1\n2\t\t3\t4\n', 'm.tsv');
    expect(m.columns.map((c) => c.numeric)).toEqual([true, false, false, false]);
  });

  it('\\r\\n line ends, a BOM, and trailing blank lines (TF iris_labels.tsv ends with one)', () => {
    const m = parseMetadata('\ufeffa\tb\r\n1\t2\r\n3\t4\r\n\r\n\n', 'm.tsv');
    expect(m.rows).toBe(2);
    expect(m.columns[0].name).toBe('a');
    expect(m.columns[1].values).toEqual(['2', '4']);
  });

  it('in a one-column file a blank line in the middle is an empty label', () => {
    expect(values('a\n\nb\n')).toEqual(['a', null, 'b']);
    expect(values('a\nb\n\n')).toEqual(['a', 'b']);
  });

  it('never interprets cell text', () => {
    const m = parseMetadata('<b>bold</b>\n&amp;\n<img src=x onerror=alert(1)>\n', 'm.tsv');
    expect(m.columns[0].values).toEqual(['<b>bold</b>', '&amp;', '<img src=x onerror=alert(1)>']);
  });
});

describe('parseMetadata: quoting', () => {
  it('lone quote, apostrophe and hash cells are values (GloVe words)', () => {
    const m = parseMetadata('word\trank\nthe\t1\n"\t8\n\'\t53\n#\t2603\n"\t9\n', 'm.tsv');
    expect(m.columns[0].values).toEqual(['the', '"', "'", '#', '"']);
    expect(m.columns[1].values).toEqual(['1', '8', '53', '2603', '9']);
  });

  it('a lone quote in a one-column file', () => {
    expect(values('a\n"\nb\n"\nc\n')).toEqual(['a', '"', 'b', '"', 'c']);
  });

  it('unquotes properly closed fields as Python csv excel-tab writes them', () => {
    const text = 'text\tn\r\n"has\ttab"\t1\r\n"line\r\nbreak"\t2\r\n"say ""hi"""\t3\r\n""""\t4\r\n"plain"\t5\r\n';
    const m = parseMetadata(text, 'm.tsv');
    expect(m.columns[0].values).toEqual(['has\ttab', 'line\r\nbreak', 'say "hi"', '"', 'plain']);
    expect(m.columns[1].values).toEqual(['1', '2', '3', '4', '5']);
  });

  it('takes anything else starting with a quote literally', () => {
    const m = parseMetadata('a\tb\n"abc"def\t1\n"open\t2\nmid"dle\t3\n\'single\'\t4\n', 'm.tsv');
    expect(m.columns[0].values).toEqual(['"abc"def', '"open', 'mid"dle', "'single'"]);
  });

  it('counts lines inside quoted fields for error positions', () => {
    const e = errorOf('a\tb\n"x\ny"\t1\nbad\n');
    expect(e.message).toBe('meta.tsv line 4: expected 2 fields like the first line, found 1');
  });
});

describe('parseMetadata: errors', () => {
  it('rows with another field count name the line', () => {
    const e = errorOf('a\tb\tc\n1\t2\t3\n4\t5\n');
    expect(e.message).toBe('meta.tsv line 3: expected 3 fields like the first line, found 2');
    expect(e.line).toBe(3);
  });

  it('a blank line between rows of a multi-column file', () => {
    expect(errorOf('a\tb\n1\t2\n\n3\t4\n').message).toBe('meta.tsv line 3: blank line between rows; expected 2 fields');
  });

  it('an empty file', () => {
    expect(errorOf('').message).toBe('meta.tsv: empty file: no metadata rows');
    expect(errorOf('\n\n').message).toBe('meta.tsv: empty file: no metadata rows');
  });
});

describe('checkMetadataRows', () => {
  it('passes when the counts agree and names both counts when not', () => {
    const m = parseMetadata('a\nb\nc\n', 'labels.tsv');
    expect(() => checkMetadataRows(m, 3, 'labels.tsv')).not.toThrow();
    expect(() => checkMetadataRows(m, 5, 'labels.tsv')).toThrow('labels.tsv: metadata has 3 rows but the tensor has 5 points');
  });

  it('hints at a header line in a one-column file', () => {
    const m = parseMetadata('label\n7\n2\n', 'labels.tsv');
    expect(() => checkMetadataRows(m, 2, 'labels.tsv')).toThrow(/has no header line/);
  });
});
