/**
 * One epoch of UMAP's layout SGD over flat typed arrays (umap-learn's
 * optimize_layout_euclidean_single_epoch, umap-js's optimizeLayoutStep). Pure and worker-safe.
 *
 * With d2 the squared layout distance, the gradient coefficients are
 *   attraction  A(d2) = -2 a b d2^(b-1) / (1 + a d2^b)
 *   repulsion   R(d2) =  2 gamma b / ((0.001 + d2) (1 + a d2^b))
 * and every coordinate of coefficient * (x_i - x_j) is clipped to [-4, 4] (tested once on the
 * sum of the coordinates' magnitudes: when that is within 4 no coordinate needs clipping).
 *
 * Math.pow costs ~65 ns in V8 and sits on the loop's serial dependency chain (each negative
 * sample moves the point the next one is measured from), so A and R are read from tables
 * instead: d2's float32 bit pattern, a piecewise-linear log2, indexes 2^CELL_BITS cells per
 * octave, interpolated linearly — relative error below 3e-6 (measured in the tests), far under
 * the SGD's own noise, and the result is still fully deterministic. Outside the tabulated range
 * (d2 below 2^-20 or from 2^24 up) the exact formulas are used.
 */

export interface SgdState {
  /** n*dim layout, updated in place. */
  pos: Float32Array;
  dim: 2 | 3;
  /** Number of points (negative samples are drawn from all of them). */
  n: number;
  head: Int32Array;
  tail: Int32Array;
  epochsPerSample: Float64Array;
  nextSample: Float64Array;
  epochsPerNegative: Float64Array;
  nextNegative: Float64Array;
  tables: GradientTables;
  /** mulberry32 state for the negative samples. */
  rng: number;
}

export interface GradientTables {
  a: number;
  b: number;
  gamma: number;
  attract: Float32Array;
  repel: Float32Array;
}

const CLIP = 4;
const CELL_BITS = 9;
const SHIFT = 23 - CELL_BITS;
const MASK = (1 << SHIFT) - 1;
const INV_CELL = 1 / (1 << SHIFT);
/** Tabulated d2 range: [2^MIN_EXP, 2^MAX_EXP). */
const MIN_EXP = -20;
const MAX_EXP = 24;
/** Index of the first cell: the float32 bits of 2^MIN_EXP, shifted. */
const BASE = (MIN_EXP + 127) << CELL_BITS;
const CELLS = (MAX_EXP - MIN_EXP) << CELL_BITS;

// d2's float32 bits (worker-safe module scratch: the loops are synchronous).
const scratchF = new Float32Array(1);
const scratchU = new Uint32Array(scratchF.buffer);

export function exactAttract(d2: number, a: number, b: number): number {
  const pb = Math.pow(d2, b);
  return (-2 * a * b * (pb / d2)) / (a * pb + 1);
}

export function exactRepel(d2: number, a: number, b: number, gamma: number): number {
  return (2 * gamma * b) / ((0.001 + d2) * (a * Math.pow(d2, b) + 1));
}

export function gradientTables(a: number, b: number, gamma: number): GradientTables {
  const attract = new Float32Array(CELLS + 1);
  const repel = new Float32Array(CELLS + 1);
  for (let i = 0; i <= CELLS; i++) {
    scratchU[0] = (BASE + i) << SHIFT;
    const d2 = scratchF[0];
    attract[i] = exactAttract(d2, a, b);
    repel[i] = exactRepel(d2, a, b, gamma);
  }
  return { a, b, gamma, attract, repel };
}

/** The table lookup of the loops, for tests: A(d2) or R(d2) as the optimizer sees them. */
export function tabulated(t: GradientTables, which: 'attract' | 'repel', d2: number): number {
  scratchF[0] = d2;
  const bits = scratchU[0];
  const idx = (bits >>> SHIFT) - BASE;
  if (idx >= 0 && idx < CELLS) {
    const T = which === 'attract' ? t.attract : t.repel;
    const v = T[idx];
    return v + (T[idx + 1] - v) * ((bits & MASK) * INV_CELL);
  }
  return which === 'attract' ? exactAttract(d2, t.a, t.b) : exactRepel(d2, t.a, t.b, t.gamma);
}

