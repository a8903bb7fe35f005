/**
 * Aligned titles: an epoch series (titles of one group over the same points) is laid out as a
 * chain from its first title: each title starts from, and is fitted onto, the previous title's
 * aligned layout. A title's layout so depends only on the data, the parameters and the seed, never
 * on which titles the user visited first; every link is cached.
 */
import { loadDataset } from './dataset-cache';
import { computeLayout, type AlignBase, type LayoutListeners } from './layout-cache';
import type { Dim, LoadedGroup, Method, ProjectionSettings, ResolvedEmbedding } from './store';

const sourceName = (e: ResolvedEmbedding) => (e.tensor.kind === 'url' ? e.tensor.urls[0] : `file:${e.tensor.name}`);

/** Titles of the same points, as an epoch series is: one metadata file (or none) and one row count. */
function samePoints(a: ResolvedEmbedding, b: ResolvedEmbedding): boolean {
  const rows = a.shape && b.shape ? a.shape[0] === b.shape[0] : true;
  return rows && (a.metadata?.name ?? null) === (b.metadata?.name ?? null);
}

/** The previous title when it shows the same points, else null (the first title of a chain). */
export function previousInChain(group: LoadedGroup, title: number): ResolvedEmbedding | null {
  const e = group.embeddings;
  return title > 0 && samePoints(e[title - 1], e[title]) ? e[title - 1] : null;
}

/** Whether two titles of a group show the same points (a selection carries over between them). */
export function sameTitlePoints(group: LoadedGroup, a: number, b: number): boolean {
  const e = group.embeddings;
  return !!e[a] && !!e[b] && samePoints(e[a], e[b]);
}

/** Whether this title belongs to a chain of at least two titles. */
export function inChain(group: LoadedGroup, title: number): boolean {
  const e = group.embeddings;
  return (title > 0 && samePoints(e[title - 1], e[title])) || (title + 1 < e.length && samePoints(e[title], e[title + 1]));
}

export interface ChainContext {
  method: Method;
  dim: Dim;
  settings: ProjectionSettings;
  subset: Int32Array | null;
  /** Computing ahead (playback), not for the screen. */
  background: boolean;
  /** Progress of the earlier titles' layouts, named after the title. */
  onProgress?: (stage: string, fraction: number) => void;
}

/** The link to the previous title, or null for the first title of a chain. */
export function alignBaseFor(group: LoadedGroup, title: number, c: ChainContext): AlignBase | null {
  const e = group.embeddings;
  if (title <= 0 || !samePoints(e[title - 1], e[title])) return null;
  const prev = e[title - 1];
  return {
    key: e.slice(0, title).map(sourceName).join('>'),
    layout: async () => {
      const ds = await loadDataset(prev, () => undefined);
      const listeners: LayoutListeners = {
        onProgress: (stage, fraction) => c.onProgress?.(`aligning from ${prev.title}: ${stage}`, fraction),
        onLayout: (_positions, iteration, total) => c.onProgress?.(`aligning from ${prev.title}`, iteration / total),
      };
      return computeLayout(ds, c.method, c.dim, c.settings, listeners, c.subset, alignBaseFor(group, title - 1, c), c.background);
    },
  };
}
