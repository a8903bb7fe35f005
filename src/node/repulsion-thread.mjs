// One helper thread of a layout's pool under Node (worker_threads): tsx compiles the TypeScript,
// as for the `projector` command run from the sources.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { servePoolShare } = await import('../reduce/pool-thread.ts');
servePoolShare(workerData);
