import { DataError } from './errors';
import { parseJsonFile } from './json';

/*
 * Reader and writer for TensorFlow Embedding Projector bookmark files ("state" downloads and
 * the file a projector config names in `bookmarksPath`). Pure: no DOM, no React.
 *
 * The format, as TF's vz_projector source defines it:
 * - data.ts `class State` is the serialised record. A file is a bare JSON array of States,
 *   no wrapper: the bookmark panel downloads `JSON.stringify(this.savedStates)` (no
 *   indentation) and reads files back with `JSON.parse(str) as State[]`; the data providers
 *   fetch `bookmarksPath` and `JSON.parse` the response the same way.
 * - `projections[i]` holds every projection key TF had computed for point i of the dataset
 *   TF showed when saving, which is the filtered subset when `filteredPoints` is set.
 *   Keys are `pca-<k>` (k = 0..9), `tsne-0..2`, `umap-0..2` and `linear-x`/`linear-y` (the
 *   Custom tab). t-SNE and UMAP only cover TF's sample of points (10,000 and 5,000).
 * - Which keys a bookmark shows comes from `stateGetAccessorDimensions` and
 *   `getProjectionComponents`: pca uses `pcaComponentDimensions` (2 or 3 entries), tsne uses
 *   0,1 plus 2 when `tSNEis3d`, umap uses 0,1 plus 2 when `umapIs3d`, custom uses
 *   `linear-x`, `linear-y` (always 2D).
 * - `cameraDef` is scatterPlot.ts `CameraDef` in TF's world space, where each axis of the
 *   projection is scaled on its own from [min, max] to [-1, 1]. TF writes
 *   `orthographic = (dimensions === 2)`.
 * - `tSNELearningRate` is the slider value, i.e. log10 of the rate (-3..2, default 1 = 10).
 */

/** The projections TF's `ProjectionType` allows. */
export type TfProjectionType = 'pca' | 'tsne' | 'umap' | 'custom';

/** scatterPlot.ts `CameraDef`. */
export interface TfCameraDef {
  orthographic: boolean;
  position: [number, number, number];
  target: [number, number, number];
  zoom: number;
}

/**
 * data.ts `State`, as JSON. Required here = TF fails to load a bookmark without it:
 * - `projections`: `loadState` reads `state.projections.length`.
 * - `selectedProjection`: `stateGetAccessorDimensions` throws on anything else.
 * - `pcaComponentDimensions`: the projections panel reads `[0]` and `.length`.
 * - `tSNEIteration`, `tSNEPerplexity`, `tSNELearningRate`: the panel calls `.toString()`.
 * - `selectedPoints`: `notifySelectionChanged` reads `.length`.
 * - `dataSetDimensions`: an uploaded file is refused unless every bookmark's value equals
 *   the loaded dataset's [points, dimensions] (and TF throws if it is missing).
 * The rest TF writes and tolerates without (undefined is read as false/none, `cameraDef`
 * falls back to the default camera).
 */
export interface TfState {
  label: string;
  isSelected: boolean;
  selectedProjection: TfProjectionType;
  dataSetDimensions: [number, number];
  tSNEIteration: number;
  tSNEPerplexity: number;
  /** log10 of the t-SNE learning rate (TF's slider value). */
  tSNELearningRate: number;
  tSNEis3d?: boolean;
  umapIs3d?: boolean;
  umapNeighbors?: number;
  umapMinDist?: number;
  pcaComponentDimensions: number[];
  customSelectedSearchByMetadataOption?: string;
  customXLeftText?: string;
  customXLeftRegex?: boolean;
  customXRightText?: string;
  customXRightRegex?: boolean;
  customYUpText?: string;
  customYUpRegex?: boolean;
  customYDownText?: string;
  customYDownRegex?: boolean;
  projections: Array<{ [key: string]: number }>;
  /** Indices into the full dataset; null/absent = not filtered. */
  filteredPoints?: number[] | null;
  /** Indices into `projections` (the filtered subset when filtered). */
  selectedPoints: number[];
  /** Newer TF versions save the point shuffle that picks the t-SNE/UMAP sample. */
  shuffledDataIndices?: number[];
  cameraDef?: TfCameraDef;
  selectedColorOptionName?: string;
  forceCategoricalColoring?: boolean;
  selectedLabelOption?: string;
}

