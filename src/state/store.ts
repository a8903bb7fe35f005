/** The app's single store: what is loaded, what is shown, and how far the current work has got. */
import type { CompressedRows } from '../data/compressed-rows';
import { create } from 'zustand';
import type { TfState } from '../data/tf-bookmarks';
import type { Metadata, SpriteGeometry } from '../data/types';
import type { Metric } from '../reduce/knn/knn';
import type { Source, TensorFormat, TsneSettings, UmapSettings } from '../workers/messages';
import type { Progress } from '../workers/worker-client';

export type Status = 'empty' | 'loading' | 'reducing' | 'ready' | 'error';
export type Method = 'pca' | 'umap' | 'tsne' | 'custom';
export type Dim = 2 | 3;

/** One title with every path resolved to a Source. */
export interface ResolvedEmbedding {
  title: string;
  tensor: Source;
  format: TensorFormat;
  shape: [number, number] | null;
  metadata: Source | null;
  /** The column's name when the metadata has one column (such a file has no header line); "label" otherwise. */
  metadataName?: string;
  bookmarks: Source | null;
  sprite: { source: Source; cell: [number, number] } | null;
  /** A table's vector column, when it has several (`?vector=`, or chosen in the page). */
  vector?: string | null;
}

export interface LoadedGroup {
  name: string;
  embeddings: ResolvedEmbedding[];
}

export interface Sprite {
  bitmap: ImageBitmap;
  geometry: SpriteGeometry;
  /** Greyscale pictures are tinted with the view's colours (tint 'auto'); coloured ones keep theirs. */
  greyscale: boolean;
}

/** The embedding on screen. Kept while a newer one loads, and kept when that load fails. */
export interface Dataset {
  key: string;
  name: string;
  n: number;
  d: number;
  vectors: Float32Array;
  /** The vectors' non-zeros, compressed as they were read: mostly-zero data only (else absent). */
  compressed?: CompressedRows | null;
  /** The smallest and largest value in the vectors. */
  valueRange: [number, number];
  rowLabels: string[] | null;
  metadata: Metadata | null;
  sprite: Sprite | null;
  /** For a table: the column(s) the vectors came from, and the list columns it could use instead. */
  vectorColumns?: string[];
  vectorChoices?: string[];
}

/** A table with several vector columns was opened without a choice: the page asks which. */
export interface VectorAsk {
  file: string;
  choices: string[];
  groups: LoadedGroup[];
  group: number;
  title: number;
}

export interface Projection {
  method: Method;
  dim: Dim;
  progress: number;
}

export interface ProjectionSettings {
  /** Which principal components go on X, Y and Z. */
  pca: { axes: [number, number, number]; sphereize?: boolean };
  /** TF's Custom projection: axes between the means of the points two queries match (2D). */
  custom: CustomSettings;
  umap: UmapSettings;
  tsne: TsneSettings;
  metric: Metric;
  /** UMAP/t-SNE search neighbours on the top principal components first when d > 128 (exact re-rank). */
  neighbourProjection: boolean;
  /** UMAP/t-SNE on a seeded sample of this many points; null places every point. */
  sampleSize: number | null;
}

export const DEFAULT_SETTINGS: ProjectionSettings = {
  pca: { axes: [0, 1, 2] },
  custom: { column: null, x: ['', ''], y: ['', ''], regex: false },
  umap: { nNeighbors: 15, minDist: 0.1, epochs: 'auto', seed: 1 },
  tsne: { perplexity: 30, learningRate: 'auto', iterations: 1000, theta: 0.5, seed: 1 },
  metric: 'cosine',
  neighbourProjection: true,
  sampleSize: null,
};

export interface CustomSettings {
  /** The metadata column the queries search; null: every column. */
  column: string | null;
  /** X runs from the points matching x[0] to those matching x[1]; Y from y[0] (down) to y[1] (up). */
  x: [string, string];
  y: [string, string];
  regex: boolean;
}

/** Explained variance of the shown dataset's principal components, as shares of the total. */
export interface PcaInfo {
  explained: number[];
}

export type SizeUnits = 'world' | 'screen';
/** auto: thumbnails when a point is drawn large enough to read, dots when smaller. */
export type PointStyle = 'auto' | 'thumbnails' | 'dots';
export type SelectTool = 'none' | 'box' | 'lasso';

