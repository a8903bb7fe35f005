/// <reference lib="webworker" />
/** Thin entry: holds the vectors of the dataset on screen and answers exact neighbour queries. */
import { nearestNeighbors } from '../reduce/neighbors-exact';
import type { QueryReply, QueryRequest } from './messages';

const post = (msg: QueryReply, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

let held: { key: string; data: Float32Array; n: number; d: number } | null = null;

self.onmessage = (e: MessageEvent<QueryRequest>) => {
  const msg = e.data;
  if (msg.type === 'begin') {
    held = { key: msg.key, data: new Float32Array(msg.n * msg.d), n: msg.n, d: msg.d };
    return;
  }
  if (msg.type === 'chunk') {
    if (held?.key === msg.key) held.data.set(msg.data, msg.offset);
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