/** Fields TF cannot load a bookmark without (see `TfState`). */
export const TF_REQUIRED_FIELDS = [
  'projections',
  'selectedProjection',
  'pcaComponentDimensions',
  'tSNEIteration',
  'tSNEPerplexity',
  'tSNELearningRate',
  'selectedPoints',
  'dataSetDimensions',
] as const satisfies ReadonlyArray<keyof TfState>;

/** TF's sample sizes (data.ts): points beyond them get no t-SNE/UMAP coordinates. */
export const TF_TSNE_SAMPLE_SIZE = 10000;
export const TF_UMAP_SAMPLE_SIZE = 5000;
/** data.ts computes this many PCA components. */
export const TF_NUM_PCA_COMPONENTS = 10;
/** The data panel's first colour option, meaning no colouring. */
export const TF_NO_COLOR_MAP = 'No color map';

/** scatterPlot.ts `makeDefaultCameraDef`. */
export const TF_DEFAULT_CAMERA_3D: TfCameraDef = {
  orthographic: false,
  position: [0.45, 0.9, 1.6],
  target: [0, 0, 0],
  zoom: 1,
};
export const TF_DEFAULT_CAMERA_2D: TfCameraDef = {
  orthographic: true,
  position: [0, 0, 4],
  target: [0, 0, 0],
  zoom: 1,
};

