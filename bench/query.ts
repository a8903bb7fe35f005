/**
 * Query bench section ('query'): metadata search (src/data/search) and one row's exact nearest
 * neighbours (src/reduce/neighbors-exact). benchQuery() returns bench rows (bench/common's Row);
 * bench/run.ts wires it.
 *
 *   (a) search over 1 000 000 synthetic rows (a word column of random letters, some
 *       capitalised, and a numeric-looking column): searchRows in slices of 50 000 rows (what
 *       the page does between frames; the max slice is in notes) vs Array.filter over the row
 *       indices with column[i].toLowerCase().includes(q) (re.test for the regex case), median
 *       of 5 each, results checked equal;
 *   (b) k = 100 neighbours of 20 evenly spaced rows of mnist-10k (10 000 x 784), cosine and
 *       euclidean: median ms per query vs a naive loop (distances into an array of
 *       {index, distance} objects, then Array.sort), indices checked equal;
 *   (c) the same on 1 000 000 x 50 seeded Gaussian clusters, 5 queries.
 */
import type { Tensor } from '../src/data/types';
import { compileQuery, searchRows } from '../src/data/search';
import type { Metric } from '../src/reduce/knn/knn';
import { keptNeighbors, nearestNeighbors } from '../src/reduce/knn/neighbors-exact';
import { createRandom } from '../src/reduce/random';
import { measure, type Row } from './common';
import { gaussianClusters } from './knn';

const SEARCH_ROWS = 1_000_000;
const SLICE = 50_000;
const K = 100;
const METRICS: Metric[] = ['cosine', 'euclidean'];

export interface QueryBenchOptions {
  /** mnist-10k, or null when the shared data is missing (its rows are then skipped). */
  loadMnist: () => Tensor | null;
  quick?: boolean;
  /** Why rows were skipped, for the results file. */
  skipped?: string[];
  log?: (line: string) => void;
}

export function benchQuery(opts: QueryBenchOptions): Row[] {
  const log = opts.log ?? ((line: string) => console.log(line));
  const rows: Row[] = [];

  log(`query: search over ${SEARCH_ROWS} synthetic rows…`);
  rows.push(...benchSearch());

  const mnist = opts.loadMnist();
  if (mnist) {
    log(`query: neighbours on mnist-10k (${mnist.n}x${mnist.d})…`);
    for (const metric of METRICS) rows.push(benchNeighbors('mnist-10k', mnist, metric, 20));
  } else {
    const why = 'mnist-10k missing: query neighbour rows on mnist skipped';
    log(why);
    opts.skipped?.push(why);
  }

  log('query: neighbours on 1000000x50 Gaussian clusters…');
  const big = gaussianClusters(1_000_000, 50, 50, 3);
  for (const metric of METRICS) rows.push(benchNeighbors('Gaussian clusters (50)', big, metric, opts.quick ? 3 : 5));
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Search

function syntheticColumns(n: number): { words: string[]; numbers: string[] } {
  const rng = createRandom(17);
  const words: string[] = new Array(n);
  const numbers: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const len = 3 + Math.floor(rng.next() * 8);
    let w = '';
    for (let c = 0; c < len; c++) w += String.fromCharCode(97 + Math.floor(rng.next() * 26));
    // A third capitalised, so case-insensitivity does real work.
    words[i] = rng.next() < 0.33 ? w[0].toUpperCase() + w.slice(1) : w;
    numbers[i] = (rng.next() * 1000).toFixed(3);
  }
  return { words, numbers };
}

interface SearchCase {
  label: string;
  query: string;
  regex: boolean;
  columns: string[][];
  baseline: (ids: number[]) => number[];
}

