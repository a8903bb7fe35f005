/**
 * t-SNE's repulsion split over threads sharing memory: the forces and Z equal the single-thread
 * ones exactly, whatever the number of threads, with the tree one helper builds and shares or
 * (when it is not ready, or does not fit the room reserved) one built by the thread itself, and so
 * does the whole layout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { knnExact } from '../../src/reduce/knn/knn';
import { createRandom } from '../../src/reduce/random';
import { repulsionPool, type RepulsionPool } from '../../src/reduce/tsne/repulsion-pool';
import { SpaceTree } from '../../src/reduce/tsne/space-tree';
import { Tsne, type TsneParams } from '../../src/reduce/tsne/tsne';
import { tsneAffinities } from '../../src/reduce/tsne/affinities';
import { repulsiveForces } from '../../src/reduce/tsne/gradient';
import { readTsvTensor } from './reduce-fixtures';
import { threadedRepulsion } from '../../src/node/repulsion-threads';

const closers: (() => Promise<void>)[] = [];
/** A pool whose helpers are real threads (Node worker_threads). */
function threaded(n: number, dim: 2 | 3, theta: number, threads: number, maxNodes?: number): RepulsionPool {
  const t = threadedRepulsion(n, dim, theta, threads, maxNodes)!;
  closers.push(t.close);
  return t.pool;
}
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function cloud(n: number, dim: 2 | 3, seed: number): Float64Array {
  const rng = createRandom(seed);
  const Y = new Float64Array(n * dim);
  for (let e = 0; e < Y.length; e++) Y[e] = rng.gaussian() * (e % 7 === 0 ? 3 : 1);
  return Y;
}

describe('repulsion pool', () => {
  for (const dim of [2, 3] as const) {
    for (const [what, maxNodes] of [['a shared tree', undefined], ['a tree per thread (no room to share)', 8]] as const) {
      it(`${dim}D, ${what}: three threads give exactly the single-thread forces and Z`, async () => {
        const n = 3000;
        const Y = cloud(n, dim, dim);
        const tree = new SpaceTree(dim);
        tree.build(Y, n);
        const serial = new Float64Array(n * dim);
        const Zserial = repulsiveForces(tree, 0.5, serial);
        const pool = threaded(n, dim, 0.5, 3, maxNodes);
        const mine = new SpaceTree(dim);
        const r = pool.start(Y).finish(mine, Y);
        expect(Array.from(pool.out)).toEqual(Array.from(serial));
        expect(r.Z).toBe(Zserial);
        // The tree it walked (the shared one if ready, else its own) is the one this thread would have built.
        if (maxNodes !== undefined) expect(r.tree).toBe(mine);
        expect(Array.from(r.tree.perm.subarray(0, n))).toEqual(Array.from(tree.perm.subarray(0, n)));
        expect(r.tree.leafCount).toBe(tree.leafCount);
        // The next iteration (the same threads, a new layout) too.
        const Y2 = cloud(n, dim, 10 + dim);
        tree.build(Y2, n);
        const Z2serial = repulsiveForces(tree, 0.5, serial);
        const r2 = pool.start(Y2).finish(mine, Y2);
        expect(Array.from(pool.out)).toEqual(Array.from(serial));
        expect(r2.Z).toBe(Z2serial);
        pool.close();
      });
    }
  }

  it('t-SNE on one, two or three threads: the identical layout', async () => {
    const digits = readTsvTensor('public/data/sklearn-digits-8x8/tensors.tsv');
    const t = { data: digits.data.slice(0, 800 * digits.d), n: 800, d: digits.d };
    const P = tsneAffinities(knnExact(t, 90, 'euclidean'), 30);
    const params: TsneParams = { dim: 2, perplexity: 30, learningRate: 'auto', iterations: 400, theta: 0.5, seed: 5 };
    const runWith = (pool?: RepulsionPool) => {
      const tsne = new Tsne(P, { ...params, repulsion: pool });
      while (!tsne.done) tsne.step();
      pool?.close();
      return tsne;
    };
    const single = runWith();
    const onePart = runWith(repulsionPool(t.n, 2, 0.5, 1));
    expect(Array.from(onePart.positions())).toEqual(Array.from(single.positions()));
    const two = runWith(threaded(t.n, 2, 0.5, 2));
    expect(Array.from(two.positions())).toEqual(Array.from(single.positions()));
    const three = runWith(threaded(t.n, 2, 0.5, 3));
    expect(Array.from(three.positions())).toEqual(Array.from(single.positions()));
    const unshared = runWith(threaded(t.n, 2, 0.5, 2, 8));
    expect(Array.from(unshared.positions())).toEqual(Array.from(single.positions()));
  });
});
