// A helper thread of t-SNE's repulsion pool for the unit tests (Node worker_threads): tsx compiles the TypeScript.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serveRepulsion } = await import('../../src/reduce/repulsion-pool.ts');
serveRepulsion(workerData);
