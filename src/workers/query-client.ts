/**
 * Main-thread side of the query worker: one long-lived worker, so a dataset's vectors cross once
 * (in slices, each copy short, with the event loop free between them), not once per query.
 */
import type { Metric } from '../reduce/knn/knn';
import type { QueryReply, QueryRequest } from './messages';
import { isShared } from './shared-tensor';

/** Floats per chunk: a copy of 16 MB takes a few ms. */
const CHUNK = 4 << 20;

export interface NeighborList {
  indices: Int32Array;
  distances: Float32Array;
}

interface Data {
  key: string;
  vectors: Float32Array;
  n: number;
  d: number;
}

let worker: Worker | null = null;
let loaded: string | null = null;
let loading: Promise<void> | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (r: NeighborList) => void; reject: (e: Error) => void }>();

function failAll(message: string): void {
  for (const p of pending.values()) p.reject(new Error(message));
  pending.clear();
  worker?.terminate();
  worker = null;
  loaded = null;
  loading = null;
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./query.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<QueryReply>) => {
    const msg = e.data;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.type === 'error') p.reject(new Error(msg.message));
    else p.resolve({ indices: msg.indices, distances: msg.distances });
  };
  w.onerror = (e) => failAll(`the neighbour search stopped: ${e.message || 'worker failed'}`);
  worker = w;
  return w;
}

const send = (w: Worker, msg: QueryRequest, transfer: Transferable[] = []) => w.postMessage(msg, transfer);
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function ensureLoaded(data: Data): Promise<void> {
  if (loaded === data.key) return;
  if (loading) {
    await loading.catch(() => undefined);
    if (loaded === data.key) return;
  }
  const w = getWorker();
  loading = (async () => {
    loaded = null;
    send(w, { type: 'begin', key: data.key, n: data.n, d: data.d });
    const total = data.n * data.d;
    if (isShared(data.vectors)) {
      // Shared memory: the worker reads the page's vectors, nothing is copied.
      send(w, { type: 'chunk', key: data.key, offset: 0, data: data.vectors });
      loaded = data.key;
      return;
    }
    for (let offset = 0; offset < total; offset += CHUNK) {
      const chunk = data.vectors.slice(offset, Math.min(total, offset + CHUNK));
      send(w, { type: 'chunk', key: data.key, offset, data: chunk }, [chunk.buffer]);
      if (offset + CHUNK < total) await nextTask();
    }
    loaded = data.key;
  })();
  try {
    await loading;
  } finally {
    loading = null;
  }
}

/** The exact k nearest rows to `query` among the eligible ones (all when null), nearest first. */
export async function neighborsInWorker(data: Data, query: number, k: number, metric: Metric, eligible: Uint8Array | null): Promise<NeighborList> {
  await ensureLoaded(data);
  const w = getWorker();
  const id = nextId++;
  return new Promise<NeighborList>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    send(w, { type: 'neighbors', id, key: data.key, query, k, metric, eligible: eligible && eligible.slice() });
  });
}
