/**
 * Which text labels to draw: the hovered point's first, then the selected points', then those
 * nearest the camera, each only where it does not overlap a label already placed, and never
 * more than a cap, so text never drowns the view.
 */
export interface LabelCandidate {
  index: number;
  /** Anchor (the point's centre) in CSS px. */
  x: number;
  y: number;
  depth: number;
  /** 0 hovered, 1 selected, 2 near the camera. */
  rank: number;
  /** Half the point's drawn size: the label starts just right of it. */
  half: number;
  text: string;
}

export interface PlacedLabel {
  index: number;
  left: number;
  top: number;
  text: string;
  rank: number;
}

export const LABEL_HEIGHT = 16;
const CHAR_WIDTH = 7;
const PAD = 4;

export function placeLabels(candidates: LabelCandidate[], cap: number, width: number, height: number): PlacedLabel[] {
  const sorted = [...candidates].sort((a, b) => a.rank - b.rank || a.depth - b.depth);
  const boxes: [number, number, number, number][] = [];
  const placed: PlacedLabel[] = [];
  for (const c of sorted) {
    if (placed.length >= cap) break;
    if (c.text === '') continue;
    const w = c.text.length * CHAR_WIDTH + 2 * PAD;
    const left = c.x + c.half + 2;
    const top = c.y - LABEL_HEIGHT / 2;
    // The hovered label always shows; others must be on screen and clear of those placed.
    if (c.rank > 0) {
      if (left < 0 || top < 0 || left + w > width || top + LABEL_HEIGHT > height) continue;
      if (boxes.some(([l, t, r, b]) => left < r && left + w > l && top < b && top + LABEL_HEIGHT > t)) continue;
    }
    boxes.push([left, top, left + w, top + LABEL_HEIGHT]);
    placed.push({ index: c.index, left, top, text: c.text, rank: c.rank });
  }
  return placed;
}
