/** What a helper thread of any pool runs, whichever share it is handed. Pure and worker-safe. */
import { serveRepulsion, type RepulsionShare } from './tsne/repulsion-pool';
import { serveUmapEpochs, type UmapShare } from './umap/pool';
import { serveKnnSearch, type KnnSearchShare } from './knn/search-pool';

export type PoolShare = RepulsionShare | UmapShare | KnnSearchShare;

/** Blocks, serving its pool, until the pool closes. */
export function servePoolShare(share: PoolShare): void {
  if (share.kind === 'umap-epochs') serveUmapEpochs(share);
  else if (share.kind === 'knn-search') serveKnnSearch(share);
  else serveRepulsion(share);
}
