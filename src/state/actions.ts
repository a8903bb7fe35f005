/**
 * Everything the user (or a script) can ask for. Each action supersedes the one before: running
 * work is cancelled, and a result arriving for an older choice is dropped, so the screen always
 * shows the newest choice or, after a failure, what it showed before.
 */
import { CancelledError } from '../workers/worker-client';
import { colorable, MAX_CATEGORIES } from '../color/color-by';
import { defaultColorColumn, defaultLabelColumn } from './column-defaults';
import { cancelLoads, loadDataset } from './dataset-cache';
import { cancelReduction, computeLayout, isPrecomputed, pauseReduction, pcaInfoOf, startPca } from './layout-cache';
import { changeColumnFor } from './neighbour-change';
import { alignBaseFor, inChain, previousInChain, sameTitlePoints } from './title-chain';
import { inMemoryGroup, type InMemoryData } from './in-memory';
import { groupsFromConfigUrls, groupsFromFiles, type OpenedFile } from './resolve-sources';
import { isVectorChoiceError } from '../data/tables/types';
import { viewHandle } from './view-handle';
import {
  getState,
  setState,
  useProjector,
  type Dim,
  type LoadedGroup,
  type Method,
  type Projection,
  type ProjectionSettings,
  type ProjectorState,
  type SelectTool,
  type ViewOptions,
} from './store';

let generation = 0;

function begin(): number {
  cancelLoads();
  cancelReduction();
  return ++generation;
}

function current(gen: number): void {
  if (gen !== generation) throw new CancelledError();
}

/** Resolves once the renderer has drawn the given layout version. */
function rendered(version: number): Promise<void> {
  // A view that failed (no WebGL) draws nothing: actions still settle.
  if (getState().renderedVersion >= version || getState().viewFailed) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = useProjector.subscribe((s) => {
      if (s.renderedVersion >= version || s.viewFailed) {
        stop();
        resolve();
      }
    });
  });
}

function fail(gen: number, err: unknown): void {
  if (err instanceof CancelledError || gen !== generation) return;
  const message = err instanceof Error ? err.message : String(err);
  console.error(err);
  setState({ status: 'error', error: message, progress: null, pending: null });
}

let filesAskedFor: () => void = () => undefined;
const firstFiles = new Promise<void>((resolve) => (filesAskedFor = resolve));
/** Resolves once the first dataset's files have been asked for (their workers are reading them). */
export const firstFilesRequested = (): Promise<void> => firstFiles;

interface ShowOptions {
  groups: LoadedGroup[];
  group: number;
  title: number;
  method: Method;
  dim: Dim;
  settings: ProjectionSettings;
  /** Reframe the camera: a new dataset or dim. A title switch keeps the camera. */
  fit: boolean;
  /** Rows to isolate and re-project; null: every row. Dropped if the dataset has other rows. */
  subset: Int32Array | null;
}