/** Edges looked at per block of an epoch (worker-safe module scratch: the loops are synchronous). */
const DUE_BLOCK = 4096;
const dueScratch = new Int32Array(DUE_BLOCK);

/** The edges of [from, to) due this epoch into due, in order, with no branch per edge; returns their count. */
function gatherDue(next: Float64Array, epoch: number, from: number, to: number, due: Int32Array): number {
  let count = 0;
  for (let e = from; e < to; e++) {
    due[count] = e;
    count += +(next[e] <= epoch);
  }
  return count;
}

function clip(v: number): number {
  return v > CLIP ? CLIP : v < -CLIP ? -CLIP : v;
}

/**
 * One thread's share of an epoch (./pool): the edges [from, to), whose heads are the rows
 * [lo, hi) it owns. A head (always its own) and an edge's tail of its own are read and written
 * live; a tail of another range is read from `snapshot` (the layout as the epoch began) and its
 * move appended to `log`, which its owner applies after the epoch in a fixed order, so the result
 * does not depend on timing. Negative samples read every row from the snapshot, its own included:
 * a test of ownership per random sample is mispredicted half the time on two threads, and cost a
 * part ~20% of its time (6.9 vs 5.8 ms of a 10.5 ms mnist-10k epoch). With one thread the snapshot
 * is the live layout itself.
 */
export interface EpochPart {
  from: number;
  to: number;
  lo: number;
  hi: number;
  snapshot: Float32Array;
  log: MoveLog;
  /** This part's mulberry32 state, advanced in place (rng[0]). */
  rng: Int32Array;
}

/**
 * Moves of rows another thread owns, in the order they were made: an append-only list, written
 * only by its thread (so its cache lines stay there until the owners read them once).
 */
export interface MoveLog {
  rows: Int32Array;
  /** dim values per entry. */
  moves: Float32Array;
  /** count[0]: entries written this epoch. */
  count: Int32Array;
}

const NO_LOG: MoveLog = { rows: new Int32Array(0), moves: new Float32Array(0), count: new Int32Array(1) };

/**
 * Runs epoch `epoch` (0-based) with learning rate alpha: every edge due samples its positive
 * pair (both ends move) and its negatives (the head moves). With a part, only its edges.
 */
export function runEpoch(s: SgdState, epoch: number, alpha: number, part?: EpochPart): void {
  // One thread owns every row: nothing goes to the log.
  const p = part ?? { from: 0, to: s.epochsPerSample.length, lo: 0, hi: s.n, snapshot: s.pos, log: NO_LOG, rng: null };
  if (s.dim === 3) epoch3(s, epoch, alpha, p);
  else epoch2(s, epoch, alpha, p);
}

type Part = Omit<EpochPart, 'rng'> & { rng: Int32Array | null };

/** Applies the logged moves of rows [lo, hi) to pos, entry by entry in log order. */
export function applyLog(pos: Float32Array, dim: 2 | 3, log: MoveLog, lo: number, hi: number): void {
  const { rows, moves } = log;
  const count = log.count[0];
  for (let e = 0; e < count; e++) {
    const r = rows[e];
    if (r < lo || r >= hi) continue;
    const o = r * dim;
    const m = e * dim;
    pos[o] += moves[m];
    pos[o + 1] += moves[m + 1];
    if (dim === 3) pos[o + 2] += moves[m + 2];
  }
}

// The two loops below are the same but for the dimension, spelled out so that V8 keeps every
// coordinate in registers.

