/**
 * Colours for metadata values. Categorical: 20 hand-picked distinct colours, then golden-angle
 * hues, so categories past 10 stay apart (TF's palette repeats after 10). Numeric: viridis.
 */
export type Rgb = [number, number, number];

const CATEGORICAL: string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#393b79', '#ad494a', '#637939', '#e7ba52', '#7b4173', '#3182bd', '#e6550d', '#31a354', '#756bb1', '#636363',
];

const VIRIDIS: Rgb[] = [
  [0.267, 0.005, 0.329], [0.283, 0.141, 0.458], [0.254, 0.265, 0.53], [0.207, 0.372, 0.553], [0.164, 0.471, 0.558],
  [0.128, 0.567, 0.551], [0.135, 0.659, 0.518], [0.267, 0.749, 0.441], [0.478, 0.821, 0.318], [0.741, 0.873, 0.15],
  [0.993, 0.906, 0.144],
];

const hexToRgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as Rgb;

function hslToRgb(h: number, s: number, l: number): Rgb {
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    return l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
}

export function categoricalColor(i: number): Rgb {
  if (i < CATEGORICAL.length) return hexToRgb(CATEGORICAL[i]);
  const hue = (i * 0.618033988749895) % 1;
  return hslToRgb(hue, 0.65, i % 2 ? 0.42 : 0.58);
}

/** t in [0, 1]. */
export function sequentialColor(t: number): Rgb {
  const x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export const MISSING_COLOR: Rgb = [0.75, 0.75, 0.75];
export const DEFAULT_COLOR: Rgb = [0.27, 0.45, 0.75];

export const rgbCss = (c: Rgb) => `rgb(${c.map((v) => Math.round(v * 255)).join(',')})`;

/** The inspected point: the hover ring's orange. */
export const INSPECTED_COLOR: Rgb = [1, 0.35, 0];
/** Its neighbours, by distance: nearest darkest (viridis 0), farthest yellow-green (0.85). */
export const neighborColor = (t: number): Rgb => sequentialColor(0.85 * t);
/** Rank -> 0..1 between the nearest and the farthest distance of a neighbour list. */
export function distanceRamp(distances: Float32Array): (rank: number) => number {
  const lo = distances[0] ?? 0;
  const span = (distances[distances.length - 1] ?? 0) - lo;
  return (rank) => (span > 0 ? (distances[rank] - lo) / span : 0);
}
