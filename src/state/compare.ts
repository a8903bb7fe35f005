/**
 * Side by side: a second title of the group (epoch-0 | epoch-4) in a second view with the same
 * projection, points, colours, selection and hover, and a linked camera. Its layout is the one the
 * title would have on its own screen (aligned when titles are), recomputed when the projection,
 * the isolated set or the alignment changes.
 */
import { loadDataset } from './dataset-cache';
import { computeLayout } from './layout-cache';
import { getState, setState, useProjector, type ProjectorState } from './store';
import { alignBaseFor, inChain } from './title-chain';

const quiet = { onProgress: () => undefined, onLayout: () => undefined };
let generation = 0;

const keyOf = (s: ProjectorState) =>
  [s.groups[s.group]?.name, s.projection.method, s.projection.dim, JSON.stringify(s.settings), s.isolated?.length ?? 'all', s.alignment].join('|');
let shownKey = '';

/** Shows this title beside the one on screen (null closes the second view). */
export async function compare(title: string | null): Promise<void> {
  const gen = ++generation;
  if (title === null) {
    setState({ compare: null });
    return;
  }
  const s = getState();
  const group = s.groups[s.group];
  const t = group?.embeddings.findIndex((e) => e.title === title) ?? -1;
  if (!group || t < 0) throw new Error(`no title named "${title}" in this group`);
  if (!s.dataset) throw new Error('load an embedding first');
  const ds = await loadDataset(group.embeddings[t], () => undefined);
  if (ds.n !== s.dataset.n) throw new Error(`"${title}" has ${ds.n} points, the title on screen ${s.dataset.n}: side by side needs the same points`);
  const c = { method: s.projection.method, dim: s.projection.dim, settings: s.settings, subset: s.isolated, background: true };
  const align = s.alignment && inChain(group, t) ? alignBaseFor(group, t, c) : null;
  const layout = await computeLayout(ds, c.method, c.dim, c.settings, quiet, c.subset, align, true);
  if (gen !== generation) return;
  shownKey = keyOf(s);
  setState({ compare: { title, layout, version: (getState().compare?.version ?? 0) + 1 } });
}

// Another projection, isolation or alignment: the second view follows; another group closes it.
useProjector.subscribe((s, prev) => {
  if (!s.compare || s.status !== 'ready') return;
  if (s.groups[s.group]?.name !== prev.groups[prev.group]?.name && prev.status === 'ready') {
    setState({ compare: null });
    return;
  }
  if (keyOf(s) !== shownKey) {
    shownKey = keyOf(s);
    compare(s.compare.title).catch(() => setState({ compare: null }));
  }
});
