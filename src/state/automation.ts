/**
 * window.projector: the stable scripting surface for notebooks and tests (documented in the README).
 * Every action resolves once its layout is on screen, or once its error is shown.
 */
import { layoutThreads } from './layout-cache';
import { canShareMemory, isShared } from '../workers/shared-tensor';
import type { Metric } from '../reduce/knn/knn';
import { NOT_PLACED } from '../reduce/sample';
import * as actions from './actions';
import * as bookmarks from './bookmarks';
import * as sideBySide from './compare';
import * as playback from './playback';
import './trails';
import * as queries from './queries';
import { exportCoordinates, exportSelection, exportViewPng } from './exports';
import { exportMetadata, labelSelection } from './metadata-edit';
import { viewHandle } from './view-handle';
import { applyViewState, captureViewState, shareUrl, type ViewState } from './view-state';
import type { SettingsPatch } from './actions';
import type { InMemoryData } from './in-memory';
import type { OpenedFile } from './resolve-sources';
import {
  getState,
  type Dim,
  type LayoutUpdateTiming,
  type MemoryReport,
  type Method,
  type PickResult,
  type PickStrategy,
  type Status,
  type ViewOptions,
} from './store';

export interface ProjectorStateView {
  status: Status;
  error: string | null;
  groups: string[];
  group: string | null;
  titles: string[];
  title: string | null;
  numPoints: number;
  dims: number;
  columns: string[];
  projection: { method: Method; dim: Dim; progress: number };
  /** Epoch (UMAP) or iteration (t-SNE) of the layout on screen, while computing or after. */
  iteration: { current: number; total: number } | null;
  paused: boolean;
  /** The colour column's name, or null when colouring is off. */
  colorColumn: string | null;
  /** How many points are shown while a subset is isolated; null when all are. */
  isolated: number | null;
  /** Whether the layout on screen belongs to an aligned chain of titles. */
  aligned: boolean;
  playing: boolean;
  /** The title shown side by side, or null. */
  compare: string | null;
  /**
   * True when the page is cross-origin isolated and the vectors on screen are held once in shared
   * memory for the page and its workers; false means each job gets its own copy.
   */
  sharedMemory: boolean;
  /** Threads the last finished UMAP or t-SNE run used (t-SNE's repulsion is split over them); null before any. */
  layoutThreads: number | null;
  /** For a table: the column(s) its vectors came from ([] otherwise). */
  vectorColumns: string[];
  /** The vector columns a table offers (the one shown, or the one asking which to use). */
  vectorChoices: string[];
  /** Whether the dataset on screen has pictures: a sprite file or a table's image column. */
  pictures: boolean;
}

