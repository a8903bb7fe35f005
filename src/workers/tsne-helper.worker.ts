/// <reference lib="webworker" />
/** Thin entry: one helper thread of t-SNE's repulsion pool; blocks between iterations until closed. */
import { serveRepulsion, type RepulsionShare } from '../reduce/repulsion-pool';

self.onmessage = (e: MessageEvent<RepulsionShare>) => {
  // Said before blocking: the coordinator must not block (Atomics.wait) until every helper runs,
  // or a browser that starts nested workers through the parent's thread never starts this one.
  self.postMessage('ready');
  serveRepulsion(e.data);
  self.close();
};
