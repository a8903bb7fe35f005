// One helper thread of t-SNE's repulsion pool under Node (worker_threads): tsx compiles the
// TypeScript, as for the `projector` command run from the sources.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serveRepulsion } = await import('../reduce/repulsion-pool.ts');
serveRepulsion(workerData);