export interface ProjectorApi {
  state(): ProjectorStateView;
  load(configUrl: string | string[]): Promise<ProjectorStateView>;
  loadFiles(files: File[]): Promise<ProjectorStateView>;
  /** Shows in-memory vectors (with optional metadata and sprite) as one group of one title. */
  loadData(data: InMemoryData, opts?: { method?: Method; dim?: Dim }): Promise<ProjectorStateView>;
  setGroup(name: string): Promise<ProjectorStateView>;
  setTitle(name: string): Promise<ProjectorStateView>;
  /** Reads the table through this vector column (one of state().vectorChoices). */
  chooseVector(column: string): Promise<ProjectorStateView>;
  setProjection(method: Method, dim?: Dim, params?: SettingsPatch): Promise<ProjectorStateView>;
  pause(paused: boolean): void;
  positions(): Float32Array;
  screenPosition(i: number): { x: number; y: number } | null;
  hovered(): number | null;
  /** Selects exactly these points (what the view highlights and counts). */
  select(indices: ArrayLike<number>): void;
  selected(): number[];
  /** Colours by the named metadata column (null: one colour). Throws for a text column with over 50 values. */
  colorBy(column: string | null): void;
  /** Hides the given values of the colour column, as legend clicks do ([] shows all). */
  hide(values: string[]): void;
  setViewOptions(patch: Partial<ViewOptions>): void;
  /** Matching rows, ascending; they become the selection ('' clears). A bad regex rejects with its message. */
  search(query: string, opts?: { column?: string; regex?: boolean }): Promise<number[]>;
  /** Exact k nearest rows to row i in the original space (cosine 1 - cos, or euclidean), nearest first. */
  neighbors(i: number, k: number, metric?: Metric): Promise<{ index: number; distance: number }[]>;
  /** Opens the inspector on row i (null closes it); resolves once its neighbours are listed. */
  inspect(i: number | null): Promise<void>;
  /** Re-projects just these rows (null: all), resolving once the subset's layout is on screen. */
  isolate(indices: ArrayLike<number> | null): Promise<ProjectorStateView>;
  /** Glides the camera to frame row i with its neighbours; fit() frames everything shown. */
  focus(i: number): void;
  fit(): void;
  /** Aligned titles on or off; resolves once the title on screen is laid out accordingly. */
  setAlignment(on: boolean): Promise<ProjectorStateView>;
  /** Steps through the titles from the first; resolves when the last is on screen (not with loop). */
  play(opts?: { intervalMs?: number; loop?: boolean }): Promise<ProjectorStateView>;
  stop(): void;
  /** Shows another title of the group side by side (linked camera, hover, selection); null closes it. */
  compare(title: string | null): Promise<ProjectorStateView>;
  /** The view on screen as plain data, and back; a link that reproduces it. */
  viewState(): ViewState;
  applyViewState(state: unknown): Promise<ProjectorStateView>;
  shareUrl(): string;
  exportCoordinates(format: 'tsv' | 'npy'): Promise<Blob>;
  exportSelection(): Promise<Blob>;
  exportPng(scale: number, legend?: boolean): Promise<Blob>;
  /** Gives the selected points `value` in `column` (created when new); exportMetadata() downloads the edited TSV. */
  editLabels(column: string, value: string): void;
  exportMetadata(): Promise<Blob>;
  /** TF-compatible bookmarks of the dataset on screen. */
  bookmarks(): { label: string }[];
  applyBookmark(i: number): Promise<ProjectorStateView>;
  addBookmark(label: string): void;
  /** The text labels drawn on screen now (read after the view rests). */
  labels(): { index: number; text: string }[];
  /** For benchmarks and tests; not a stable contract. */
  debug: {
    /** Per-frame ms of orbiting the camera a full turn in `frames` steps, each rendered and flushed. */
    measureOrbit(frames: number): number[];
    labelPlacementMs(): number;
    pickAt(clientX: number, clientY: number, strategy?: PickStrategy): PickResult;
    invalidatePicking(): void;
    measureLayoutUpdate(): Promise<LayoutUpdateTiming>;
    memory(): MemoryReport;
  };
}

function view() {
  const v = viewHandle();
  if (!v) throw new Error('the view is not mounted');
  return v;
}

function stateView(): ProjectorStateView {
  const s = getState();
  const group = s.groups[s.group];
  return {
    status: s.status,
    error: s.error,
    groups: s.groups.map((g) => g.name),
    group: group?.name ?? null,
    titles: group?.embeddings.map((e) => e.title) ?? [],
    title: group?.embeddings[s.title]?.title ?? null,
    numPoints: s.dataset?.n ?? 0,
    dims: s.dataset?.d ?? 0,
    columns: s.dataset?.metadata?.columns.map((c) => c.name) ?? [],
    projection: { ...s.projection },
    iteration: s.iteration && { ...s.iteration },
    paused: s.paused,
    colorColumn: s.dataset?.metadata?.columns[s.colorColumn]?.name ?? null,
    isolated: s.isolated?.length ?? null,
    aligned: s.aligned,
    playing: s.playing,
    compare: s.compare?.title ?? null,
    sharedMemory: s.dataset ? isShared(s.dataset.vectors) : canShareMemory(),
    layoutThreads: layoutThreads(),
    vectorColumns: s.vectorAsk ? [] : (s.dataset?.vectorColumns ?? []),
    vectorChoices: s.vectorAsk?.choices ?? s.dataset?.vectorChoices ?? [],
    pictures: !!s.dataset?.sprite,
  };
}

