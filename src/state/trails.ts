/**
 * Trails need every title's layout of the group on screen (same method, dimensions, settings,
 * isolated set and alignment). While trails are on, they are computed in the background, in title
 * order (an aligned chain reuses each link), and kept in the store.
 */
import { loadDataset } from './dataset-cache';
import { computeLayout } from './layout-cache';
import { getState, setState, useProjector, type ProjectorState } from './store';
import { alignBaseFor, inChain } from './title-chain';

const keyOf = (s: ProjectorState) =>
  [s.group, s.groups[s.group]?.name, s.projection.method, s.projection.dim, JSON.stringify(s.settings), s.isolated?.length ?? 'all', s.alignment, s.layoutVersion > 0].join('|');

let wanted = '';

async function compute(key: string): Promise<void> {
  const s = getState();
  const group = s.groups[s.group];
  if (!group || !inChain(group, s.title)) return setState({ trailLayouts: null });
  const c = { method: s.projection.method, dim: s.projection.dim, settings: s.settings, subset: s.isolated, background: true };
  const quiet = { onProgress: () => undefined, onLayout: () => undefined };
  const layouts: Float32Array[] = [];
  for (let t = 0; t < group.embeddings.length; t++) {
    const ds = await loadDataset(group.embeddings[t], () => undefined);
    if (ds.n !== s.dataset?.n) return setState({ trailLayouts: null });
    layouts.push(await computeLayout(ds, c.method, c.dim, c.settings, quiet, c.subset, s.alignment ? alignBaseFor(group, t, c) : null, true));
    if (wanted !== key) return;
  }
  if (wanted === key) setState({ trailLayouts: layouts });
}

useProjector.subscribe((s) => {
  if (!s.viewOptions.trails || !s.dataset || s.status !== 'ready') {
    if (!s.viewOptions.trails && s.trailLayouts) setState({ trailLayouts: null });
    if (!s.viewOptions.trails) wanted = '';
    return;
  }
  const key = keyOf(s);
  if (key === wanted) return;
  wanted = key;
  setState({ trailLayouts: null });
  compute(key).catch(() => {
    if (wanted === key) wanted = '';
  });
});
