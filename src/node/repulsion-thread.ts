/**
 * One helper thread of the pools under Node (worker_threads); bundled to dist-node/repulsion-thread.mjs.
 * It serves one share after another, as ./repulsion-threads hands them over, so that a run's
 * later pools (the search's, then the layout's) and later runs meet code that is already compiled.
 */
import { parentPort } from 'node:worker_threads';
import { servePoolShare, type PoolShare } from '../reduce/pool-thread';

const port = parentPort;
if (port) {
  port.on('message', (share: PoolShare) => {
    // Said before blocking: the coordinator's rounds start once every helper serves.
    port.postMessage('ready');
    servePoolShare(share);
    port.postMessage('done');
  });
}
