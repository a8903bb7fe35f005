/**
 * Reading ahead during playback: the next title's data and layout are computed in the
 * background, so stepping to it only glides. Failures are left for the step itself to report.
 */
import { loadDataset } from './dataset-cache';
import { computeLayout } from './layout-cache';
import { getState } from './store';
import { alignBaseFor } from './title-chain';

export function prefetchTitle(title: number): void {
  const s = getState();
  const group = s.groups[s.group];
  const emb = group?.embeddings[title];
  if (!group || !emb) return;
  const c = { method: s.projection.method, dim: s.projection.dim, settings: s.settings, subset: s.isolated, background: true };
  void (async () => {
    const ds = await loadDataset(emb, () => undefined);
    const align = s.alignment ? alignBaseFor(group, title, c) : null;
    await computeLayout(ds, c.method, c.dim, c.settings, { onProgress: () => undefined, onLayout: () => undefined }, c.subset, align, true);
  })().catch(() => undefined);
}
