/**
 * Runs one request in a fresh worker. A fresh worker per job makes cancelling exact: terminate()
 * stops the computation at once, and no late reply can reach a newer choice.
 */
import type { WorkerReply } from './messages';

export interface Progress {
  stage: string;
  loaded: number;
  total: number | null;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export interface WorkerJob<R, C = never> {
  promise: Promise<R>;
  cancel(): void;
  /** Sends a control message (pause, resume) to the running job. */
  control(message: C): void;
}

export interface JobListeners<P> {
  onProgress?: (p: Progress) => void;
  /** Intermediate results (streamed layouts), in order. */
  onPartial?: (partial: P) => void;
}

export function runWorkerJob<Q, R, P = never, C = never>(
  create: () => Worker,
  request: Q,
  transfer: Transferable[],
  listeners: JobListeners<P> = {},
): WorkerJob<R, C> {
  const worker = create();
  let settle: { resolve: (r: R) => void; reject: (e: Error) => void } | null = null;
  const promise = new Promise<R>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = (fn: (s: NonNullable<typeof settle>) => void) => {
    if (!settle) return;
    const s = settle;
    settle = null;
    worker.terminate();
    fn(s);
  };
  worker.onmessage = (e: MessageEvent<WorkerReply<R, P>>) => {
    if (!settle) return;
    const msg = e.data;
    if (msg.type === 'progress') listeners.onProgress?.(msg);
    else if (msg.type === 'partial') listeners.onPartial?.(msg.partial);
    else if (msg.type === 'result') finish((s) => s.resolve(msg.result));
    else finish((s) => s.reject(new Error(msg.message)));
  };
  worker.onerror = (e) => finish((s) => s.reject(new Error(e.message || 'worker failed to start')));
  worker.postMessage(request, transfer);
  return {
    promise,
    cancel: () => finish((s) => s.reject(new CancelledError())),
    control: (message) => {
      if (settle) worker.postMessage(message);
    },
  };
}
