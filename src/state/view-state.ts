/**
 * One plain-data description of what is on screen: sources, group and title, projection with its
 * parameters and seed, colour and label columns, hidden legend values, search, isolated set,
 * selection, inspected point, camera, point size and style, theme. A link carries it (the URL
 * follows the view); for local files, a session file does.
 */
import { decodeIndices, encodeIndices } from '../data/index-set';
import * as actions from './actions';
import { inspect, search } from './queries';
import { getState, setState, useProjector, type CameraPose, type Dim, type Method, type ProjectionSettings, type Theme, type ViewOptions } from './store';
import { viewHandle } from './view-handle';

export interface ViewState {
  version: 1;
  /** Config URLs; null when the data came from local files. */
  configs: string[] | null;
  group: string | null;
  title: string | null;
  method: Method;
  dim: Dim;
  settings: ProjectionSettings;
  alignment: boolean;
  color: string | null;
  label: string | null;
  hidden: string[];
  search: { query: string; column: string | null; regex: boolean } | null;
  isolated: number[] | null;
  selected: number[];
  inspected: number | null;
  camera: CameraPose | null;
  view: Pick<ViewOptions, 'pointScale' | 'sizeUnits' | 'pointStyle' | 'tint' | 'trails'>;
  theme: Theme;
}

export function captureViewState(): ViewState {
  const s = getState();
  const columns = s.dataset?.metadata?.columns ?? [];
  const { pointScale, sizeUnits, pointStyle, tint, trails } = s.viewOptions;
  return {
    version: 1,
    configs: s.sources,
    group: s.groups[s.group]?.name ?? null,
    title: s.groups[s.group]?.embeddings[s.title]?.title ?? null,
    method: s.projection.method,
    dim: s.projection.dim,
    settings: s.settings,
    alignment: s.alignment,
    color: columns[s.colorColumn]?.name ?? null,
    label: columns[s.viewOptions.labelColumn]?.name ?? null,
    hidden: [...s.hiddenValues],
    search: s.search.query ? { query: s.search.query, column: s.search.column, regex: s.search.regex } : null,
    isolated: s.isolated ? Array.from(s.isolated) : null,
    selected: Array.from(s.selected),
    inspected: s.inspector?.index ?? null,
    camera: viewHandle()?.camera() ?? null,
    view: { pointScale, sizeUnits, pointStyle, tint, trails },
    theme: s.theme,
  };
}

/** Throws with what is wrong when `v` is not a view state this version reads. */
function checkViewState(v: unknown): asserts v is ViewState {
  const o = v as Partial<ViewState> | null;
  if (!o || typeof o !== 'object' || o.version !== 1) throw new Error('not a view state (version 1)');
  if (!['pca', 'umap', 'tsne', 'custom'].includes(o.method as string)) throw new Error(`view state: unknown method ${String(o.method)}`);
  if (o.dim !== 2 && o.dim !== 3) throw new Error(`view state: dim must be 2 or 3, got ${String(o.dim)}`);
  if (!Array.isArray(o.selected) || !Array.isArray(o.hidden)) throw new Error('view state: selected and hidden must be arrays');
}

/**
 * Puts a view state on screen: the same data, title, layout (same parameters and seed), colours,
 * filters, selection, inspected point and camera. Resolves once it is all shown.
 */
export async function applyViewState(input: unknown, opts: { data?: 'load' | 'keep' } = {}): Promise<void> {
  checkViewState(input);
  const v = input;
  const s0 = getState();
  if (v.configs && opts.data !== 'keep' && JSON.stringify(v.configs) !== JSON.stringify(s0.sources)) {
    // PCA first (quick); the view's own projection follows once group and title are set.
    await actions.loadConfigs(v.configs, { title: null, method: 'pca', dim: v.dim });
  }
  if (!getState().dataset) throw new Error(v.configs ? 'the view state\'s data did not load' : 'open the same files first, then the session');
  setState({ alignment: v.alignment, theme: v.theme });
  let s = getState();
  if (v.group && s.groups[s.group]?.name !== v.group) await actions.setGroup(v.group);
  s = getState();
  if (v.title && s.groups[s.group]?.embeddings[s.title]?.title !== v.title) await actions.setTitle(v.title);
  s = getState();
  const sameIsolation = JSON.stringify(s.isolated ? Array.from(s.isolated) : null) === JSON.stringify(v.isolated);
  if (!sameIsolation && v.isolated === null) await actions.isolateRows(null);
  await actions.setProjection(v.method, v.dim, { pca: v.settings.pca, umap: v.settings.umap, tsne: v.settings.tsne, metric: v.settings.metric, neighbourProjection: v.settings.neighbourProjection ?? true, sampleSize: v.settings.sampleSize });
  if (!sameIsolation && v.isolated) await actions.isolateRows(v.isolated);
  s = getState();
  if (s.status === 'error') throw new Error(s.error ?? 'the view could not be laid out');
  const columns = s.dataset?.metadata?.columns ?? [];
  const colorAt = v.color === null ? -1 : columns.findIndex((c) => c.name === v.color);
  actions.setColorColumn(colorAt);
  actions.setHidden(v.hidden);
  actions.setViewOptions({ ...v.view, labelColumn: v.label === null ? -1 : columns.findIndex((c) => c.name === v.label) });
  if (v.search) await search(v.search.query, { column: v.search.column, regex: v.search.regex }).catch(() => undefined);
  actions.select(v.selected);
  await inspect(v.inspected).catch(() => undefined);
  if (v.camera) viewHandle()?.setCamera(v.camera);
}

// --- links ---------------------------------------------------------------------------------

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromBase64Url = (code: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(code.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));

/** The view (less its configs, which go in `config` parameters) as one compact URL parameter. */
export function encodeView(v: ViewState): string {
  const { configs: _, selected, isolated, ...rest } = v;
  return toBase64Url(JSON.stringify({ ...rest, selected: encodeIndices(selected), isolated: isolated && encodeIndices(isolated) }));
}

export function decodeView(code: string, configs: string[]): ViewState {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fromBase64Url(code)) as Record<string, unknown>;
  } catch {
    throw new Error('the link\'s view parameter is damaged (not base64url JSON)');
  }
  const v = {
    ...raw,
    configs: configs.length > 0 ? configs : null,
    selected: decodeIndices(String(raw.selected ?? '')),
    isolated: typeof raw.isolated === 'string' ? decodeIndices(raw.isolated) : null,
  };
  checkViewState(v);
  return v;
}

/** A link that reproduces the view; null when the data came from local files. */
export function shareUrl(): string | null {
  const v = captureViewState();
  if (!v.configs) return null;
  const u = new URL(location.pathname, location.origin);
  for (const c of v.configs) u.searchParams.append('config', c);
  u.searchParams.set('view', encodeView(v));
  return u.href;
}

/** A session file for a view of local files (or any view): applied once the same files are open. */
export function sessionJson(): string {
  return JSON.stringify({ ...captureViewState(), configs: null }, null, 2);
}

// The address bar follows the view (debounced), so reload, bookmarks and copied links keep it.
let timer = 0;
let following = false;
export function followInUrl(): void {
  if (following) return;
  following = true;
  const update = () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      const s = getState();
      if (s.status !== 'ready' || !s.sources) return;
      const url = shareUrl();
      if (url && url !== location.href) history.replaceState(null, '', url);
    }, 400);
  };
  useProjector.subscribe(update);
  onViewMoved(update);
}

const moved = new Set<() => void>();
/** The render layer calls this when the camera moves (not a store change). */
export function viewMoved(): void {
  for (const f of moved) f();
}
function onViewMoved(f: () => void): void {
  moved.add(f);
}
