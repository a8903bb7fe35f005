/// <reference lib="webworker" />
/** Thin entry: holds the vectors of the dataset on screen and answers exact neighbour queries. */
import { nearestNeighbors } from '../reduce/knn/neighbors-exact';
import type { QueryReply, QueryRequest } from './messages';
import { isShared } from './shared-tensor';

const post = (msg: QueryReply, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

let held: { key: string; data: Float32Array; n: number; d: number } | null = null;

self.onmessage = (e: MessageEvent<QueryRequest>) => {
  const msg = e.data;
  if (msg.type === 'begin') {
    held = { key: msg.key, data: new Float32Array(0), n: msg.n, d: msg.d };
    return;
  }
  if (msg.type === 'chunk') {
    if (held?.key !== msg.key) return;
    // A whole shared tensor is read in place; slices of a copied one are gathered.
    if (msg.offset === 0 && msg.data.length === held.n * held.d && isShared(msg.data)) held.data = msg.data;
    else {
      if (held.data.length !== held.n * held.d) held.data = new Float32Array(held.n * held.d);
      held.data.set(msg.data, msg.offset);
    }
    return;
  }
  try {
    if (held?.key !== msg.key) throw new Error('the vectors of this dataset are not loaded in the query worker');
    const r = nearestNeighbors(held, msg.query, msg.k, msg.metric, msg.eligible);
    post({ type: 'neighbors', id: msg.id, indices: r.indices, distances: r.distances }, [r.indices.buffer, r.distances.buffer]);
  } catch (err) {
    post({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
  }
};
