/** Small seeded PRNG for the reducers: worker-safe, no DOM. Same seed → same sequence. */

export interface Random {
  /** Uniform in [0, 1), 32 bits of resolution. A bound function: pass it around freely. */
  next: () => number;
  /** Standard normal N(0, 1) (Box–Muller, the second value of each pair is kept for the next call). */
  gaussian: () => number;
}

/**
 * mulberry32: 32-bit state, fast, good enough for random projections and initialisations. With
 * skip, the generator as it stands after `skip` calls of next() (so work that draws a known number
 * of values can be cut into pieces that each start where theirs would).
 */
export function createRandom(seed: number, skip = 0): Random {
  // Each draw adds a constant to the state: the generator `skip` draws on starts right there.
  let state = (seed + Math.imul(skip, 0x6d2b79f5)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  let spare: number | null = null;
  const gaussian = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    // 1 - next() is in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };

  return { next, gaussian };
}