async function show(gen: number, o: ShowOptions): Promise<void> {
  const emb = o.groups[o.group].embeddings[o.title];
  setState({ status: 'loading', error: null, progress: null, pending: { group: o.groups[o.group].name, title: emb.title }, paused: false });
  let loaded;
  try {
    // The first PCA view starts on the vectors alone; metadata and pictures keep loading meanwhile.
    const early = o.method === 'pca' && !o.subset && !o.settings.pca.sphereize;
    const pending = loadDataset(
      emb,
      (progress) => {
        if (gen === generation) setState({ progress });
      },
      early ? (v) => gen === generation && startPca(v) : undefined,
    );
    filesAskedFor();
    loaded = await pending;
  } catch (err) {
    // A table with several vector columns: keep what is needed to load it again once one is chosen.
    if (isVectorChoiceError(err) && gen === generation) {
      setState({ vectorAsk: { file: err.file, choices: err.choices, groups: o.groups, group: o.group, title: o.title } });
    }
    throw err;
  }
  current(gen);
  const group = o.groups[o.group];
  // Titles of an epoch series carry how each point's neighbourhood changed since the last.
  const dataset = inChain(group, o.title) ? changeColumnFor(loaded, previousInChain(group, o.title), o.settings.metric) : loaded;
  const shown = getState();
  const subset = o.subset && o.subset.length > 0 && o.subset[o.subset.length - 1] < dataset.n ? o.subset : null;
  const projection = (progress: number): Projection => ({ method: o.method, dim: o.dim, progress });
  setState({ status: 'reducing', progress: null, projection: projection(0), iteration: null });
  // The pictures go to the GPU while the first layout computes (not already on screen: the view keeps those).
  if (dataset.sprite && shown.dataset?.sprite !== dataset.sprite) viewHandle()?.prepareSprite(dataset.sprite, dataset.n);

  const chained = getState().alignment && !isPrecomputed(dataset) && inChain(group, o.title);
  const onProgress = (stage: string, fraction: number) => {
    if (gen === generation) setState({ progress: { stage, loaded: fraction, total: 1 } });
  };
  const align = chained ? alignBaseFor(group, o.title, { method: o.method, dim: o.dim, settings: o.settings, subset, background: false, onProgress }) : null;
  let fitPending = o.fit;
  const sampled = !subset && o.method !== 'pca' && !isPrecomputed(dataset) && o.settings.sampleSize != null && o.settings.sampleSize < dataset.n;
  const placed = sampled ? o.settings.sampleSize : null;
  /** Puts a layout on screen: the first for this choice also brings its dataset, groups and selection. */
  const commit = (layout: Float32Array, extra: Partial<ProjectorState>): number => {
    const prev = getState();
    const sameColumns =
      prev.dataset?.metadata?.columns.map((c) => c.name).join('\t') === dataset.metadata?.columns.map((c) => c.name).join('\t');
    const layoutVersion = prev.layoutVersion + 1;
    // A selection carries over to the same points (this title, or another epoch of this series),
    // never to another dataset that merely has as many rows.
    const samePointsAsShown =
      prev.dataset?.n === dataset.n &&
      (prev.dataset.key === dataset.key || (prev.groups === o.groups && prev.group === o.group && sameTitlePoints(group, prev.title, o.title)));
    // Pictures built from this dataset's vectors while its layout was computing stay on.
    const withImages =
      !dataset.sprite && prev.dataset?.key === dataset.key && prev.dataset.metadata === dataset.metadata && prev.vectorImages.datasetKey === dataset.key;
    setState({
      groups: o.groups,
      group: o.group,
      title: o.title,
      dataset: withImages ? prev.dataset! : dataset,
      layout,
      layoutVersion,
      fitVersion: fitPending ? prev.fitVersion + 1 : prev.fitVersion,
      hovered: prev.dataset?.key === dataset.key ? prev.hovered : null,
      colorColumn: sameColumns ? prev.colorColumn : defaultColorColumn(dataset.metadata),
      viewOptions: sameColumns ? prev.viewOptions : { ...prev.viewOptions, labelColumn: defaultLabelColumn(dataset.metadata) },
      // Titles of one group are the same points at other epochs: the selection and the hidden
      // categories carry over; another dataset starts afresh.
      hiddenValues: sameColumns ? prev.hiddenValues : [],
      selected: samePointsAsShown ? onlyShown(prev.selected, subset) : new Int32Array(0),
      isolated: subset,
      aligned: chained,
      pcaInfo: pcaInfoOf(dataset, subset, !!o.settings.pca.sphereize),
      placed,
      vectorAsk: null,
      ...extra,
    });
    fitPending = false;
    return layoutVersion;
  };

  let layout: Float32Array;
  try {
    layout = await computeLayout(
      dataset,
      o.method,
      o.dim,
      o.settings,
      {
        onProgress,
        onLayout: (positions, iteration, total) => {
          if (gen !== generation) return;
          commit(positions, { progress: null, projection: projection(iteration / total), iteration: { current: iteration, total } });
        },
      },
      subset,
      align,
    );
  } catch (err) {
    // The layout on screen is still the old one: say so.
    if (gen === generation) setState({ projection: shown.projection, iteration: shown.iteration });
    throw err;
  }
  current(gen);
  const version = commit(layout, {
    error: null,
    progress: null,
    pending: null,
    projection: projection(1),
    iteration: getState().iteration && { ...getState().iteration!, current: getState().iteration!.total },
  });
  await rendered(version);
  // 'ready' means the layout is on screen, so scripts can read screen positions straight away.
  if (gen === generation) setState({ status: 'ready' });
}

