/**
 * Questions asked of the cloud: metadata search (its matches become the selection), exact nearest
 * neighbours in the original space (the inspector), and camera focus. Search runs in slices on
 * the main thread, each far under a frame; neighbours run in the query worker.
 */
import { compileQuery, searchRows } from '../data/search';
import type { Metric } from '../reduce/knn/knn';
import { nearestNeighbors } from '../reduce/knn/neighbors-exact';
import { NOT_PLACED } from '../reduce/sample';
import { neighborsInWorker, type NeighborList } from '../workers/query-client';
import { select } from './actions';
import { getState, setState, shownMask, useProjector } from './store';

/** Rows per search slice: ~50k cells test in a few ms, so a slice never holds the page. */
const SLICE_ROWS = 50_000;
export const MAX_K = 1000;

let searchGeneration = 0;
/** A new task at once: setTimeout(0) would be clamped to 4 ms after a few nested calls. */
function nextTask(): Promise<void> {
  return new Promise<void>((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

export interface SearchOptions {
  column?: string | null;
  regex?: boolean;
}

/**
 * The rows (ascending) whose `column` (or any column) matches: a case-insensitive substring, or a
 * JavaScript regular expression. They become the selection; an empty query clears it. A regular
 * expression that does not compile rejects with its message and changes nothing else.
 */
export async function search(query: string, opts: SearchOptions = {}): Promise<number[]> {
  const gen = ++searchGeneration;
  const s = getState();
  const column = opts.column ?? null;
  const regex = !!opts.regex;
  const columns = s.dataset?.metadata?.columns ?? [];
  if (column !== null && !columns.some((c) => c.name === column)) {
    throw new Error(`no metadata column named "${column}"`);
  }
  let test: (v: string) => boolean;
  try {
    test = compileQuery(query, { regex });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    setState({ search: { ...s.search, query, column, regex, error: message } });
    throw new Error(message);
  }
  if (query === '' || !s.dataset) {
    setState({ search: { query, column, regex, matches: null, error: null } });
    select([]);
    return [];
  }
  const values = columns.filter((c) => column === null || c.name === column).map((c) => c.values);
  const n = s.dataset.n;
  const found: number[] = [];
  for (let from = 0; from < n; from += SLICE_ROWS) {
    if (from > 0) {
      await nextTask();
      // A newer search, or another dataset, makes this one moot.
      if (gen !== searchGeneration || getState().dataset !== s.dataset) throw new Error('search superseded by a newer one');
    }
    searchRows(values, test, from, Math.min(n, from + SLICE_ROWS), found);
  }
  const mask = shownMask(getState());
  const matches = mask ? found.filter((i) => mask[i]) : found;
  setState({ search: { query, column, regex, matches: Int32Array.from(matches), error: null } });
  select(matches);
  return matches;
}

function checkRow(i: number): void {
  const s = getState();
  if (!s.dataset) throw new Error('load an embedding first');
  if (!Number.isInteger(i) || i < 0 || i >= s.dataset.n) throw new Error(`no point ${i}: the rows are 0 to ${s.dataset.n - 1}`);
  const mask = shownMask(s);
  if (mask && !mask[i]) throw new Error(`point ${i} is not shown (outside the isolated set)`);
}

/**
 * The k nearest rows to row i in the original space of the title on screen, exactly: cosine
 * distance 1 - cos(a, b) or euclidean, i itself excluded, ties to the lower index; while a subset
 * is isolated, among the shown rows.
 */
export async function neighbors(i: number, k: number, metric: Metric = 'cosine'): Promise<NeighborList> {
  checkRow(i);
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new Error(`k must be a whole number from 1 to ${MAX_K}; got ${k}`);
  if (metric !== 'cosine' && metric !== 'euclidean') throw new Error(`metric must be 'cosine' or 'euclidean'; got ${String(metric)}`);
  const s = getState();
  const ds = s.dataset!;
  return neighborsInWorker({ key: ds.key, vectors: ds.vectors, n: ds.n, d: ds.d }, i, k, metric, shownMask(s));
}

let inspectGeneration = 0;

/** Opens the inspector on row i (null closes it) and computes its neighbours with the panel's k and metric. */
export async function inspect(i: number | null, settings: Partial<{ k: number; metric: Metric }> = {}): Promise<void> {
  const gen = ++inspectGeneration;
  if (i === null) {
    setState({ inspector: null });
    return;
  }
  checkRow(i);
  const { k, metric } = { ...getState().neighborSettings, ...settings };
  setState({ neighborSettings: { k, metric }, inspector: { index: i, k, metric, status: 'computing', neighbors: null, error: null } });
  try {
    const list = await neighbors(i, k, metric);
    if (gen === inspectGeneration) setState({ inspector: { index: i, k, metric, status: 'done', neighbors: list, error: null } });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (gen === inspectGeneration) setState({ inspector: { index: i, k, metric, status: 'error', neighbors: null, error: message } });
    throw err;
  }
}

// Another title (the same points at another epoch) or another shown set: the open inspector's
// neighbours are recomputed there; another dataset closes it.
useProjector.subscribe((s, prev) => {
  // Matches name rows of the metadata they were found in: another dataset's rows are others.
  if (s.search.matches && s.dataset?.metadata !== prev.dataset?.metadata) setState({ search: { ...s.search, matches: null, error: null } });
  if (!s.inspector || (s.dataset === prev.dataset && s.isolated === prev.isolated)) return;
  const { index } = s.inspector;
  const mask = shownMask(s);
  if (!s.dataset || index >= s.dataset.n || (mask && !mask[index]) || s.dataset.n !== prev.dataset?.n) {
    setState({ inspector: null });
    return;
  }
  inspect(index).catch(() => undefined);
});

/**
 * How many of the original-space neighbours are also among the point's nearest in the layout on
 * screen (euclidean, among placed and shown rows).
 */
export function keptInLayout(layout: Float32Array, i: number, original: Int32Array): number {
  const n = layout.length / 3;
  const eligible = new Uint8Array(n);
  for (let r = 0; r < n; r++) eligible[r] = Math.abs(layout[3 * r]) < NOT_PLACED ? 1 : 0;
  if (!eligible[i]) return 0;
  const near = nearestNeighbors({ data: layout, n, d: 3 }, i, original.length, 'euclidean', eligible);
  const inLayout = new Set(near.indices);
  let kept = 0;
  for (const j of original) if (inLayout.has(j)) kept++;
  return kept;
}

/** Moves the camera smoothly to frame point i with its neighbours (the inspector's, when it shows i). */
export function focusOn(i: number): void {
  const s = getState();
  if (!s.dataset || !s.layout) return;
  let around: Int32Array;
  const own = s.inspector?.index === i ? s.inspector.neighbors?.indices : null;
  if (own && own.length > 0) around = own.subarray(0, Math.min(own.length, 30));
  else {
    const n = s.dataset.n;
    const eligible = new Uint8Array(n);
    for (let r = 0; r < n; r++) eligible[r] = Math.abs(s.layout[3 * r]) < NOT_PLACED ? 1 : 0;
    around = eligible[i] ? nearestNeighbors({ data: s.layout, n, d: 3 }, i, 15, 'euclidean', eligible).indices : new Int32Array(0);
  }
  const indices = new Int32Array(around.length + 1);
  indices[0] = i;
  indices.set(around, 1);
  setState({ focus: { version: (s.focus?.version ?? 0) + 1, indices } });
}

/** Frames everything shown, as the first view does. */
export function fitAll(): void {
  setState({ fitVersion: getState().fitVersion + 1 });
}
