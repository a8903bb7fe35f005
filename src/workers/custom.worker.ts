/// <reference lib="webworker" />
/** Thin entry: TF's Custom projection (dot products with two mean-difference directions). */
import { customProjection } from '../reduce/custom-projection';
import type { CustomReply, CustomRequest, WorkerReply } from './messages';
import { errorReply } from './error-transfer';

const post = (msg: WorkerReply<CustomReply>, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

self.onmessage = (e: MessageEvent<CustomRequest>) => {
  try {
    const { data, n, d, left, right, down, up } = e.data;
    const positions = customProjection({ data, n, d }, left, right, down, up);
    post({ type: 'result', result: { positions } }, [positions.buffer]);
  } catch (err) {
    post(errorReply(err));
  }
};
