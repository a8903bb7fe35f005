import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { spriteCell, spriteGeometry } from '../../src/data/sprite-geometry';

describe('spriteGeometry', () => {
  it('derives columns and rows separately for a non-square atlas', () => {
    const g = spriteGeometry(300, 100, [30, 50], 15, 'wide.png');
    expect(g).toEqual({ cellWidth: 30, cellHeight: 50, columns: 10, rows: 2, imageWidth: 300, imageHeight: 100 });
    expect(spriteCell(g, 0)).toEqual({ x: 0, y: 0 });
    expect(spriteCell(g, 9)).toEqual({ x: 270, y: 0 });
    expect(spriteCell(g, 10)).toEqual({ x: 0, y: 50 });
    expect(spriteCell(g, 14)).toEqual({ x: 120, y: 50 });
  });

  it('handles a tall atlas and ignores leftover pixels', () => {
    const g = spriteGeometry(64, 250, [28, 28], 16, 'tall.png');
    expect([g.columns, g.rows]).toEqual([2, 8]);
    expect(spriteCell(g, 15)).toEqual({ x: 28, y: 196 });
  });

  it('refuses an atlas with fewer cells than points, naming both', () => {
    const e = (() => {
      try {
        spriteGeometry(280, 56, [28, 28], 21, 'sprite.png');
      } catch (err) {
        return err as DataError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe('sprite.png: sprite holds 20 cells of 28x28 (10 x 2 in 280x56) but there are 21 points');
  });

  it('refuses a cell bigger than the image, and nonsense sizes', () => {
    expect(() => spriteGeometry(20, 100, [28, 28], 1, 's.png')).toThrow('s.png: a sprite cell of 28x28 is bigger than the 20x100 image');
    expect(() => spriteGeometry(100, 100, [0, 28], 1, 's.png')).toThrow(/singleImageDim/);
    expect(() => spriteGeometry(0, 0, [8, 8], 1, 's.png')).toThrow(/no pixels/);
  });
});