function benchSearch(): Row[] {
  const { words, numbers } = syntheticColumns(SEARCH_ROWS);
  const ids = Array.from({ length: SEARCH_ROWS }, (_, i) => i);
  const cases: SearchCase[] = [
    {
      label: "substring 'Ab' in words",
      query: 'Ab', regex: false, columns: [words],
      baseline: (all) => {
        const q = 'Ab'.toLowerCase();
        return all.filter((i) => words[i].toLowerCase().includes(q));
      },
    },
    {
      label: "substring '12.5' in words or numbers",
      query: '12.5', regex: false, columns: [words, numbers],
      baseline: (all) => all.filter((i) => words[i].toLowerCase().includes('12.5') || numbers[i].toLowerCase().includes('12.5')),
    },
    {
      label: "regex '^k[aeiou].*s$' in words",
      query: '^k[aeiou].*s$', regex: true, columns: [words],
      baseline: (all) => {
        const re = /^k[aeiou].*s$/i;
        return all.filter((i) => re.test(words[i]));
      },
    },
  ];
  return cases.map((c) => {
    const slices: number[] = [];
    const ours = measure(5, () => {
      const test = compileQuery(c.query, { regex: c.regex });
      const out: number[] = [];
      for (let from = 0; from < SEARCH_ROWS; from += SLICE) {
        const t0 = performance.now();
        searchRows(c.columns, test, from, Math.min(SEARCH_ROWS, from + SLICE), out);
        slices.push(performance.now() - t0);
      }
      return out;
    });
    const base = measure(5, () => c.baseline(ids));
    const same = sameList(ours.result, base.result);
    // The first run warms the JIT; its slices are the worst a page sees on a first search.
    const maxSlice = Math.max(...slices);
    const maxSliceWarm = Math.max(...slices.slice(Math.ceil(SEARCH_ROWS / SLICE)));
    return {
      section: 'query',
      case: `search ${SEARCH_ROWS} rows: ${c.label}`,
      oursMs: ours.medianMs,
      baselineMs: base.medianMs,
      speedup: base.medianMs / ours.medianMs,
      runs: { ours: 5, baseline: 5 },
      notes: `${ours.result.length} hits; slices of ${SLICE}: max ${maxSliceWarm.toFixed(1)} ms (${maxSlice.toFixed(1)} ms cold); ${same ? 'same rows' : 'ROWS DIFFER'}`,
      extra: { hits: ours.result.length, sliceRows: SLICE, maxSliceMs: maxSliceWarm, maxSliceColdMs: maxSlice, sameRows: same, oursTimesMs: ours.timesMs, baselineTimesMs: base.timesMs },
    };
  });
}

function sameList(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Neighbours

/** Every distance in a plain loop into {index, distance} objects, then Array.sort. */
function naiveNeighbors(t: Tensor, query: number, k: number, metric: Metric): number[] {
  const { data, n, d } = t;
  const q = query * d;
  const all: { index: number; distance: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (i === query) continue;
    const o = i * d;
    let distance: number;
    if (metric === 'cosine') {
      let dot = 0, na = 0, nb = 0;
      for (let c = 0; c < d; c++) {
        dot += data[q + c] * data[o + c];
        na += data[q + c] * data[q + c];
        nb += data[o + c] * data[o + c];
      }
      distance = na === 0 || nb === 0 ? 1 : Math.min(2, Math.max(0, 1 - dot / Math.sqrt(na * nb)));
    } else {
      let s = 0;
      for (let c = 0; c < d; c++) s += (data[q + c] - data[o + c]) ** 2;
      distance = Math.sqrt(s);
    }
    all.push({ index: i, distance });
  }
  all.sort((a, b) => a.distance - b.distance || a.index - b.index);
  return all.slice(0, k).map((e) => e.index);
}

function benchNeighbors(name: string, t: Tensor, metric: Metric, queries: number): Row {
  const qs = Array.from({ length: queries }, (_, i) => Math.floor(((i + 0.5) * t.n) / queries));
  // One untimed call each: the first compiles.
  nearestNeighbors(t, qs[0], K, metric);
  naiveNeighbors(t, qs[0], K, metric);
  const oursTimes: number[] = [];
  const naiveTimes: number[] = [];
  let identical = 0;
  let kept = 0;
  for (const q of qs) {
    const a = measure(1, () => nearestNeighbors(t, q, K, metric));
    const b = measure(1, () => naiveNeighbors(t, q, K, metric));
    oursTimes.push(a.medianMs);
    naiveTimes.push(b.medianMs);
    const ref = Int32Array.from(b.result);
    if (sameList(a.result.indices, ref)) identical++;
    kept += keptNeighbors(a.result.indices, ref);
  }
  const oursMs = median(oursTimes);
  const naiveMs = median(naiveTimes);
  const overlap = kept / (queries * K);
  return {
    section: 'query',
    case: `neighbours ${name} ${t.n}x${t.d} k=${K} ${metric}: per query`,
    oursMs,
    baselineMs: naiveMs,
    speedup: naiveMs / oursMs,
    runs: { ours: queries, baseline: queries },
    notes: `${identical}/${queries} queries identical to the naive indices (overlap ${overlap.toFixed(4)}); max ${Math.max(...oursTimes).toFixed(1)} ms`,
    extra: { k: K, queries: qs, identicalQueries: identical, overlap, oursTimesMs: oursTimes, baselineTimesMs: naiveTimes },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
