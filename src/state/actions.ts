/**
 * Everything the user (or a script) can ask for. Each action supersedes the one before: running
 * work is cancelled, and a result arriving for an older choice is dropped, so the screen always
 * shows the newest choice or, after a failure, what it showed before.
 */
import { CancelledError } from '../workers/worker-client';
import { cancelLoads, loadDataset } from './dataset-cache';
import { cancelReduction, computeLayout } from './layout-cache';
import { groupsFromConfigUrls, groupsFromFiles, type OpenedFile } from './resolve-sources';
import { getState, setState, useProjector, type Dim, type LoadedGroup, type Method } from './store';

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
  if (getState().renderedVersion >= version) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = useProjector.subscribe((s) => {
      if (s.renderedVersion >= version) {
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

interface ShowOptions {
  groups: LoadedGroup[];
  group: number;
  title: number;
  method: Method;
  dim: Dim;
  /** Reframe the camera: a new dataset or dim. A title switch keeps the camera. */
  fit: boolean;
}

async function show(gen: number, o: ShowOptions): Promise<void> {
  const emb = o.groups[o.group].embeddings[o.title];
  setState({ status: 'loading', error: null, progress: null, pending: { group: o.groups[o.group].name, title: emb.title } });
  const dataset = await loadDataset(emb, (progress) => {
    if (gen === generation) setState({ progress });
  });
  current(gen);
  const shownProjection = getState().projection;
  setState({ status: 'reducing', progress: null, projection: { method: o.method, dim: o.dim, progress: 0 } });
  let layout: Float32Array;
  try {
    layout = await computeLayout(dataset, o.method, o.dim, (f) => {
      if (gen === generation) setState({ projection: { method: o.method, dim: o.dim, progress: f } });
    });
  } catch (err) {
    // The layout on screen is still the old method's: say so.
    if (gen === generation) setState({ projection: shownProjection });
    throw err;
  }
  current(gen);
  const prev = getState();
  const sameColumns =
    prev.dataset?.metadata?.columns.map((c) => c.name).join('\t') === dataset.metadata?.columns.map((c) => c.name).join('\t');
  const layoutVersion = prev.layoutVersion + 1;
  setState({
    status: 'ready',
    error: null,
    progress: null,
    pending: null,
    groups: o.groups,
    group: o.group,
    title: o.title,
    dataset,
    layout,
    layoutVersion,
    fitVersion: o.fit ? prev.fitVersion + 1 : prev.fitVersion,
    projection: { method: o.method, dim: o.dim, progress: 1 },
    hovered: null,
    colorColumn: sameColumns ? prev.colorColumn : 0,
  });
  await rendered(layoutVersion);
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
}

async function showNewGroups(gen: number, groupsP: Promise<LoadedGroup[]>, opts: LoadOptions): Promise<void> {
  setState({ status: 'loading', error: null, progress: null });
  const groups = await groupsP;
  current(gen);
  const titleAt = opts.title ? groups[0].embeddings.findIndex((e) => e.title === opts.title) : 0;
  if (titleAt < 0) throw new Error(`title "${opts.title}" is not in group "${groups[0].name}"`);
  const { projection } = getState();
  await show(gen, { groups, group: 0, title: titleAt, method: opts.method ?? projection.method, dim: opts.dim ?? projection.dim, fit: true });
}

export function loadConfigs(urls: string[], opts: LoadOptions = {}): Promise<void> {
  return run((gen) => showNewGroups(gen, groupsFromConfigUrls(urls, location.href), opts));
}

export function loadOpenedFiles(files: OpenedFile[]): Promise<void> {
  return run((gen) => showNewGroups(gen, groupsFromFiles(files), {}));
}

export function setGroup(name: string): Promise<void> {
  return run(async (gen) => {
    const s = getState();
    const group = s.groups.findIndex((g) => g.name === name);
    if (group < 0) throw new Error(`no group named "${name}"`);
    await show(gen, { groups: s.groups, group, title: 0, method: s.projection.method, dim: s.projection.dim, fit: true });
  });
}

export function setTitle(name: string): Promise<void> {
  return run(async (gen) => {
    const s = getState();
    const title = s.groups[s.group]?.embeddings.findIndex((e) => e.title === name) ?? -1;
    if (title < 0) throw new Error(`no title named "${name}" in this group`);
    await show(gen, { groups: s.groups, group: s.group, title, method: s.projection.method, dim: s.projection.dim, fit: false });
  });
}

export function setProjection(method: Method, dim?: Dim): Promise<void> {
  return run(async (gen) => {
    const s = getState();
    if (!s.dataset) throw new Error('load an embedding first');
    const d = dim ?? s.projection.dim;
    await show(gen, { groups: s.groups, group: s.group, title: s.title, method, dim: d, fit: d !== s.projection.dim });
  });
}

export function setColorColumn(index: number): void {
  setState({ colorColumn: index });
}

export function setHovered(index: number | null): void {
  if (getState().hovered !== index) setState({ hovered: index });
}
