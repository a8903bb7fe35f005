import { describe, expect, it } from 'vitest';
import { metadataColumn, parseMetadata } from '../../src/data/metadata-tsv';
import { metadataTsv } from '../../src/data/metadata-write';
import { sequencePairs } from '../../src/data/sequences';

describe('sequences (__seq_next__)', () => {
  it('pairs each row with its next; empty, out-of-range and self links end a sequence', () => {
    const meta = { rows: 5, columns: [metadataColumn('__seq_next__', ['1', '2', '', '9', '4'])] };
    expect(Array.from(sequencePairs(meta, 5))).toEqual([0, 1, 1, 2]);
    expect(sequencePairs({ rows: 1, columns: [metadataColumn('next', ['0'])] }, 1).length).toBe(0);
  });
});

describe('edited metadata as TSV', () => {
  it('reads back as written: header for several columns, none for one, quoting as excel-tab', () => {
    const meta = { rows: 3, columns: [metadataColumn('word', ['a', 'tab\there', '"q']), metadataColumn('tag', [null, 'x', 'y'])] };
    const again = parseMetadata(metadataTsv(meta), 'edited.tsv');
    expect(again.columns.map((c) => c.values)).toEqual(meta.columns.map((c) => c.values));
    expect(again.columns.map((c) => c.name)).toEqual(['word', 'tag']);
    const one = { rows: 2, columns: [metadataColumn('label', ['7', '2'])] };
    expect(metadataTsv(one)).toBe('7\n2\n');
  });
});