export interface ViewOptions {
  /** Multiplies the base point size (world: a size for the cloud's density; screen: 8 px). */
  pointScale: number;
  sizeUnits: SizeUnits;
  pointStyle: PointStyle;
  /** Metadata column whose text labels the hovered, selected and nearest points; -1: none. */
  labelColumn: number;
  /** Multiply pictures by the point's colour: auto tints greyscale sprites only. */
  tint: Tint;
  /** Paths of the selected points through every title of the group. */
  trails: boolean;
}

export type Tint = 'auto' | 'on' | 'off';
export type Theme = 'light' | 'dark';

export const DEFAULT_VIEW_OPTIONS: ViewOptions = { pointScale: 1, sizeUnits: 'world', pointStyle: 'auto', labelColumn: -1, tint: 'auto', trails: false };

/** Whether the pictures on screen are tinted with the view's colours. */
export const tinted = (sprite: Sprite | null, tint: Tint): boolean => !!sprite && (tint === 'on' || (tint === 'auto' && sprite.greyscale));

export type PickStrategy = 'index' | 'gpu' | 'scan';
export interface PickResult {
  index: number | null;
  /** Time spent (re)building the strategy's screen index or id buffer for this view; 0 when reused. */
  buildMs: number;
  queryMs: number;
}

/** A screen-space shape in client (page) pixels. */
export type SelectShape = { kind: 'rect'; x0: number; y0: number; x1: number; y1: number } | { kind: 'polygon'; points: number[] };

export interface LayoutUpdateTiming {
  /** Main-thread ms to hand a new layout to the view. */
  commitMs: number;
  /** Main-thread ms of each frame's glide step until the new layout arrived. */
  glideFrameJsMs: number[];
  /** A whole frame (JS + render) of the view at rest, for scale. */
  frameMs: number;
}

export interface MemoryReport {
  jsHeapBytes: number | null;
  gpuBufferBytes: number;
  gpuTextureBytes: number;
}

/** A camera as plain data: where it is, what it orbits, which way is up, and the 2D zoom. */
export interface CameraPose {
  orthographic: boolean;
  position: [number, number, number];
  target: [number, number, number];
  up: [number, number, number];
  zoom: number;
}

/** What the mounted view offers the store, scripts and tests. */
export interface ViewApi {
  screenPosition(i: number): { x: number; y: number } | null;
  pickAt(clientX: number, clientY: number, strategy?: PickStrategy): PickResult;
  pointsIn(shape: SelectShape): Int32Array;
  invalidatePicking(): void;
  measureOrbit(frames: number): number[];
  measureLayoutUpdate(): Promise<LayoutUpdateTiming>;
  memory(): MemoryReport;
  /** The text labels drawn now. */
  labels(): { index: number; text: string }[];
  camera(): CameraPose;
  /** Puts the camera there (the view then keeps it on resize, as after a user's move). */
  setCamera(pose: CameraPose): void;
  /** The view as a PNG at `scale` times the canvas's pixels, the legend drawn in when asked. */
  exportPng(scale: number, legend: boolean): Promise<Blob>;
  /** ms the last label placement at rest took. */
  labelPlacementMs(): number;
  /** Uploads the pictures of a dataset about to be shown (n points), ahead of its first layout. */
  prepareSprite(sprite: Sprite, n: number): void;
}

/** The last "Images from vectors" build, for the dataset it was made from. */
export interface VectorImagesState {
  state: 'idle' | 'building' | 'done' | 'error';
  datasetKey: string | null;
  message: string | null;
  png: { name: string; bytes: Uint8Array } | null;
  /** A projector config that uses the PNG, for download. */
  config: string | null;
}

/** The inspector: one point, its exact neighbours in the original space of the title on screen. */
export interface InspectorState {
  index: number;
  k: number;
  metric: Metric;
  status: 'computing' | 'done' | 'error';
  /** Nearest first; null while computing. */
  neighbors: { indices: Int32Array; distances: Float32Array } | null;
  error: string | null;
}

/** The last search: its matches are the selection. */
export interface SearchState {
  query: string;
  /** A metadata column's name, or null for every column. */
  column: string | null;
  regex: boolean;
  /** Ascending; null before any search or after clearing. */
  matches: Int32Array | null;
  /** Why the query could not run (a regular expression that does not compile). */
  error: string | null;
}

