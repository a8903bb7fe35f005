/**
 * window.projector: the stable scripting surface for notebooks and tests (documented in the README).
 * Every action resolves once its layout is on screen, or once its error is shown.
 */
import * as actions from './actions';
import type { SettingsPatch } from './actions';
import type { OpenedFile } from './resolve-sources';
import { getState, type Dim, type Method, type Status } from './store';

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
}

export interface ProjectorApi {
  state(): ProjectorStateView;
  load(configUrl: string | string[]): Promise<ProjectorStateView>;
  loadFiles(files: File[]): Promise<ProjectorStateView>;
  setGroup(name: string): Promise<ProjectorStateView>;
  setTitle(name: string): Promise<ProjectorStateView>;
  setProjection(method: Method, dim?: Dim, params?: SettingsPatch): Promise<ProjectorStateView>;
  pause(paused: boolean): void;
  positions(): Float32Array;
  screenPosition(i: number): { x: number; y: number } | null;
  hovered(): number | null;
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
  };
}

/** Files from the picker carry webkitRelativePath when a folder was chosen. */
export const openedFromFiles = (files: File[]): OpenedFile[] =>
  files.map((file) => ({ file, path: file.webkitRelativePath || file.name }));

export function createProjectorApi(): ProjectorApi {
  const then = (p: Promise<void>) => p.then(stateView);
  return {
    state: stateView,
    load: (url) => then(actions.loadConfigs(Array.isArray(url) ? url : [url])),
    loadFiles: (files) => then(actions.loadOpenedFiles(openedFromFiles(files))),
    setGroup: (name) => then(actions.setGroup(name)),
    setTitle: (name) => then(actions.setTitle(name)),
    setProjection: (method, dim, params) => then(actions.setProjection(method, dim, params)),
    pause: (paused) => actions.setPaused(paused),
    positions: () => getState().layout?.slice() ?? new Float32Array(0),
    screenPosition: (i) => getState().view?.screenPosition(i) ?? null,
    hovered: () => getState().hovered,
  };
}