/** Files from the picker carry webkitRelativePath when a folder was chosen. */
export const openedFromFiles = (files: File[]): OpenedFile[] =>
  files.map((file) => ({ file, path: file.webkitRelativePath || file.name }));

export type { InMemoryData };

export function createProjectorApi(): ProjectorApi {
  const then = (p: Promise<void>) => p.then(stateView);
  return {
    state: stateView,
    load: (url) => then(actions.loadConfigs(Array.isArray(url) ? url : [url])),
    loadFiles: (files) => then(actions.loadOpenedFiles(openedFromFiles(files))),
    loadData: (data, opts) => then(actions.loadData(data, opts)),
    setGroup: (name) => then(actions.setGroup(name)),
    setTitle: (name) => then(actions.setTitle(name)),
    chooseVector: (column) => then(actions.chooseVectorColumn(column)),
    setProjection: (method, dim, params) => then(actions.setProjection(method, dim, params)),
    pause: (paused) => actions.setPaused(paused),
    // Rows not shown (outside an isolated subset or a sample) are NaN.
    positions: () => (getState().layout ?? new Float32Array(0)).map((v) => (Math.abs(v) >= NOT_PLACED ? NaN : v)),
    screenPosition: (i) => viewHandle()?.screenPosition(i) ?? null,
    hovered: () => getState().hovered,
    select: (indices) => actions.select(indices),
    selected: () => Array.from(getState().selected),
    colorBy: (column) => {
      if (column === null) return actions.setColorColumn(-1);
      const index = getState().dataset?.metadata?.columns.findIndex((c) => c.name === column) ?? -1;
      if (index < 0) throw new Error(`no metadata column named "${column}"`);
      actions.setColorColumn(index);
    },
    hide: (values) => actions.setHidden(values),
    setViewOptions: (patch) => actions.setViewOptions(patch),
    search: (query, opts = {}) => queries.search(query, opts),
    neighbors: async (i, k, metric = 'cosine') => {
      const r = await queries.neighbors(i, k, metric);
      return Array.from(r.indices, (index, rank) => ({ index, distance: r.distances[rank] }));
    },
    inspect: (i) => queries.inspect(i),
    isolate: (indices) => then(actions.isolateRows(indices)),
    focus: (i) => queries.focusOn(i),
    fit: () => queries.fitAll(),
    setAlignment: (on) => then(actions.setAlignment(on)),
    play: (opts) => then(playback.play(opts)),
    stop: () => playback.stop(),
    compare: (title) => then(sideBySide.compare(title)),
    viewState: () => captureViewState(),
    applyViewState: (v) => then(applyViewState(v)),
    shareUrl: () => {
      const url = shareUrl();
      if (!url) throw new Error('this view was opened from local files, which a link cannot carry: save a session instead');
      return url;
    },
    exportCoordinates: (format) => exportCoordinates(format),
    exportSelection: () => exportSelection(),
    exportPng: (scale, legend = true) => exportViewPng(scale, legend),
    editLabels: (column, value) => labelSelection(column, value),
    exportMetadata: () => exportMetadata(),
    bookmarks: () => bookmarks.bookmarkList(),
    applyBookmark: (i) => then(bookmarks.applyBookmark(i)),
    addBookmark: (label) => bookmarks.addBookmark(label),
    labels: () => viewHandle()?.labels() ?? [],
    debug: {
      measureOrbit: (frames) => view().measureOrbit(frames),
      labelPlacementMs: () => view().labelPlacementMs(),
      pickAt: (x, y, strategy) => view().pickAt(x, y, strategy),
      invalidatePicking: () => view().invalidatePicking(),
      measureLayoutUpdate: () => view().measureLayoutUpdate(),
      memory: () => view().memory(),
    },
  };
}