function epoch3(s: SgdState, epoch: number, alpha: number, part: Part): void {
  const { pos, head, tail, n: nVertices } = s;
  // Tails in [lo, lo + span) are this part's: read and moved live; others read from the snapshot.
  const { lo, snapshot: snap } = part;
  const { rows: logRows, moves: logMoves } = part.log;
  let logged = 0;
  const span = part.hi - part.lo;
  const { a, b, gamma, attract, repel } = s.tables;
  const eps = s.epochsPerSample, next = s.nextSample, epsNeg = s.epochsPerNegative, nextNeg = s.nextNegative;
  const f32 = scratchF, u32 = scratchU;
  let state = (part.rng ? part.rng[0] : s.rng) | 0;
  const due = dueScratch;
  // Edges in blocks: first the block's due ones gathered (no branch per edge), then those run in order.
  for (let block = part.from; block < part.to; block += DUE_BLOCK) {
    const count = gatherDue(next, epoch, block, Math.min(part.to, block + DUE_BLOCK), due);
    for (let q = 0; q < count; q++) {
      const e = due[q];
      const j = head[e];
      const jo = j * 3;
      const k = tail[e];
      const ko = k * 3;
      const kOwn = (k - lo) >>> 0 < span;
      const kSrc = kOwn ? pos : snap;
      let cx = pos[jo], cy = pos[jo + 1], cz = pos[jo + 2];
      let dx = cx - kSrc[ko], dy = cy - kSrc[ko + 1], dz = cz - kSrc[ko + 2];
      let d2 = dx * dx + dy * dy + dz * dz;
      if (d2 > 0) {
        f32[0] = d2;
        const bits = u32[0];
        const idx = (bits >>> SHIFT) - BASE;
        let g: number;
        if (idx >= 0 && idx < CELLS) {
          const v = attract[idx];
          g = v + (attract[idx + 1] - v) * ((bits & MASK) * INV_CELL);
        } else {
          g = exactAttract(d2, a, b);
        }
        let gx: number, gy: number, gz: number;
        if (Math.abs(g) * (Math.abs(dx) + Math.abs(dy) + Math.abs(dz)) <= CLIP) {
          const ga = g * alpha;
          gx = ga * dx; gy = ga * dy; gz = ga * dz;
        } else {
          gx = clip(g * dx) * alpha; gy = clip(g * dy) * alpha; gz = clip(g * dz) * alpha;
        }
        cx += gx; cy += gy; cz += gz;
        if (kOwn) {
          pos[ko] -= gx; pos[ko + 1] -= gy; pos[ko + 2] -= gz;
        } else {
          logRows[logged] = k;
          const lo3 = 3 * logged++;
          logMoves[lo3] = -gx; logMoves[lo3 + 1] = -gy; logMoves[lo3 + 2] = -gz;
        }
      }
      next[e] += eps[e];

      const nNeg = Math.floor((epoch - nextNeg[e]) / epsNeg[e]);
      for (let p = 0; p < nNeg; p++) {
        // mulberry32, inlined
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), state | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        const m = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * nVertices);
        if (m === j) continue; // the head itself: umap-learn skips it (distance 0)
        const mo = m * 3;
        dx = cx - snap[mo]; dy = cy - snap[mo + 1]; dz = cz - snap[mo + 2];
        d2 = dx * dx + dy * dy + dz * dz;
        if (d2 > 0) {
          f32[0] = d2;
          const bits = u32[0];
          const idx = (bits >>> SHIFT) - BASE;
          let g: number;
          if (idx >= 0 && idx < CELLS) {
            const v = repel[idx];
            g = v + (repel[idx + 1] - v) * ((bits & MASK) * INV_CELL);
          } else {
            g = exactRepel(d2, a, b, gamma);
          }
          if (Math.abs(g) * (Math.abs(dx) + Math.abs(dy) + Math.abs(dz)) <= CLIP) {
            const ga = g * alpha;
            cx += ga * dx; cy += ga * dy; cz += ga * dz;
          } else {
            cx += clip(g * dx) * alpha; cy += clip(g * dy) * alpha; cz += clip(g * dz) * alpha;
          }
        }
      }
      pos[jo] = cx; pos[jo + 1] = cy; pos[jo + 2] = cz;
      if (nNeg > 0) nextNeg[e] += nNeg * epsNeg[e];
    }
  }
  if (part.rng) part.rng[0] = state;
  else s.rng = state;
  part.log.count[0] = logged;
}