async function run(action: (gen: number) => Promise<void>): Promise<void> {
  const gen = begin();
  try {
    await action(gen);
  } catch (err) {
    fail(gen, err);
  }
}

export interface LoadOptions {
  title?: string | null;
  method?: Method;
  dim?: Dim;
  /** `?vector=`: the vector column of every table that has several. */
  vector?: string | null;
}

/** The groups with one title's table read through another vector column. */
function withVector(groups: LoadedGroup[], group: number, title: number, vector: string): LoadedGroup[] {
  return groups.map((g, gi) =>
    gi !== group ? g : { ...g, embeddings: g.embeddings.map((e, ti) => (ti === title ? { ...e, vector } : e)) },
  );
}

/**
 * Reads the table on screen (or the one that asked) through this vector column. The layout is
 * computed afresh: other vectors are other points in space.
 */
export function chooseVectorColumn(column: string): Promise<void> {
  return run(async (gen) => {
    const s = getState();
    const base = s.vectorAsk ?? (s.dataset?.vectorChoices ? { groups: s.groups, group: s.group, title: s.title } : null);
    if (!base) throw new Error('no table with vector columns to choose from is loaded');
    const groups = withVector(base.groups, base.group, base.title, column);
    await show(gen, { groups, group: base.group, title: base.title, method: s.projection.method, dim: s.projection.dim, settings: s.settings, fit: true, subset: null });
  });
}

async function showNewGroups(gen: number, groupsP: Promise<LoadedGroup[]>, opts: LoadOptions): Promise<void> {
  setState({ status: 'loading', error: null, progress: null });
  const vector = opts.vector;
  const groups = (await groupsP).map((g) =>
    vector ? { ...g, embeddings: g.embeddings.map((e) => (e.format === 'table' && e.vector == null ? { ...e, vector } : e)) } : g,
  );
  current(gen);
  const titleAt = opts.title ? groups[0].embeddings.findIndex((e) => e.title === opts.title) : 0;
  if (titleAt < 0) throw new Error(`title "${opts.title}" is not in group "${groups[0].name}"`);
  const { projection, settings } = getState();
  await show(gen, { groups, group: 0, title: titleAt, method: opts.method ?? projection.method, dim: opts.dim ?? projection.dim, settings, fit: true, subset: null });
}

export function loadConfigs(urls: string[], opts: LoadOptions = {}): Promise<void> {
  const sources = urls.map((u) => new URL(u, location.href).href);
  return run(async (gen) => {
    await showNewGroups(gen, groupsFromConfigUrls(urls, location.href), opts);
    if (gen === generation) setState({ sources });
  });
}

export function loadOpenedFiles(files: OpenedFile[]): Promise<void> {
  return run(async (gen) => {
    await showNewGroups(gen, groupsFromFiles(files), {});
    // Local files cannot be named in a link: the view is kept as a session file instead.
    if (gen === generation) setState({ sources: null });
  });
}

/** An app's own arrays, without files or URLs; bad shapes are shown as errors like a bad file's. */
export function loadData(data: InMemoryData, opts: LoadOptions = {}): Promise<void> {
  return run(async (gen) => {
    await showNewGroups(gen, Promise.resolve().then(() => [inMemoryGroup(data)]), opts);
    // Like local files, arrays cannot be named in a link.
    if (gen === generation) setState({ sources: null });
  });
}

export function setGroup(name: string): Promise<void> {
  return run(async (gen) => {
    const s = getState();
    const group = s.groups.findIndex((g) => g.name === name);
    if (group < 0) throw new Error(`no group named "${name}"`);
    await show(gen, { groups: s.groups, group, title: 0, method: s.projection.method, dim: s.projection.dim, settings: s.settings, fit: true, subset: null });
  });
}

export function setTitle(name: string): Promise<void> {
  return run(async (gen) => {
    const s = getState();
    const title = s.groups[s.group]?.embeddings.findIndex((e) => e.title === name) ?? -1;
    if (title < 0) throw new Error(`no title named "${name}" in this group`);
    // The same points at another epoch: an isolated subset stays isolated.
    await show(gen, { groups: s.groups, group: s.group, title, method: s.projection.method, dim: s.projection.dim, settings: s.settings, fit: false, subset: s.isolated });
  });
}

