/// <reference lib="webworker" />
/** Thin entry: re-ranks one share of the rows of an approximate neighbour graph, then says so. */
import { rerankShare, type RerankShare } from '../reduce/knn/rerank-part';

self.onmessage = (e: MessageEvent<RerankShare>) => {
  try {
    rerankShare(e.data);
    self.postMessage({ ok: true });
  } catch (err) {
    self.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
};
