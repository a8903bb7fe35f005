/**
 * Screen-space spatial index over points already projected to CSS pixels: exact hover picking
 * and box / lasso selection for up to ~1M points. Pure, DOM-free.
 *
 * A uniform grid over the viewport, filled by a counting sort: cell c owns the contiguous run
 * ids[cellStart[c] .. cellStart[c + 1]) of point indices (ascending within a cell), with the
 * points' x, y, signed half and depth copied beside them in the same order so queries read
 * memory sequentially. A point lives in the cell of its centre; a pick scans the cells within
 * the largest half of any grid point. The few points larger than the cell-size threshold sit
 * in a separate list scanned linearly, so that one huge point does not widen every query.
 *
 * Exactness: every test uses the caller's float32 values and the same expressions as
 * pickLinear. Points whose shape lies wholly outside the viewport are left out of the index;
 * queries that could reach them (a cursor outside the viewport, a selection whose bounding box
 * is not inside it) fall back to a linear scan of `points`, which the index keeps a reference
 * to: do not mutate the arrays while the index is in use.
 */

export interface ScreenPoints {
  n: number;
  /** Centre x in CSS px, 0 = left of canvas. */
  x: Float32Array;
  /** Centre y in CSS px, 0 = top. */
  y: Float32Array;
  /** NDC depth, smaller = nearer. */
  depth: Float32Array;
  /** Half the drawn side (square) or radius (dot) in CSS px; <= 0: not drawn, never picked or selected. */
  half: Float32Array;
  /** 1: drawn as a disc of radius half; 0: an axis-aligned square of half-side half. */
  round: Uint8Array;
}

export interface ScreenIndexStats {
  /** Points in the grid / in the linear list of large points / left out (not drawn or off-screen). */
  gridCount: number;
  bigCount: number;
  droppedCount: number;
  cols: number;
  rows: number;
  cellSize: number;
  /** Largest half among grid points: the pick scans cells within this distance of the cursor. */
  gridMaxHalf: number;
}

export interface ScreenIndex {
  /**
   * Front-most point whose drawn shape contains (px, py): smallest depth; at equal depth the
   * larger index (drawn later, depth test LessEqual). null if none. Square test:
   * |dx| <= half && |dy| <= half; disc: dx*dx+dy*dy <= half*half.
   */
  pick(px: number, py: number): number | null;
  /** Indices (ascending) of drawn points whose centre lies inside the rectangle (any corner order), inclusive. */
  inRect(x0: number, y0: number, x1: number, y1: number): Int32Array;
  /** Indices (ascending) of drawn points whose centre lies inside the polygon (flat [x0,y0,x1,y1,...], implicitly closed, even-odd; < 3 vertices: empty). */
  inPolygon(polygon: ArrayLike<number>): Int32Array;
  readonly stats: ScreenIndexStats;
}

/** Aimed-for grid points per cell (before the cell is widened for large points). */
const POINTS_PER_CELL = 2;
/** Lower bound of the cell size, relative to the grid's largest half (a pick then walks <= 3x3 cells). */
const CELL_PER_HALF = 1;
const MAX_CELLS = 1 << 21;
/** The large-point list may hold this many, plus sqrt(n): a linear scan of it stays in the microseconds. */
const BIG_BASE = 64;

const EMPTY = new Int32Array(0);

/** Reference: the same pick by a linear scan (used in tests and as the bench baseline). */
export function pickLinear(points: ScreenPoints, px: number, py: number): number | null {
  const { n, x, y, depth, half, round } = points;
  let best = -1;
  let bestDepth = Infinity;
  for (let i = 0; i < n; i++) {
    const h = half[i];
    if (!(h > 0)) continue;
    const dx = px - x[i];
    const dy = py - y[i];
    const inside = round[i] !== 0 ? dx * dx + dy * dy <= h * h : Math.abs(dx) <= h && Math.abs(dy) <= h;
    // Indices ascend, so <= gives the later point at equal depth.
    if (inside && depth[i] <= bestDepth) {
      best = i;
      bestDepth = depth[i];
    }
  }
  return best < 0 ? null : best;
}

