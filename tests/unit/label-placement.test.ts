import { describe, expect, it } from 'vitest';
import { LABEL_HEIGHT, placeLabels, type LabelCandidate } from '../../src/render/label-placement';

const c = (index: number, x: number, y: number, rank: number, depth = 0, text = `p${index}`): LabelCandidate => ({ index, x, y, depth, rank, half: 5, text });

describe('label placement', () => {
  it('hovered first, then selected, then nearest; overlapping labels are dropped', () => {
    const placed = placeLabels([c(1, 100, 100, 2, 0.1), c(2, 100, 100, 1), c(3, 100, 100 + LABEL_HEIGHT + 1, 2, 0.5), c(4, 100, 100, 0)], 10, 800, 600);
    expect(placed.map((p) => p.index)).toEqual([4, 3]);
  });

  it('nearer points win among the near ones, and the cap holds', () => {
    const many = Array.from({ length: 100 }, (_, i) => c(i, 10 + (i % 10) * 70, 10 + Math.floor(i / 10) * 30, 2, 1 - i / 100));
    const placed = placeLabels(many, 7, 800, 600);
    expect(placed.length).toBe(7);
    expect(placed[0].index).toBe(99);
  });

  it('labels off screen are skipped, empty text is skipped', () => {
    expect(placeLabels([c(1, 795, 100, 2), c(2, 100, 100, 2, 0, '')], 10, 800, 600)).toEqual([]);
  });
});
