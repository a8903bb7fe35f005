/**
 * Sets of row indices in a link: ascending runs as "a-b" joined by '.', or, when that is longer, a
 * bitset in base64url prefixed with '~'. Either form is URL-safe and decodes to the same set.
 */
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function encodeIndices(indices: ArrayLike<number>): string {
  const sorted = Array.from(indices).sort((a, b) => a - b);
  const runs: string[] = [];
  for (let k = 0; k < sorted.length; ) {
    let j = k;
    while (j + 1 < sorted.length && sorted[j + 1] <= sorted[j] + 1) j++;
    runs.push(sorted[j] === sorted[k] ? String(sorted[k]) : `${sorted[k]}-${sorted[j]}`);
    k = j + 1;
  }
  const ranges = runs.join('.');
  if (sorted.length === 0) return ranges;
  const max = sorted[sorted.length - 1];
  if (ranges.length <= max / 6 + 2) return ranges;
  const bits = new Uint8Array(Math.ceil((max + 1) / 6));
  for (const i of sorted) bits[Math.floor(i / 6)] |= 1 << i % 6;
  return `~${Array.from(bits, (b) => B64[b]).join('')}`;
}

export function decodeIndices(text: string): number[] {
  if (text === '') return [];
  if (text.startsWith('~')) {
    const out: number[] = [];
    for (let c = 1; c < text.length; c++) {
      const v = B64.indexOf(text[c]);
      if (v < 0) throw new Error(`index set: "${text[c]}" is not a base64url digit`);
      for (let b = 0; b < 6; b++) if (v & (1 << b)) out.push((c - 1) * 6 + b);
    }
    return out;
  }
  const out: number[] = [];
  for (const run of text.split('.')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(run);
    if (!m) throw new Error(`index set: "${run}" is neither a row nor a range`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new Error(`index set: the range "${run}" runs backwards`);
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}
