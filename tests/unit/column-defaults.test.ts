import { describe, expect, it } from 'vitest';
import { metadataColumn } from '../../src/data/metadata-tsv';
import { colorable, colorBy } from '../../src/color/color-by';
import { defaultColorColumn, defaultLabelColumn } from '../../src/state/column-defaults';
import { picturesPlausible } from '../../src/sprite/vector-images';

const meta = (...columns: ReturnType<typeof metadataColumn>[]) => ({ columns, rows: columns[0].values.length });
const words = metadataColumn('word', Array.from({ length: 200 }, (_, i) => `w${i}`));
const rank = metadataColumn('rank', Array.from({ length: 200 }, (_, i) => String(i + 1)));
const digit = metadataColumn('digit', Array.from({ length: 200 }, (_, i) => String(i % 10)));
const kind = metadataColumn('kind', Array.from({ length: 200 }, (_, i) => (i % 3 ? 'noun' : null)));

describe('what a dataset opens with', () => {
  it('GloVe-like words: no colour (no legend), labels by the word column', () => {
    const m = meta(words, rank);
    expect(defaultColorColumn(m)).toBe(-1);
    expect(defaultLabelColumn(m)).toBe(0);
    expect(colorBy(200, words).legend.kind).toBe('none');
  });

  it('the first column with at most 50 values colours; numbers are never the label', () => {
    expect(defaultColorColumn(meta(words, digit))).toBe(1);
    expect(defaultLabelColumn(meta(digit, rank))).toBe(-1);
    expect(defaultLabelColumn(meta(kind, words))).toBe(1);
    expect(defaultColorColumn(null)).toBe(-1);
  });

  it('text past 50 values cannot colour; numbers keep their continuous scale', () => {
    expect(colorable(words)).toBe(false);
    expect(colorable(metadataColumn('c', Array.from({ length: 50 }, (_, i) => `c${i}`)))).toBe(true);
    expect(colorable(rank)).toBe(true);
    expect(colorBy(200, rank).legend.kind).toBe('numeric');
    const legend = colorBy(200, metadataColumn('c', Array.from({ length: 200 }, (_, i) => `c${i % 50}`))).legend;
    expect(legend.kind === 'categorical' && legend.entries.length).toBe(50);
  });
});

describe('vectors that plausibly are pictures', () => {
  it('square lengths (x 3 or 4) of at least 8x8 with pixel values', () => {
    expect(picturesPlausible(784, [0, 255])).toBe(true);
    expect(picturesPlausible(64, [0, 16])).toBe(true);
    expect(picturesPlausible(3072, [0, 1])).toBe(true);
    expect(picturesPlausible(1024 * 4, [0, 1])).toBe(true);
  });
  it('word vectors, small or odd lengths and other ranges are not', () => {
    expect(picturesPlausible(100, [-4.1, 3.9])).toBe(false);
    expect(picturesPlausible(49, [0, 1])).toBe(false);
    expect(picturesPlausible(50, [0, 1])).toBe(false);
    expect(picturesPlausible(784, [0, 300])).toBe(false);
  });
});
