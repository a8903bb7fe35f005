/**
 * Runs one request in a worker of its own (fresh, or one a caller kept from a job that finished).
 * Cancelling ends the worker: terminate() stops the computation at once, and no late reply can
 * reach a newer choice.
 */
import { errorFromReply } from './error-transfer';
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

/** A job that sends nothing for this long (and is not paused) has stopped answering. */
let stallMs = 120_000;
export function setWorkerStallMs(ms: number): void {
  if (ms > 0) stallMs = ms;
}

/**
 * `keep`: given the worker once its job has succeeded, instead of ending it (a caller that reuses
 * its workers); a cancelled or failed job's worker is always ended.
 */
export function runWorkerJob<Q, R, P = never, C = never>(
  create: () => Worker,
  request: Q,
  transfer: Transferable[],
  listeners: JobListeners<P> = {},
  keep?: (worker: Worker) => void,
): WorkerJob<R, C> {
  const worker = create();
  let settle: { resolve: (r: R) => void; reject: (e: Error) => void } | null = null;
  const promise = new Promise<R>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The watchdog: a worker the browser killed, or one stuck, ends its job with a named error.
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let paused = false;
  const watch = () => {
    clearTimeout(watchdog);
    if (!paused) watchdog = setTimeout(() => finish((s) => s.reject(new Error(`a background worker stopped answering (nothing for ${Math.round(stallMs / 1000)} s): it may have run out of memory`))), stallMs);
  };
  const finish = (fn: (s: NonNullable<typeof settle>) => void, succeeded = false) => {
    if (!settle) return;
    const s = settle;
    settle = null;
    clearTimeout(watchdog);
    if (succeeded && keep) {
      worker.onmessage = null;
      worker.onmessageerror = null;
      worker.onerror = null;
      keep(worker);
    } else {
      worker.terminate();
    }
    fn(s);
  };
  worker.onmessage = (e: MessageEvent<WorkerReply<R, P>>) => {
    if (!settle) return;
    watch();
    const msg = e.data;
    if (msg.type === 'progress') listeners.onProgress?.(msg);
    else if (msg.type === 'partial') listeners.onPartial?.(msg.partial);
    else if (msg.type === 'result') finish((s) => s.resolve(msg.result), true);
    else finish((s) => s.reject(errorFromReply(msg)));
  };
  // A worker that fails to start, throws outside a job, or is stopped by the browser (out of
  // memory) ends the job with a named error; the dataset on screen stays.
  worker.onerror = (e) => {
    e.preventDefault?.();
    finish((s) => s.reject(new Error(`a background worker stopped: ${e.message || 'it failed to start or ran out of memory'}`)));
  };
  worker.onmessageerror = () => finish((s) => s.reject(new Error('a background worker\'s reply could not be read')));
  worker.postMessage(request, transfer);
  watch();
  return {
    promise,
    cancel: () => finish((s) => s.reject(new CancelledError())),
    control: (message) => {
      if (!settle) return;
      // A paused job is quiet on purpose.
      const m = message as { control?: string };
      if (m.control === 'pause' || m.control === 'resume') {
        paused = m.control === 'pause';
        watch();
      }
      worker.postMessage(message);
    },
  };
}
