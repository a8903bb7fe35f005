/** One helper thread of a pool under Node (worker_threads); bundled to dist-node/repulsion-thread.mjs. */
import { parentPort, workerData } from 'node:worker_threads';
import { servePoolShare } from '../reduce/pool-thread';

// Said before blocking, once the code is loaded: the coordinator's rounds then start on warm threads.
parentPort?.postMessage('ready');
servePoolShare(workerData);
