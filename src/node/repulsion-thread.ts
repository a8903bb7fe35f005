/** One helper thread of a layout's pool under Node (worker_threads); bundled to dist-node/repulsion-thread.mjs. */
import { workerData } from 'node:worker_threads';
import { servePoolShare } from '../reduce/pool-thread';

servePoolShare(workerData);