function epoch2(s: SgdState, epoch: number, alpha: number, part: Part): void {
  const { pos, head, tail, n: nVertices } = s;
  // Tails in [lo, lo + span) are this part's: read and moved live; others read from the snapshot.
  const { lo, snapshot: snap } = part;
  const { rows: logRows, moves: logMoves } = part.log;
  let logged = 0;
  const span = part.hi - part.lo;
  const { a, b, gamma, attract, repel } = s.tables;
  const eps = s.epochsPerSample, next = s.nextSample, epsNeg = s.epochsPerNegative, nextNeg = s.nextNegative;
  const f32 = scratchF, u32 = scratchU;
  let state = (part.rng ? part.rng[0] : s.rng) | 0;
  const due = dueScratch;
  // Edges in blocks: first the block's due ones gathered (no branch per edge), then those run in order.
  for (let block = part.from; block < part.to; block += DUE_BLOCK) {
    const count = gatherDue(next, epoch, block, Math.min(part.to, block + DUE_BLOCK), due);
    for (let q = 0; q < count; q++) {
      const e = due[q];
      const j = head[e];
      const jo = j * 2;
      const k = tail[e];
      const ko = k * 2;
      const kOwn = (k - lo) >>> 0 < span;
      const kSrc = kOwn ? pos : snap;
      let cx = pos[jo], cy = pos[jo + 1];
      let dx = cx - kSrc[ko], dy = cy - kSrc[ko + 1];
      let d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        f32[0] = d2;
        const bits = u32[0];
        const idx = (bits >>> SHIFT) - BASE;
        let g: number;
        if (idx >= 0 && idx < CELLS) {
          const v = attract[idx];
          g = v + (attract[idx + 1] - v) * ((bits & MASK) * INV_CELL);
        } else {
          g = exactAttract(d2, a, b);
        }
        let gx: number, gy: number;
        if (Math.abs(g) * (Math.abs(dx) + Math.abs(dy)) <= CLIP) {
          const ga = g * alpha;
          gx = ga * dx; gy = ga * dy;
        } else {
          gx = clip(g * dx) * alpha; gy = clip(g * dy) * alpha;
        }
        cx += gx; cy += gy;
        if (kOwn) {
          pos[ko] -= gx; pos[ko + 1] -= gy;
        } else {
          logRows[logged] = k;
          const lo2 = 2 * logged++;
          logMoves[lo2] = -gx; logMoves[lo2 + 1] = -gy;
        }
      }
      next[e] += eps[e];

      const nNeg = Math.floor((epoch - nextNeg[e]) / epsNeg[e]);
      for (let p = 0; p < nNeg; p++) {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), state | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        const m = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * nVertices);
        if (m === j) continue;
        const mo = m * 2;
        dx = cx - snap[mo]; dy = cy - snap[mo + 1];
        d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          f32[0] = d2;
          const bits = u32[0];
          const idx = (bits >>> SHIFT) - BASE;
          let g: number;
          if (idx >= 0 && idx < CELLS) {
            const v = repel[idx];
            g = v + (repel[idx + 1] - v) * ((bits & MASK) * INV_CELL);
          } else {
            g = exactRepel(d2, a, b, gamma);
          }
          if (Math.abs(g) * (Math.abs(dx) + Math.abs(dy)) <= CLIP) {
            const ga = g * alpha;
            cx += ga * dx; cy += ga * dy;
          } else {
            cx += clip(g * dx) * alpha; cy += clip(g * dy) * alpha;
          }
        }
      }
      pos[jo] = cx; pos[jo + 1] = cy;
      if (nNeg > 0) nextNeg[e] += nNeg * epsNeg[e];
    }
  }
  if (part.rng) part.rng[0] = state;
  else s.rng = state;
  part.log.count[0] = logged;
}

/** The anchor spring (see ./umap): pos += f (target - pos) for every coordinate, 0 <= f <= 1. */
export function pullToward(pos: Float32Array, target: Float32Array, f: number): void {
  for (let e = 0; e < pos.length; e++) pos[e] += f * (target[e] - pos[e]);
}
