/**
 * Panels drawn over the canvas (marked `data-overlay`): labels are not placed under them, and the
 * first camera fit keeps the cloud clear of a panel along the bottom edge.
 */
export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The overlays' boxes in CSS px from the canvas's top-left. */
export function overlayRects(canvas: HTMLElement): Rect[] {
  const c = canvas.getBoundingClientRect();
  const out: Rect[] = [];
  for (const el of document.querySelectorAll<HTMLElement>('[data-overlay]')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    out.push({ left: r.left - c.left, top: r.top - c.top, right: r.right - c.left, bottom: r.bottom - c.top });
  }
  return out;
}

/** How much of the canvas's bottom a wide panel covers (the view panel), in CSS px. */
export function bottomInset(canvas: HTMLElement): number {
  const { width, height } = canvas.getBoundingClientRect();
  let inset = 0;
  for (const r of overlayRects(canvas)) {
    if (r.right - r.left > width * 0.4 && r.bottom >= height - 20 && r.top > height / 2) inset = Math.max(inset, height - r.top);
  }
  return inset;
}
