/**
 * Node's helper threads (src/node/repulsion-threads.ts) are kept from one pool to the next: a
 * second search starts no thread, its graph is still the one-thread graph, and a thread whose
 * share fails reports the failure and is not handed out again.
 */
import { describe, expect, it } from 'vitest';
import { endIdleThreads, poolThreadCounts, startPoolThreads, threadedKnnGraph } from '../../src/node/repulsion-threads';
import { knnGraph } from '../../src/reduce/knn/knn';
import type { PoolShare } from '../../src/reduce/pool-thread';
import { readTsvTensor } from './reduce-fixtures';

describe('pool helper threads', () => {
  const t = readTsvTensor('public/data/mnist-2k/tensors.tsv');

  it('serve one search after another without starting new threads', async () => {
    await endIdleThreads();
    const before = poolThreadCounts().started;
    for (const k of [15, 40]) {
      const threaded = await threadedKnnGraph(t, k, 'cosine', { seed: 3, exactBelow: 0 }, 2);
      const one = knnGraph(t, k, 'cosine', { seed: 3, exactBelow: 0 });
      expect(Buffer.from(threaded.indices.buffer).equals(Buffer.from(one.indices.buffer))).toBe(true);
      expect(poolThreadCounts()).toEqual({ started: before + 1, idle: 1 });
    }
  }, 60_000);

  it('report a failed share and end that thread', async () => {
    const before = poolThreadCounts();
    const bad = { kind: 'knn-search', part: 1, parts: 2, sizes: {}, buffers: {} } as unknown as PoolShare;
    const stop = await startPoolThreads([bad]);
    await expect(stop()).rejects.toThrow();
    // The idle thread took the bad share and was ended, not put back.
    expect(poolThreadCounts().idle).toBe(before.idle - 1);
    const again = await threadedKnnGraph(t, 15, 'cosine', { seed: 3, exactBelow: 0 }, 2);
    expect(again.k).toBe(15);
    expect(poolThreadCounts()).toEqual({ started: before.started + 1, idle: 1 });
  }, 60_000);
});