/** Even-odd (crossing number) test; points exactly on an edge may go either way. */
function inPolygonTest(poly: ArrayLike<number>, count: number, px: number, py: number): boolean {
  let inside = false;
  for (let i = 0, j = count - 1; i < count; j = i++) {
    const xi = poly[2 * i];
    const yi = poly[2 * i + 1];
    const xj = poly[2 * j];
    const yj = poly[2 * j + 1];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Ascending, exact-length copy of the first `count` entries of `buf` (indices < n, distinct). */
function sortedIds(buf: Int32Array, count: number, n: number): Int32Array {
  if (count === 0) return EMPTY;
  // Many hits: a flag sweep over n beats an O(k log k) sort.
  if (count > n >>> 4) {
    const flags = new Uint8Array(n);
    let lo = n;
    let hi = 0;
    for (let k = 0; k < count; k++) {
      const id = buf[k];
      flags[id] = 1;
      if (id < lo) lo = id;
      if (id > hi) hi = id;
    }
    const out = new Int32Array(count);
    let m = 0;
    for (let i = lo; i <= hi; i++) if (flags[i] !== 0) out[m++] = i;
    return out;
  }
  return buf.slice(0, count).sort();
}

export function buildScreenIndex(points: ScreenPoints, width: number, height: number): ScreenIndex {
  const { n, x, y, depth, half, round } = points;
  const w = Number.isFinite(width) && width > 0 ? width : 0;
  const h = Number.isFinite(height) && height > 0 ? height : 0;

  // Pass 1: which points can show in the viewport, and a histogram of their sizes by float32
  // exponent (floor(log2(half)) without a log per point). The 1 px + relative margin keeps the
  // drop rule on the safe side of rounding in the exact tests.
  const halfBits = new Uint32Array(half.buffer, half.byteOffset, n);
  const slot = new Int32Array(n); // -1: left out; later the grid cell, or -2 for the big list
  const hist = new Int32Array(256);
  const binMax = new Float64Array(256);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const hh = half[i];
    const lim = hh * (1 + 1e-9) + 1;
    const xi = x[i];
    const yi = y[i];
    if (!(hh > 0 && xi >= -lim && xi <= w + lim && yi >= -lim && yi <= h + lim)) {
      slot[i] = -1;
      continue;
    }
    kept++;
    const b = halfBits[i] >>> 23; // sign bit is 0 here
    hist[b]++;
    if (hh > binMax[b]) binMax[b] = hh;
  }

  // Grid: exponent bins 0..top; big list: the bins above, at most bigLimit points (and any
  // infinite halves, which no grid could bound).
  const bigLimit = BIG_BASE + Math.floor(Math.sqrt(kept));
  let top = -1; // no grid when every kept point fits the big list
  for (let b = 254, above = hist[255]; b >= 0; b--) {
    if (above + hist[b] > bigLimit) {
      top = b;
      break;
    }
    above += hist[b];
  }
  let gridMaxHalf = 0;
  for (let b = 0; b <= top; b++) if (binMax[b] > gridMaxHalf) gridMaxHalf = binMax[b];
  let gridCount = 0;
  for (let b = 0; b <= top; b++) gridCount += hist[b];
  const bigCount = kept - gridCount;

  // Cell size from the density, but at least the grid's largest half: smaller cells make a pick
  // walk more (nearly empty) cells and the build slower for little gain. Clamped to MAX_CELLS.
  const pad = gridMaxHalf * (1 + 1e-9) + 1;
  const domW = w + 2 * pad;
  const domH = h + 2 * pad;
  const area = Math.max(w * h, 1);
  let cellSize = gridCount > 0 ? Math.sqrt((area * POINTS_PER_CELL) / gridCount) : domW + domH;
  cellSize = Math.max(cellSize, gridMaxHalf * CELL_PER_HALF, 1e-3);
  if (Math.ceil(domW / cellSize) * Math.ceil(domH / cellSize) > MAX_CELLS) {
    cellSize = Math.sqrt((domW * domH) / MAX_CELLS) * 1.01;
  }
  const cols = Math.max(1, Math.ceil(domW / cellSize));
  const rows = Math.max(1, Math.ceil(domH / cellSize));
  const ox = -pad;
  const oy = -pad;
  const inv = 1 / cellSize;
  const nCells = cols * rows;

  // Clamped, monotone in v: queries and build must map coordinates to cells identically.
  const cellX = (v: number): number => {
    const c = Math.floor((v - ox) * inv);
    return c < 0 ? 0 : c >= cols ? cols - 1 : c;
  };
  const cellY = (v: number): number => {
    const c = Math.floor((v - oy) * inv);
    return c < 0 ? 0 : c >= rows ? rows - 1 : c;
  };

  // Pass 2: counting sort into cells; big points keep ascending order in their own arrays.
  // Copies go through 32-bit views: no float conversions, and the disc flag becomes the sign
  // bit of half without a branch.
  const xBits = new Uint32Array(x.buffer, x.byteOffset, n);
  const yBits = new Uint32Array(y.buffer, y.byteOffset, n);
  const depthBits = new Uint32Array(depth.buffer, depth.byteOffset, n);
  const cellStart = new Int32Array(nCells + 1);
  const bigIds = new Int32Array(bigCount);
  const bigData = new Float32Array(bigCount * 4);
  const bigBits = new Uint32Array(bigData.buffer);
  const topBits = (top + 1) * 2 ** 23; // halves with bits >= this are big; * not <<: 255 << 23 overflows int32
  let nb = 0;
  for (let i = 0; i < n; i++) {
    if (slot[i] < 0) continue;
    if (halfBits[i] >= topBits) {
      slot[i] = -2;
      bigIds[nb] = i;
      const o = nb << 2;
      bigBits[o] = xBits[i];
      bigBits[o + 1] = yBits[i];
      bigBits[o + 2] = halfBits[i] | (((round[i] + 255) >> 8) << 31);
      bigBits[o + 3] = depthBits[i];
      nb++;
      continue;
    }
    let cx = Math.floor((x[i] - ox) * inv);
    cx = cx < 0 ? 0 : cx >= cols ? cols - 1 : cx;
    let cy = Math.floor((y[i] - oy) * inv);
    cy = cy < 0 ? 0 : cy >= rows ? rows - 1 : cy;
    const c = cy * cols + cx;
    slot[i] = c;
    cellStart[c + 1]++;
  }
  for (let c = 0; c < nCells; c++) cellStart[c + 1] += cellStart[c];
  // Pass 3: scatter. [x, y, signed half (negative: disc), depth] per grid slot, so a query
  // reads one run of memory instead of five arrays at random.
  const fill = cellStart.slice(0, nCells);
  const ids = new Int32Array(gridCount);
  const data = new Float32Array(gridCount * 4);
  const dataBits = new Uint32Array(data.buffer);
  for (let i = 0; i < n; i++) {
    const c = slot[i];
    if (c < 0) continue;
    const j = fill[c]++;
    ids[j] = i;
    const o = j << 2;
    dataBits[o] = xBits[i];
    dataBits[o + 1] = yBits[i];
    dataBits[o + 2] = halfBits[i] | (((round[i] + 255) >> 8) << 31);
    dataBits[o + 3] = depthBits[i];
  }

  const inViewport = (x0: number, y0: number, x1: number, y1: number): boolean =>
    x0 >= 0 && y0 >= 0 && x1 <= w && y1 <= h;

  function pick(px: number, py: number): number | null {
    // Points outside the viewport were left out: only a linear scan is exact out there.
    if (!inViewport(px, py, px, py)) return pickLinear(points, px, py);
    let best = -1;
    let bestDepth = Infinity;
    for (let k = 0; k < bigCount; k++) {
      const o = k << 2;
      const hs = bigData[o + 2];
      const dx = px - bigData[o];
      const dy = py - bigData[o + 1];
      const inside = hs < 0 ? dx * dx + dy * dy <= hs * hs : dx <= hs && dx >= -hs && dy <= hs && dy >= -hs;
      if (inside) {
        const d = bigData[o + 3];
        const id = bigIds[k];
        if (d < bestDepth || (d === bestDepth && id > best)) {
          best = id;
          bestDepth = d;
        }
      }
    }
    if (gridCount > 0) {
      // The slack covers rounding in the float tests (a disc's dx may exceed half by ulps).
      const reach = gridMaxHalf + 1e-9 * (gridMaxHalf + Math.abs(px) + Math.abs(py) + 1);
      const cx0 = cellX(px - reach);
      const cx1 = cellX(px + reach);
      const cy0 = cellY(py - reach);
      const cy1 = cellY(py + reach);
      for (let cy = cy0; cy <= cy1; cy++) {
        const row = cy * cols;
        const end = cellStart[row + cx1 + 1];
        // Cells of a row are adjacent in the sorted order: one run per row.
        for (let j = cellStart[row + cx0]; j < end; j++) {
          const o = j << 2;
          const hs = data[o + 2];
          const dx = px - data[o];
          const dy = py - data[o + 1];
          const inside = hs < 0 ? dx * dx + dy * dy <= hs * hs : dx <= hs && dx >= -hs && dy <= hs && dy >= -hs;
          if (inside) {
            const d = data[o + 3];
            const id = ids[j];
            if (d < bestDepth || (d === bestDepth && id > best)) {
              best = id;
              bestDepth = d;
            }
          }
        }
      }
    }
    return best < 0 ? null : best;
  }

  /** Candidates: grid points in the cells covering the box, then the big list; `test` decides. */
  function select(
    minX: number,
    minY: number,
    maxX: number,
    maxY: number,
    test: (px: number, py: number) => boolean,
  ): Int32Array {
    const cx0 = cellX(minX);
    const cx1 = cellX(maxX);
    const cy0 = cellY(minY);
    const cy1 = cellY(maxY);
    let cap = bigCount;
    for (let cy = cy0; cy <= cy1; cy++) cap += cellStart[cy * cols + cx1 + 1] - cellStart[cy * cols + cx0];
    const buf = new Int32Array(cap);
    let m = 0;
    for (let cy = cy0; cy <= cy1; cy++) {
      const row = cy * cols;
      const end = cellStart[row + cx1 + 1];
      for (let j = cellStart[row + cx0]; j < end; j++) {
        const o = j << 2;
        if (test(data[o], data[o + 1])) buf[m++] = ids[j];
      }
    }
    for (let k = 0; k < bigCount; k++) {
      const o = k << 2;
      if (test(bigData[o], bigData[o + 1])) buf[m++] = bigIds[k];
    }
    return sortedIds(buf, m, n);
  }

  function selectLinear(test: (px: number, py: number) => boolean): Int32Array {
    const buf = new Int32Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) if (half[i] > 0 && test(x[i], y[i])) buf[m++] = i;
    return m === 0 ? EMPTY : buf.slice(0, m);
  }

  function inRect(x0: number, y0: number, x1: number, y1: number): Int32Array {
    const minX = Math.min(x0, x1);
    const maxX = Math.max(x0, x1);
    const minY = Math.min(y0, y1);
    const maxY = Math.max(y0, y1);
    const test = (px: number, py: number) => px >= minX && px <= maxX && py >= minY && py <= maxY;
    if (!inViewport(minX, minY, maxX, maxY)) return selectLinear(test);
    return select(minX, minY, maxX, maxY, test);
  }

  function inPolygon(polygon: ArrayLike<number>): Int32Array {
    const count = polygon.length >> 1;
    if (count < 3) return EMPTY;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let k = 0; k < count; k++) {
      const px = polygon[2 * k];
      const py = polygon[2 * k + 1];
      // NaN fails both comparisons of the viewport check below, via these bounds.
      if (!(px >= minX)) minX = px;
      if (!(px <= maxX)) maxX = px;
      if (!(py >= minY)) minY = py;
      if (!(py <= maxY)) maxY = py;
    }
    const test = (px: number, py: number) => inPolygonTest(polygon, count, px, py);
    if (!inViewport(minX, minY, maxX, maxY)) return selectLinear(test);
    // The crossing test's intersection x may round past the box by ulps: widen the cell walk.
    const s = 1e-9 * (Math.abs(minX) + Math.abs(maxX) + Math.abs(minY) + Math.abs(maxY) + 1);
    return select(minX - s, minY - s, maxX + s, maxY + s, test);
  }

  return {
    pick,
    inRect,
    inPolygon,
    stats: { gridCount, bigCount, droppedCount: n - kept, cols, rows, cellSize, gridMaxHalf },
  };
}
