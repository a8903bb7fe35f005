/// <reference lib="webworker" />
/** Thin entry: the "neighbour change" column between two titles of the same points. */
import { neighbourChange } from '../reduce/neighbour-change';
import type { ChangeReply, ChangeRequest, WorkerReply } from './messages';
import { errorReply } from './error-transfer';

const post = (msg: WorkerReply<ChangeReply>, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

self.onmessage = (e: MessageEvent<ChangeRequest>) => {
  try {
    const { prev, prevD, cur, curD, n, metric } = e.data;
    const change = neighbourChange({ data: prev, n, d: prevD }, { data: cur, n, d: curD }, metric);
    post({ type: 'result', result: { change } }, [change.buffer]);
  } catch (err) {
    post(errorReply(err));
  }
};
