/// <reference lib="webworker" />
/**
 * Thin entry: one helper thread of a layout job's pools (the neighbour search, then t-SNE's
 * repulsion or UMAP's epochs): serves each share it is handed, blocking between rounds, until
 * that pool closes; then takes the next.
 */
import { servePoolShare, type PoolShare } from '../reduce/pool-thread';

self.onmessage = (e: MessageEvent<PoolShare>) => {
  // Said before blocking: the coordinator must not block (Atomics.wait) until every helper runs,
  // or a browser that starts nested workers through the parent's thread never starts this one.
  self.postMessage('ready');
  servePoolShare(e.data);
};