const PROJECTION_TYPES: readonly TfProjectionType[] = ['pca', 'tsne', 'umap', 'custom'];
const KEY_FORMAT = /^(?:pca-(?:0|[1-9]\d*)|tsne-[0-2]|umap-[0-2]|linear-[xy])$/;

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** The projection keys a state shows, in x, y(, z) order (TF's getProjectionComponents). */
export function bookmarkKeys(state: Pick<TfState, 'selectedProjection' | 'pcaComponentDimensions' | 'tSNEis3d' | 'umapIs3d'>): string[] {
  switch (state.selectedProjection) {
    case 'pca':
      return state.pcaComponentDimensions.map((k) => `pca-${k}`);
    case 'tsne':
      return state.tSNEis3d ? ['tsne-0', 'tsne-1', 'tsne-2'] : ['tsne-0', 'tsne-1'];
    case 'umap':
      return state.umapIs3d ? ['umap-0', 'umap-1', 'umap-2'] : ['umap-0', 'umap-1'];
    case 'custom':
      return ['linear-x', 'linear-y'];
  }
}

/**
 * Parses a TF bookmarks file into validated states. `numPoints` is the number of points in
 * the loaded dataset. Throws a DataError naming the file, the bookmark and the field.
 */
export function parseBookmarks(text: string, fileName: string, numPoints: number): TfState[] {
  const root = parseJsonFile(text, fileName);
  if (!Array.isArray(root)) {
    throw new DataError(
      fileName,
      'a bookmarks file must be a JSON array of projector states, as the Embedding Projector downloads it',
    );
  }
  return root.map((entry, b) => parseState(entry, b, fileName, numPoints));
}

function parseState(entry: unknown, b: number, fileName: string, numPoints: number): TfState {
  const fail = (field: string, detail: string): never => {
    throw new DataError(fileName, `bookmark ${b}: ${detail}`, { field: `[${b}].${field}` });
  };
  if (!isRecord(entry)) {
    throw new DataError(fileName, `bookmark ${b}: must be an object`, { field: `[${b}]` });
  }
  const has = (k: string) => entry[k] !== undefined;

  const num = (k: string): number => {
    const v = entry[k];
    if (v === undefined) return fail(k, 'missing; the Embedding Projector needs it to load the bookmark');
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(k, `must be a finite number, got ${JSON.stringify(v)}`);
    return v;
  };
  const optNum = (k: string): number | undefined => (has(k) && entry[k] !== null ? num(k) : undefined);
  const optBool = (k: string): boolean | undefined => {
    const v = entry[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') return fail(k, `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  };
  const optStr = (k: string): string | undefined => {
    const v = entry[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') return fail(k, `must be a string, got ${JSON.stringify(v)}`);
    return v;
  };
  const indexList = (k: string, below: number, what: string): number[] => {
    const v = entry[k];
    if (!Array.isArray(v)) return fail(k, `must be an array of point indices, got ${JSON.stringify(v)}`);
    v.forEach((x, i) => {
      if (!isIndex(x) || x >= below) {
        fail(`${k}[${i}]`, `${JSON.stringify(x)} is not a point index in 0..${below - 1} (${what})`);
      }
    });
    return v as number[];
  };

  // selectedProjection
  const sp = entry.selectedProjection;
  if (sp === undefined) fail('selectedProjection', 'missing; the Embedding Projector needs it to load the bookmark');
  if (!PROJECTION_TYPES.includes(sp as TfProjectionType)) {
    fail('selectedProjection', `must be one of ${PROJECTION_TYPES.join(', ')}, got ${JSON.stringify(sp)}`);
  }
  const selectedProjection = sp as TfProjectionType;

  // pcaComponentDimensions
  const pcd = entry.pcaComponentDimensions;
  if (pcd === undefined) fail('pcaComponentDimensions', 'missing; the Embedding Projector needs it to load the bookmark');
  if (!Array.isArray(pcd)) fail('pcaComponentDimensions', `must be an array of component numbers, got ${JSON.stringify(pcd)}`);
  const pcaComponentDimensions = pcd as unknown[];
  pcaComponentDimensions.forEach((k, i) => {
    if (!isIndex(k)) fail(`pcaComponentDimensions[${i}]`, `must be a component number 0, 1, 2, ..., got ${JSON.stringify(k)}`);
  });
  if (selectedProjection === 'pca' && pcaComponentDimensions.length !== 2 && pcaComponentDimensions.length !== 3) {
    fail('pcaComponentDimensions', `a PCA bookmark needs 2 or 3 components, got ${pcaComponentDimensions.length}`);
  }

  // dataSetDimensions
  const dsd = entry.dataSetDimensions;
  if (dsd === undefined) fail('dataSetDimensions', 'missing; the Embedding Projector needs it to load the bookmark');
  if (!Array.isArray(dsd) || dsd.length !== 2 || !dsd.every(isIndex)) {
    fail('dataSetDimensions', `must be [points, dimensions], got ${JSON.stringify(dsd)}`);
  }

  // filteredPoints: indices into the full dataset; projections cover only those points.
  let filteredPoints: number[] | null | undefined;
  if (entry.filteredPoints === null) filteredPoints = null;
  else if (has('filteredPoints')) filteredPoints = indexList('filteredPoints', numPoints, `the dataset has ${numPoints} points`);
  const shown = filteredPoints != null && filteredPoints.length > 0 ? filteredPoints.length : numPoints;

  // projections
  const pr = entry.projections;
  if (pr === undefined) fail('projections', 'missing; the Embedding Projector needs it to load the bookmark');
  if (!Array.isArray(pr)) fail('projections', 'must be an array with one object per point');
  const projections = pr as unknown[];
  if (projections.length !== shown) {
    const of = shown === numPoints ? `the dataset has ${numPoints} points` : `filteredPoints lists ${shown} points`;
    fail('projections', `has ${projections.length} entries but ${of}; is this bookmark for another dataset?`);
  }
  const tSNEis3d = optBool('tSNEis3d');
  const umapIs3d = optBool('umapIs3d');
  const state: TfState = {
    label: optStr('label') ?? '',
    isSelected: optBool('isSelected') ?? false,
    selectedProjection,
    dataSetDimensions: [(dsd as number[])[0], (dsd as number[])[1]],
    tSNEIteration: num('tSNEIteration'),
    tSNEPerplexity: num('tSNEPerplexity'),
    tSNELearningRate: num('tSNELearningRate'),
    pcaComponentDimensions: pcaComponentDimensions as number[],
    projections: [],
    selectedPoints: [],
  };
  if (tSNEis3d !== undefined) state.tSNEis3d = tSNEis3d;
  if (umapIs3d !== undefined) state.umapIs3d = umapIs3d;
  const umapNeighbors = optNum('umapNeighbors');
  if (umapNeighbors !== undefined) state.umapNeighbors = umapNeighbors;
  const umapMinDist = optNum('umapMinDist');
  if (umapMinDist !== undefined) state.umapMinDist = umapMinDist;
  for (const k of ['customSelectedSearchByMetadataOption', 'customXLeftText', 'customXRightText', 'customYUpText', 'customYDownText'] as const) {
    const v = optStr(k);
    if (v !== undefined) state[k] = v;
  }
  for (const k of ['customXLeftRegex', 'customXRightRegex', 'customYUpRegex', 'customYDownRegex'] as const) {
    const v = optBool(k);
    if (v !== undefined) state[k] = v;
  }
  if (filteredPoints !== undefined) state.filteredPoints = filteredPoints;

  // selectedPoints index the points TF showed (the filtered subset when filtered).
  if (!has('selectedPoints')) fail('selectedPoints', 'missing; the Embedding Projector needs it to load the bookmark');
  state.selectedPoints = indexList(
    'selectedPoints',
    shown,
    shown === numPoints ? `the dataset has ${numPoints} points` : `the filtered view has ${shown} points`,
  );
  if (has('shuffledDataIndices') && entry.shuffledDataIndices !== null) {
    state.shuffledDataIndices = indexList('shuffledDataIndices', shown, `the bookmark has ${shown} points`);
  }
  if (has('cameraDef') && entry.cameraDef !== null) state.cameraDef = parseCamera(entry.cameraDef, fail);
  const color = optStr('selectedColorOptionName');
  if (color !== undefined) state.selectedColorOptionName = color;
  const forceCat = optBool('forceCategoricalColoring');
  if (forceCat !== undefined) state.forceCategoricalColoring = forceCat;
  const labelOpt = optStr('selectedLabelOption');
  if (labelOpt !== undefined) state.selectedLabelOption = labelOpt;

  // Coordinates: TF writes a NaN coordinate as null (e.g. pca-k for k >= the vector
  // dimensions, which TF's PCA leaves NaN), so null is read as "no coordinate" except for
  // the keys the bookmark shows. Those must be there for every point for PCA and Custom
  // (TF projects them all); t-SNE and UMAP only cover TF's sample, but never partially.
  const keys = bookmarkKeys(state);
  const sampled = selectedProjection === 'tsne' || selectedProjection === 'umap';
  let covered = 0;
  state.projections = projections.map((p, i) => {
    if (!isRecord(p)) return fail(`projections[${i}]`, 'must be an object of projection coordinates');
    const out: { [key: string]: number } = {};
    for (const key of Object.keys(p)) {
      if (!KEY_FORMAT.test(key)) {
        fail(
          `projections[${i}].${key}`,
          'unknown projection key; expected pca-<k>, tsne-0..2, umap-0..2, linear-x or linear-y',
        );
      }
      const v = p[key];
      if (v === null && !keys.includes(key)) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        fail(`projections[${i}].${key}`, `coordinate must be a finite number, got ${JSON.stringify(v)}`);
      }
      out[key] = v as number;
    }
    const present = keys.filter((k) => k in out);
    if (present.length === keys.length) {
      covered++;
    } else if (present.length > 0 || !sampled) {
      const absent = keys.find((k) => !(k in out))!;
      fail(`projections[${i}].${absent}`, `missing; the bookmark shows ${keys.join(', ')}`);
    }
    return out;
  });
  if (covered === 0 && projections.length > 0) {
    fail('projections', `no point has ${keys.join(', ')} coordinates for the selected ${selectedProjection} projection`);
  }
  return state;
}

function parseCamera(v: unknown, fail: (field: string, detail: string) => never): TfCameraDef {
  if (!isRecord(v)) return fail('cameraDef', 'must be an object with orthographic, position, target and zoom');
  const vec = (k: 'position' | 'target'): [number, number, number] => {
    const a = v[k];
    if (!Array.isArray(a) || a.length !== 3 || !a.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      return fail(`cameraDef.${k}`, `must be [x, y, z] with finite numbers, got ${JSON.stringify(a)}`);
    }
    return [a[0], a[1], a[2]];
  };
  // CameraDef defaults orthographic to false.
  const ortho = v.orthographic ?? false;
  if (typeof ortho !== 'boolean') return fail('cameraDef.orthographic', `must be true or false, got ${JSON.stringify(ortho)}`);
  const zoom = v.zoom;
  if (typeof zoom !== 'number' || !Number.isFinite(zoom) || zoom <= 0) {
    return fail('cameraDef.zoom', `must be a positive number, got ${JSON.stringify(zoom)}`);
  }
  return { orthographic: ortho, position: vec('position'), target: vec('target'), zoom };
}

export interface BookmarkLayout {
  method: TfProjectionType;
  dim: 2 | 3;
  /** n*3, z = 0 in 2D; NaN for the points in `missing`. */
  positions: Float32Array;
  /** Points with no saved coordinates: outside `filteredPoints`, or outside TF's t-SNE/UMAP sample. */
  missing: number[];
}

/** The saved coordinates of the projection a bookmark shows, for a dataset of `n` points. */
export function bookmarkLayout(state: TfState, n: number): BookmarkLayout {
  const keys = bookmarkKeys(state);
  if (keys.length !== 2 && keys.length !== 3) {
    throw new RangeError(`a ${state.selectedProjection} bookmark needs 2 or 3 components, got ${keys.length}`);
  }
  const filter = state.filteredPoints != null && state.filteredPoints.length > 0 ? state.filteredPoints : null;
  const count = filter ? filter.length : n;
  if (state.projections.length !== count) {
    throw new RangeError(`the bookmark has ${state.projections.length} points, expected ${count}`);
  }
  const dim = keys.length as 2 | 3;
  const positions = new Float32Array(n * 3).fill(NaN);
  const has = new Uint8Array(n);
  state.projections.forEach((p, i) => {
    const point = filter ? filter[i] : i;
    if (point >= n) throw new RangeError(`filteredPoints names point ${point}, but there are ${n}`);
    const x = p[keys[0]];
    const y = p[keys[1]];
    const z = dim === 3 ? p[keys[2]] : 0;
    if (x === undefined || y === undefined || z === undefined) return;
    positions[point * 3] = x;
    positions[point * 3 + 1] = y;
    positions[point * 3 + 2] = z;
    has[point] = 1;
  });
  const missing: number[] = [];
  for (let i = 0; i < n; i++) if (!has[i]) missing.push(i);
  return { method: state.selectedProjection, dim, positions, missing };
}

/** The bookmark's selected points as indices into the full dataset. */
export function bookmarkSelection(state: TfState): number[] {
  const filter = state.filteredPoints != null && state.filteredPoints.length > 0 ? state.filteredPoints : null;
  return filter ? state.selectedPoints.map((i) => filter[i]) : state.selectedPoints.slice();
}

/** A bookmarks file exactly as TF's download writes it: `JSON.stringify` of the array. */
export function writeBookmarks(states: TfState[]): string {
  return JSON.stringify(states);
}

export interface MakeBookmarkArgs {
  label: string;
  method: 'pca' | 'tsne' | 'umap';
  dim: 2 | 3;
  /** n*3 (z ignored in 2D). */
  positions: Float32Array;
  /** Vector dimensions of the dataset: TF refuses an uploaded file whose
   *  `dataSetDimensions` differ from the loaded [points, dimensions]. */
  vectorDim: number;
  /** The PCA components shown on x, y, z (0-based, < 10); default [0, 1, 2]. */
  pcaComponents?: [number, number, number];
  selected: number[];
  colorColumn: string | null;
  labelColumn: string | null;
  camera: TfCameraDef;
  /** t-SNE settings to restore in TF's panel; defaults are what TF's panel shows for n points. */
  tsne?: { perplexity?: number; learningRate?: number; iteration?: number };
  /** UMAP settings; TF's defaults are 15 neighbours, min dist 0.1. */
  umap?: { neighbors?: number; minDist?: number };
}

/**
 * A TF-compatible state carrying `positions` under the keys TF reads for the projection, with
 * every field TF needs filled with TF's defaults. Coordinates are written in the shortest
 * form that reads back to the same float32.
 */
export function makeBookmark(args: MakeBookmarkArgs): TfState {
  const { method, dim, positions } = args;
  if (dim !== 2 && dim !== 3) throw new RangeError(`dim must be 2 or 3, got ${String(dim)}`);
  if (positions.length % 3 !== 0) throw new RangeError(`positions must hold n*3 values, got ${positions.length}`);
  const n = positions.length / 3;
  if (!isIndex(args.vectorDim) || args.vectorDim === 0) {
    throw new RangeError(`vectorDim must be a positive integer, got ${String(args.vectorDim)}`);
  }
  args.selected.forEach((i) => {
    if (!isIndex(i) || i >= n) throw new RangeError(`selected point ${String(i)} is not in 0..${n - 1}`);
  });

  const pca = (args.pcaComponents ?? [0, 1, 2]).slice(0, dim);
  if (method === 'pca') {
    pca.forEach((k) => {
      if (!isIndex(k) || k >= TF_NUM_PCA_COMPONENTS) {
        throw new RangeError(`PCA component ${String(k)} is not one of TF's 0..${TF_NUM_PCA_COMPONENTS - 1}`);
      }
    });
  }
  const is3d = dim === 3;
  const state: TfState = {
    label: args.label,
    isSelected: false,
    selectedProjection: method,
    dataSetDimensions: [n, args.vectorDim],
    tSNEIteration: 0,
    tSNEPerplexity: Math.max(5, Math.ceil(Math.sqrt(n) / 4)),
    tSNELearningRate: 1,
    tSNEis3d: method === 'tsne' ? is3d : true,
    umapIs3d: method === 'umap' ? is3d : true,
    umapNeighbors: args.umap?.neighbors ?? 15,
    umapMinDist: args.umap?.minDist ?? 0.1,
    pcaComponentDimensions: method === 'pca' ? pca : [0, 1, 2],
    customXLeftText: '',
    customXLeftRegex: false,
    customXRightText: '',
    customXRightRegex: false,
    customYUpText: '',
    customYUpRegex: false,
    customYDownText: '',
    customYDownRegex: false,
    projections: [],
    filteredPoints: null,
    selectedPoints: args.selected.slice(),
    shuffledDataIndices: shuffledIndices(n),
    cameraDef: {
      orthographic: args.camera.orthographic,
      position: [...args.camera.position],
      target: [...args.camera.target],
      zoom: args.camera.zoom,
    },
    selectedColorOptionName: args.colorColumn ?? TF_NO_COLOR_MAP,
    forceCategoricalColoring: false,
  };
  if (args.labelColumn != null) {
    state.selectedLabelOption = args.labelColumn;
    state.customSelectedSearchByMetadataOption = args.labelColumn;
  }
  if (args.tsne?.perplexity != null) state.tSNEPerplexity = args.tsne.perplexity;
  if (args.tsne?.learningRate != null) {
    // TF stores the slider value: log10 of the rate, snapped to -3..2.
    state.tSNELearningRate = Math.min(2, Math.max(-3, Math.round(Math.log10(args.tsne.learningRate))));
  }
  if (args.tsne?.iteration != null) state.tSNEIteration = args.tsne.iteration;

  const keys = bookmarkKeys(state);
  const projections: Array<{ [key: string]: number }> = new Array(n);
  for (let i = 0; i < n; i++) {
    const p: { [key: string]: number } = {};
    for (let d = 0; d < keys.length; d++) {
      const v = positions[i * 3 + d];
      if (!Number.isFinite(v)) throw new RangeError(`point ${i} has a non-finite coordinate ${v}`);
      p[keys[d]] = shortestFloat32(v);
    }
    projections[i] = p;
  }
  state.projections = projections;
  return state;
}

/** The shortest decimal that reads back (through Math.fround) to the same float32. */
function shortestFloat32(v: number): number {
  const f = Math.fround(v);
  for (let p = 1; p < 9; p++) {
    const s = Number(f.toPrecision(p));
    if (Math.fround(s) === f) return s;
  }
  return Number(f.toPrecision(9));
}

/**
 * A fixed pseudo-random permutation of 0..n-1, standing in for TF's point shuffle (it picks
 * the t-SNE/UMAP sample), so newer TF versions that read it get a valid one.
 */
function shuffledIndices(n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  let s = 0x9e3779b9;
  for (let i = n - 1; i > 0; i--) {
    // mulberry32
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    const j = Math.floor(r * (i + 1));
    const tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
  return out;
}
