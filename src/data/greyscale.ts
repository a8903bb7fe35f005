/**
 * Whether a picture is greyscale (every visible pixel has r = g = b): such sprites read best
 * tinted with the view's colours; coloured ones (Comet's per-class backgrounds) carry their own.
 */
export function isGreyscale(rgba: Uint8ClampedArray | Uint8Array, tolerance = 2): boolean {
  // Large atlases are sampled on a stride: a coloured sprite is coloured almost everywhere.
  const pixels = rgba.length >> 2;
  const step = Math.max(1, Math.floor(pixels / 4_000_000));
  for (let p = 0; p < pixels; p += step) {
    const k = p << 2;
    if (rgba[k + 3] < 13) continue;
    const r = rgba[k];
    const g = rgba[k + 1];
    const b = rgba[k + 2];
    if (Math.abs(r - g) > tolerance || Math.abs(g - b) > tolerance || Math.abs(r - b) > tolerance) return false;
  }
  return true;
}
