/** What a helper thread of any pool runs, whichever share it is handed. Pure and worker-safe. */
import { serveRepulsion, type RepulsionShare } from './tsne/repulsion-pool';
import { serveUmapEpochs, type UmapShare } from './umap/pool';
import { serveKnnSearch, type KnnSearchShare } from './knn/approx/search-pool';
import { serveAffinities, type AffinityShare } from './tsne/affinity-pool';

export type PoolShare = RepulsionShare | UmapShare | KnnSearchShare | AffinityShare;

/** Blocks, serving its pool, until the pool closes. */
export function servePoolShare(share: PoolShare): void {
  if (share.kind === 'umap-epochs') serveUmapEpochs(share);
  else if (share.kind === 'knn-search') serveKnnSearch(share);
  else if (share.kind === 'affinities') serveAffinities(share);
  else serveRepulsion(share);
}
