import { useEffect, useRef } from 'react';
import { spriteCell } from '../data/sprite-geometry';
import type { Sprite } from '../state/store';

/** One sprite cell, enlarged with crisp pixels, transparency kept. */
export function Thumbnail({ sprite, index, size }: { sprite: Sprite; index: number; size: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const g = sprite.geometry;
  const scale = size / Math.max(g.cellWidth, g.cellHeight);
  const w = Math.round(g.cellWidth * scale);
  const h = Math.round(g.cellHeight * scale);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { x, y } = spriteCell(g, index);
    ctx.clearRect(0, 0, w, h);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(sprite.bitmap, x, y, g.cellWidth, g.cellHeight, 0, 0, w, h);
  }, [sprite, g, index, w, h]);
  return <canvas ref={ref} width={w} height={h} className="thumbnail" data-testid="thumbnail" />;
}