/** Partial settings for the chosen method, merged over the current ones. */
export type SettingsPatch = Partial<{
  pca: Partial<ProjectionSettings['pca']>;
  umap: Partial<ProjectionSettings['umap']>;
  tsne: Partial<ProjectionSettings['tsne']>;
  custom: Partial<ProjectionSettings['custom']>;
  metric: ProjectionSettings['metric'];
  neighbourProjection: boolean;
  sampleSize: number | null;
}>;

function mergeSettings(s: ProjectionSettings, patch: SettingsPatch = {}): ProjectionSettings {
  return {
    pca: { ...s.pca, ...patch.pca },
    umap: { ...s.umap, ...patch.umap },
    tsne: { ...s.tsne, ...patch.tsne },
    custom: { ...s.custom, ...patch.custom },
    metric: patch.metric ?? s.metric,
    neighbourProjection: patch.neighbourProjection ?? s.neighbourProjection,
    sampleSize: patch.sampleSize !== undefined ? patch.sampleSize : s.sampleSize,
  };
}

export function setProjection(method: Method, dim?: Dim, patch?: SettingsPatch): Promise<void> {
  return run(async (gen) => {
    const s = getState();
    if (!s.dataset) throw new Error('load an embedding first');
    // The custom projection is a plane: two axes.
    const d = method === 'custom' ? 2 : (dim ?? s.projection.dim);
    const settings = mergeSettings(s.settings, patch);
    setState({ settings });
    // The Custom projection needs its four queries first: until then its panel shows, the layout stays.
    const c = settings.custom;
    if (method === 'custom' && [c.x[0], c.x[1], c.y[0], c.y[1]].some((q) => q.trim() === '')) {
      setState({ projection: { method, dim: 2, progress: 0 }, customCounts: null });
      return;
    }
    await show(gen, { groups: s.groups, group: s.group, title: s.title, method, dim: d, settings, fit: d !== s.projection.dim, subset: s.isolated });
  });
}

/**
 * Makes these rows the shown set and projects them again with the current method (null: every
 * row, from the layout cache). Only rows shown now can be isolated, so isolating narrows.
 */
export function isolateRows(indices: ArrayLike<number> | null): Promise<void> {
  const s = getState();
  if (!s.dataset) return Promise.reject(new Error('load an embedding first'));
  let subset: Int32Array | null = null;
  if (indices) {
    subset = onlyShown(normalizeSelection(indices, s.dataset.n), s.isolated);
    if (subset.length === 0) return Promise.reject(new Error('nothing to isolate: none of these points is shown'));
    if (subset.length === s.dataset.n) subset = null;
  }
  return run(async (gen) => {
    // The selection made the subset; inside it, it would cover everything.
    setState({ selected: new Int32Array(0) });
    await show(gen, { groups: s.groups, group: s.group, title: s.title, method: s.projection.method, dim: s.projection.dim, settings: s.settings, fit: true, subset });
  });
}

/** The indices (ascending) that are in the shown subset; all of them when every row is shown. */
function onlyShown(indices: Int32Array, subset: Int32Array | null): Int32Array {
  if (!subset) return indices;
  const shown = new Set(subset);
  return indices.filter((i) => shown.has(i));
}

/**
 * Puts saved coordinates on screen as they are (a bookmark's), not recomputed: any running
 * reduction stops, the camera frames them.
 */
export function showSavedLayout(layout: Float32Array, method: Method, dim: Dim): Promise<void> {
  return run(async (gen) => {
    const s = getState();
    if (!s.dataset || layout.length !== s.dataset.n * 3) throw new Error('the saved layout is not of the points on screen');
    const layoutVersion = s.layoutVersion + 1;
    setState({
      layout,
      layoutVersion,
      fitVersion: s.fitVersion + 1,
      projection: { method, dim, progress: 1 },
      iteration: null,
      placed: null,
      error: null,
      status: 'reducing',
    });
    await rendered(layoutVersion);
    if (gen === generation) setState({ status: 'ready' });
  });
}