export interface ProjectorState {
  status: Status;
  error: string | null;
  progress: Progress | null;
  groups: LoadedGroup[];
  group: number;
  title: number;
  /** The group and title being loaded, so the selectors show the choice before it lands. */
  pending: { group: string; title: string } | null;
  dataset: Dataset | null;
  projection: Projection;
  settings: ProjectionSettings;
  pcaInfo: PcaInfo | null;
  /** Iteration (t-SNE) or epoch (UMAP) of the layout on screen, while one is being computed. */
  iteration: { current: number; total: number } | null;
  paused: boolean;
  /** How many points the layout on screen places, when it is a sample (the rest are hidden). */
  placed: number | null;
  /** n*3 positions, centred, farthest point at radius 1. */
  layout: Float32Array | null;
  layoutVersion: number;
  /** Bumped when a layout should reframe the camera (a new dataset or dim, not a title switch). */
  fitVersion: number;
  renderedVersion: number;
  hovered: number | null;
  colorColumn: number;
  /** Values of the colour column hidden from view (legend clicks): not drawn, picked or selected. */
  hiddenValues: string[];
  /** Selected point indices, ascending. */
  selected: Int32Array;
  selectTool: SelectTool;
  viewOptions: ViewOptions;
  /** A warning about what the view had to change (e.g. a sprite downscaled to fit the GPU). */
  notice: string | null;
  vectorImages: VectorImagesState;
  /** Rows shown (ascending) while a subset is isolated and re-projected; null: every row. */
  isolated: Int32Array | null;
  inspector: InspectorState | null;
  /** k and metric the inspector uses for the next point. */
  neighborSettings: { k: number; metric: Metric };
  search: SearchState;
  /** A camera move asked for: frame these points (smoothly). */
  focus: { version: number; indices: Int32Array } | null;
  /** Titles of the same points get aligned layouts (each started from and fitted onto the last). */
  alignment: boolean;
  /** Whether the layout on screen belongs to an aligned chain. */
  aligned: boolean;
  playing: boolean;
  /** Trails: every title's layout of the group on screen (n*3 each, in title order), once computed. */
  trailLayouts: Float32Array[] | null;
  /** The config URLs (absolute) the groups came from; null when they came from local files. */
  vectorAsk: VectorAsk | null;
  sources: string[] | null;
  theme: Theme;
  /** The view could not be drawn (no WebGL, a render error): actions settle without waiting for it. */
  viewFailed: boolean;
  /** How many points the Custom projection's four queries matched (X left, X right, Y down, Y up). */
  customCounts: [number, number, number, number] | null;
  /** TF-compatible saved views of the dataset on screen (from the config's bookmarksPath, or added). */
  bookmarks: TfState[];
  /** A second title shown side by side (its layout, n*3), or null. */
  compare: { title: string; layout: Float32Array; version: number } | null;
}

export const useProjector = create<ProjectorState>(() => ({
  status: 'empty',
  error: null,
  progress: null,
  groups: [],
  group: -1,
  title: -1,
  pending: null,
  dataset: null,
  projection: { method: 'pca', dim: 3, progress: 0 },
  settings: DEFAULT_SETTINGS,
  pcaInfo: null,
  iteration: null,
  paused: false,
  placed: null,
  layout: null,
  layoutVersion: 0,
  fitVersion: 0,
  renderedVersion: 0,
  hovered: null,
  colorColumn: 0,
  hiddenValues: [],
  selected: new Int32Array(0),
  selectTool: 'none',
  viewOptions: DEFAULT_VIEW_OPTIONS,
  notice: null,
  vectorImages: { state: 'idle', datasetKey: null, message: null, png: null, config: null },
  isolated: null,
  inspector: null,
  neighborSettings: { k: 100, metric: 'cosine' },
  search: { query: '', column: null, regex: false, matches: null, error: null },
  focus: null,
  alignment: true,
  aligned: false,
  playing: false,
  trailLayouts: null,
  compare: null,
  vectorAsk: null,
  sources: null,
  theme: 'light',
  bookmarks: [],
  customCounts: null,
  viewFailed: false,
}));

let shownMemo: { isolated: Int32Array; n: number; mask: Uint8Array } | null = null;

/** 1 for rows shown, 0 for rows outside the isolated subset; null when every row is shown. */
export function shownMask(s: Pick<ProjectorState, 'isolated' | 'dataset'>): Uint8Array | null {
  const { isolated, dataset } = s;
  if (!isolated || !dataset) return null;
  if (shownMemo?.isolated !== isolated || shownMemo.n !== dataset.n) {
    const mask = new Uint8Array(dataset.n);
    for (let k = 0; k < isolated.length; k++) mask[isolated[k]] = 1;
    shownMemo = { isolated, n: dataset.n, mask };
  }
  return shownMemo.mask;
}

export const getState = useProjector.getState;
export const setState = useProjector.setState;
