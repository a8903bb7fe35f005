import { describe, expect, it } from 'vitest';
import { colorBy } from '../../src/color/color-by';
import { metadataColumn } from '../../src/data/metadata-tsv';
import { categoricalColor } from '../../src/color/palette';

const col = (values: (string | null)[], numeric: boolean) => ({ ...metadataColumn('c', values), numeric });

describe('colorBy', () => {
  it('gives categories distinct colours well past ten', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add(categoricalColor(i).map((v) => Math.round(v * 255)).join());
    expect(seen.size).toBe(40);
  });

  it('colours digit labels as categories in numeric order, with counts in the legend', () => {
    const values = ['3', '1', '3', '2', null];
    const { colors, legend } = colorBy(5, col(values, true));
    expect(legend.kind).toBe('categorical');
    if (legend.kind !== 'categorical') return;
    expect(legend.entries.map((e) => [e.value, e.count])).toEqual([['1', 1], ['2', 1], ['3', 2]]);
    expect(Array.from(colors.slice(0, 3))).toEqual(Array.from(colors.slice(6, 9)));
    expect(Array.from(colors.slice(0, 3))).not.toEqual(Array.from(colors.slice(3, 6)));
  });

  it('uses a continuous scale for a numeric column with many values', () => {
    const values = Array.from({ length: 100 }, (_, i) => String(i * 10));
    const { colors, legend } = colorBy(100, col(values, true));
    expect(legend).toMatchObject({ kind: 'numeric', min: 0, max: 990 });
    expect(Array.from(colors.slice(0, 3))).not.toEqual(Array.from(colors.slice(297, 300)));
  });
});
