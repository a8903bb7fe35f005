/**
 * Bookmarks, TF-compatible: the config's `bookmarksPath` (TF's key) is read for the title on
 * screen; applying one puts its saved coordinates on screen exactly (not recomputed), with its
 * selection, colour and label columns. Bookmarks added here carry the current layout and open in
 * TF's projector too (and our camera, in a field TF ignores).
 */
import { bookmarkLayout, bookmarkSelection, makeBookmark, parseBookmarks, TF_DEFAULT_CAMERA_2D, TF_DEFAULT_CAMERA_3D, TF_NO_COLOR_MAP, writeBookmarks, type TfState } from '../data/tf-bookmarks';
import { NOT_PLACED } from '../reduce/sample';
import * as actions from './actions';
import { colorable } from '../color/color-by';
import type { Source } from '../workers/messages';
import { getState, setState, useProjector, type CameraPose } from './store';
import { viewHandle } from './view-handle';

/** Our camera, kept beside TF's fields (TF reads its own cameraDef and ignores this). */
type Bookmark = TfState & { projectorCamera?: CameraPose };

async function readText(source: Source): Promise<string> {
  if (source.kind === 'file') return source.file.text();
  let last = '';
  for (const url of source.urls) {
    const res = await fetch(url, { credentials: 'same-origin' });
    if (res.ok) return res.text();
    last = `${res.status} ${res.statusText}`;
  }
  throw new Error(`${source.name}: could not be read (${last})`);
}

let loadedFor = '';
// The title on screen brings its config's bookmarks (once per title).
useProjector.subscribe((s) => {
  const emb = s.groups[s.group]?.embeddings[s.title];
  const key = `${s.group}|${s.title}|${s.dataset?.key ?? ''}`;
  if (!s.dataset || !emb || key === loadedFor || s.status !== 'ready') return;
  loadedFor = key;
  const source = emb.bookmarks;
  if (!source) return setState({ bookmarks: [] });
  const n = s.dataset.n;
  readText(source)
    .then((text) => setState({ bookmarks: parseBookmarks(text, source.name, n) }))
    .catch((e: unknown) => setState({ bookmarks: [], notice: e instanceof Error ? e.message : String(e) }));
});

export function bookmarkList(): { label: string }[] {
  return getState().bookmarks.map((b) => ({ label: b.label ?? '' }));
}

/** Puts bookmark i on screen: its saved coordinates, selection, colour, label and camera. */
export async function applyBookmark(i: number): Promise<void> {
  const s = getState();
  const b = s.bookmarks[i] as Bookmark | undefined;
  if (!b) throw new Error(`no bookmark ${i}: there are ${s.bookmarks.length}`);
  if (!s.dataset) throw new Error('load an embedding first');
  const saved = bookmarkLayout(b, s.dataset.n);
  // Points the bookmark has no coordinates for (TF's samples) are hidden, not put at the origin.
  const layout = saved.positions.map((v) => (Number.isNaN(v) ? NOT_PLACED : v));
  const method = saved.method === 'custom' ? s.projection.method : saved.method;
  await actions.showSavedLayout(layout, method, saved.dim);
  const columns = getState().dataset?.metadata?.columns ?? [];
  const color = columns.findIndex((c) => c.name === b.selectedColorOptionName);
  if (b.selectedColorOptionName === TF_NO_COLOR_MAP) actions.setColorColumn(-1);
  else if (color >= 0 && colorable(columns[color])) actions.setColorColumn(color);
  const label = columns.findIndex((c) => c.name === b.selectedLabelOption);
  if (label >= 0) actions.setViewOptions({ labelColumn: label });
  actions.select(bookmarkSelection(b));
  if (b.projectorCamera) viewHandle()?.setCamera(b.projectorCamera);
}

/** Captures the view on screen, coordinates included, as a new bookmark. */
export function addBookmark(label: string): void {
  const s = getState();
  if (!s.dataset || !s.layout) throw new Error('nothing on screen to bookmark');
  const columns = s.dataset.metadata?.columns ?? [];
  const camera = viewHandle()?.camera();
  const dim = s.projection.dim;
  if (s.projection.method === 'custom') throw new Error('bookmarks hold PCA, t-SNE and UMAP layouts; switch to one of those to bookmark this view');
  const b: Bookmark = {
    ...makeBookmark({
      label,
      method: s.projection.method as 'pca' | 'umap' | 'tsne',
      dim,
      positions: s.layout,
      vectorDim: s.dataset.d,
      pcaComponents: s.settings.pca.axes,
      selected: Array.from(s.selected),
      colorColumn: columns[s.colorColumn]?.name ?? null,
      labelColumn: columns[s.viewOptions.labelColumn]?.name ?? null,
      camera: dim === 2 ? TF_DEFAULT_CAMERA_2D : TF_DEFAULT_CAMERA_3D,
    }),
    ...(camera ? { projectorCamera: camera } : {}),
  };
  setState({ bookmarks: [...s.bookmarks, b] });
}

export function renameBookmark(i: number, label: string): void {
  setState({ bookmarks: getState().bookmarks.map((b, k) => (k === i ? { ...b, label } : b)) });
}

export function deleteBookmark(i: number): void {
  setState({ bookmarks: getState().bookmarks.filter((_, k) => k !== i) });
}

/** The bookmarks as TF writes them (a JSON array of states): TF's projector opens this file. */
export function bookmarksJson(): string {
  return writeBookmarks(getState().bookmarks);
}

/** Adds the bookmarks of a TF bookmarks file. */
export async function openBookmarksFile(file: File): Promise<void> {
  const s = getState();
  if (!s.dataset) throw new Error('load an embedding first');
  const added = parseBookmarks(await file.text(), file.name, s.dataset.n);
  setState({ bookmarks: [...getState().bookmarks, ...added] });
}
