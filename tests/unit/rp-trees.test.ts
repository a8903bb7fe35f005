import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TreeScratch, buildSubtree, leafStarts, splitNode, treeNode } from '../../src/reduce/knn/approx/rp-trees';
import { createRandom } from '../../src/reduce/random';

describe('createRandom with skip', () => {
  it('starts where the generator would be after that many draws', () => {
    for (const skip of [0, 1, 2, 7, 1000, 123457]) {
      const a = createRandom(99);
      for (let i = 0; i < skip; i++) a.next();
      const b = createRandom(99, skip);
      for (let i = 0; i < 5; i++) expect(b.next()).toBe(a.next());
    }
  });
});

describe('random-projection trees built in pieces', () => {
  it('give the same leaves, bit for bit, as one build, whatever order the pieces run in', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 4 }), fc.integer(), fc.boolean(),
        (n, leafSize, levels, seed, reversed) => {
          const m = 3;
          const X = new Float64Array(n * m);
          const rng = createRandom(seed ^ 0x5bd1e995);
          // Few distinct values: many ties at the medians.
          for (let i = 0; i < X.length; i++) X[i] = Math.floor(rng.next() * 5);
          // One build on one thread: the whole tree from its root, its generator from the start.
          const wholePerm = Int32Array.from({ length: n }, (_, i) => i);
          buildSubtree(X, m, wholePerm, { start: 0, end: n, draws: 0 }, leafSize, seed, new TreeScratch(n, m));
          const wholeStarts = new Int32Array(n + 1);
          const leaves = leafStarts(n, leafSize, wholeStarts);

          const perm = Int32Array.from({ length: n }, (_, i) => i);
          const scratch = new TreeScratch(n, m);
          for (let level = 0; level < levels; level++) {
            const items = Array.from({ length: 1 << level }, (_, b) => b);
            if (reversed) items.reverse();
            for (const b of items) {
              const node = treeNode(n, leafSize, level, b);
              if (node) splitNode(X, m, perm, node, leafSize, seed, scratch);
            }
          }
          const items = Array.from({ length: 1 << levels }, (_, b) => b);
          if (reversed) items.reverse();
          for (const b of items) {
            const node = treeNode(n, leafSize, levels, b);
            if (node) buildSubtree(X, m, perm, node, leafSize, seed, scratch);
          }
          const starts = new Int32Array(n + 1);
          expect(leafStarts(n, leafSize, starts)).toBe(leaves);
          expect(Array.from(starts)).toEqual(Array.from(wholeStarts));
          expect(Array.from(perm)).toEqual(Array.from(wholePerm));
          // Every row lands in exactly one leaf of at most leafSize rows.
          expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
          for (let l = 0; l < leaves; l++) expect(starts[l + 1] - starts[l]).toBeLessThanOrEqual(leafSize);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});
