import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OfferSink, applyStripe, clearHeap, push, type Heap, type PairBuffer } from '../../src/reduce/knn/approx/descent';
import { StripeSets } from '../../src/reduce/knn/approx/stripe-sets';

function heapOf(n: number, K: number): Heap {
  const h: Heap = { dist: new Float32Array(n * K), idx: new Int32Array(n * K), flag: new Uint8Array(n * K), root: new Float32Array(n) };
  clearHeap(h);
  return h;
}

const copy = (h: Heap): Heap => ({ dist: h.dist.slice(), idx: h.idx.slice(), flag: h.flag.slice(), root: h.root.slice() });

describe('applyStripe with hashed repeat checks', () => {
  it('leaves every heap exactly as pushing each offer with its scan of the row does', () => {
    // Few rows and few ids: most offers repeat a held neighbour, and the hash sets' probe runs
    // collide and shift back on removal (the case a scan cannot get wrong).
    const offers = fc.array(fc.tuple(fc.nat(11), fc.nat(40), fc.integer({ min: 0, max: 30 })), { minLength: 1, maxLength: 600 });
    fc.assert(
      fc.property(offers, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 3 }), (list, K, chunks) => {
        const n = 12;
        const stripes = 3;
        const stripeRows = 4;
        const capacity = 2 * list.length;
        const buf: PairBuffer = {
          row: new Int32Array(chunks * capacity), other: new Int32Array(chunks * capacity), key: new Float32Array(chunks * capacity),
          offsets: new Int32Array(chunks * (stripes + 1)), capacity, stripes, stripeRows,
        };
        const sink = new OfferSink(buf);
        const cut = Math.ceil(list.length / chunks);
        const rootless = new Float32Array(n).fill(Infinity);
        for (let c = 0; c < chunks; c++) {
          for (const [row, other, key] of list.slice(c * cut, (c + 1) * cut)) {
            const q = other % n;
            if (q !== row) sink.pair(rootless, row, q, key / 4);
          }
          sink.flush(c);
        }
        const start = heapOf(n, K);
        const expected = copy(start);
        const got = copy(start);
        const sets = new StripeSets(stripeRows, K);
        let expectedUpdates = 0;
        let updates = 0;
        for (let s = 0; s < stripes; s++) {
          for (let c = 0; c < chunks; c++) {
            for (let e = buf.offsets[c * (stripes + 1) + s]; e < buf.offsets[c * (stripes + 1) + s + 1]; e++) {
              expectedUpdates += push(expected, buf.row[e], K, buf.key[e], buf.other[e], 1);
            }
          }
          updates += applyStripe(got, K, buf, chunks, s, sets);
        }
        expect(updates).toBe(expectedUpdates);
        expect(Array.from(got.idx)).toEqual(Array.from(expected.idx));
        expect(Array.from(got.dist)).toEqual(Array.from(expected.dist));
        expect(Array.from(got.flag)).toEqual(Array.from(expected.flag));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('StripeSets', () => {
  it('answers membership as a set does through any run of replacements', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(200), { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 16 }), (ids, K) => {
        const idx = new Int32Array(K).fill(-1);
        const sets = new StripeSets(1, K);
        sets.begin();
        const held = new Set<number>();
        for (const j of ids) {
          expect(sets.has(0, idx, 0, K, j)).toBe(held.has(j));
          if (held.has(j)) continue;
          // Replace the slot j hashes to, as a heap replaces its root.
          const slot = j % K;
          const out = idx[slot];
          sets.replace(0, out, j);
          held.delete(out);
          held.add(j);
          idx[slot] = j;
        }
        for (let j = 0; j <= 200; j++) expect(sets.has(0, idx, 0, K, j)).toBe(held.has(j));
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
