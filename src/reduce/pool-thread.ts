/** What a helper thread of either pool runs, whichever share it is handed. Pure and worker-safe. */
import { serveRepulsion, type RepulsionShare } from './tsne/repulsion-pool';
import { serveUmapEpochs, type UmapShare } from './umap/pool';

export type PoolShare = RepulsionShare | UmapShare;

/** Blocks, serving its pool, until the pool closes. */
export function servePoolShare(share: PoolShare): void {
  if (share.kind === 'umap-epochs') serveUmapEpochs(share);
  else serveRepulsion(share);
}