/** Turns aligned titles on or off and shows the title on screen again accordingly. */
export function setAlignment(on: boolean): Promise<void> {
  setState({ alignment: on });
  return run(async (gen) => {
    const s = getState();
    if (!s.dataset) return;
    await show(gen, { groups: s.groups, group: s.group, title: s.title, method: s.projection.method, dim: s.projection.dim, settings: s.settings, fit: false, subset: s.isolated });
  });
}

/** Runs the current method again with a new seed. */
export function rerunWithNewSeed(): Promise<void> {
  const { projection, settings } = getState();
  if (projection.method === 'pca' || projection.method === 'custom') return Promise.resolve();
  const seed = ((settings[projection.method].seed * 1103515245 + 12345) >>> 0) % 1_000_000;
  return setProjection(projection.method, projection.dim, { [projection.method]: { seed } });
}

/** Takes effect on the next UMAP or t-SNE run. */
export function setSampleSize(sampleSize: number | null): void {
  setState({ settings: { ...getState().settings, sampleSize } });
}

export function setPaused(paused: boolean): void {
  if (getState().status !== 'reducing') return;
  pauseReduction(paused);
  setState({ paused });
}

/** Colours by a metadata column (-1: none). A text column with too many values is refused. */
export function setColorColumn(index: number): void {
  const { colorColumn, dataset } = getState();
  const column = dataset?.metadata?.columns[index];
  if (index >= 0 && column && !colorable(column)) {
    throw new Error(
      `column "${column.name}" has ${column.distinct.toLocaleString('en-US')} values: too many values to colour by (at most ${MAX_CATEGORIES})`,
    );
  }
  if (colorColumn !== index) setState({ colorColumn: index, hiddenValues: [] });
}

export function setHovered(index: number | null): void {
  if (getState().hovered !== index) setState({ hovered: index });
}

/** Selects exactly these points (out-of-range and not-shown indices dropped, duplicates merged). */
export function select(indices: ArrayLike<number>): void {
  const { dataset, isolated } = getState();
  setState({ selected: onlyShown(normalizeSelection(indices, dataset?.n ?? 0), isolated) });
}

/** Shift-click and shift-drag: adds to the selection; a single point already selected is removed. */
export function addToSelection(indices: ArrayLike<number>): void {
  const { selected, dataset } = getState();
  if (indices.length === 1 && selected.includes(indices[0])) {
    setState({ selected: selected.filter((i) => i !== indices[0]) });
    return;
  }
  setState({ selected: onlyShown(normalizeSelection([...selected, ...Array.from(indices)], dataset?.n ?? 0), getState().isolated) });
}

export function clearSelection(): void {
  if (getState().selected.length > 0) setState({ selected: new Int32Array(0) });
}

export function normalizeSelection(indices: ArrayLike<number>, n: number): Int32Array {
  const seen = new Uint8Array(n);
  let count = 0;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (Number.isInteger(i) && i >= 0 && i < n && !seen[i]) {
      seen[i] = 1;
      count++;
    }
  }
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (seen[i]) out[k++] = i;
  return out;
}

export function setSelectTool(selectTool: SelectTool): void {
  setState({ selectTool });
}

/** Legend click: hides a category, or shows it again. */
export function toggleHidden(value: string): void {
  const { hiddenValues } = getState();
  setState({ hiddenValues: hiddenValues.includes(value) ? hiddenValues.filter((v) => v !== value) : [...hiddenValues, value] });
}

/** Legend shift-click: shows only this category; on the category already isolated, shows all. */
export function isolate(value: string, allValues: string[]): void {
  const { hiddenValues } = getState();
  const others = allValues.filter((v) => v !== value);
  const isolated = !hiddenValues.includes(value) && others.every((v) => hiddenValues.includes(v));
  setState({ hiddenValues: isolated ? [] : others });
}

export function showAll(): void {
  setState({ hiddenValues: [] });
}

/** Hides exactly these values of the colour column (scripts; [] shows all). */
export function setHidden(values: string[]): void {
  setState({ hiddenValues: [...new Set(values)] });
}

export function setViewOptions(patch: Partial<ViewOptions>): void {
  setState({ viewOptions: { ...getState().viewOptions, ...patch } });
}

export function setNotice(notice: string | null): void {
  if (getState().notice !== notice) setState({ notice });
}
