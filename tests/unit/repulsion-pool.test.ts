/**
 * t-SNE's repulsion split over threads sharing memory: the forces equal the single-thread ones
 * exactly, whatever the number of threads; a layout is identical run to run for a seed and thread
 * count, and as good as the single-thread one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { knnExact } from '../../src/reduce/knn';
import { createRandom } from '../../src/reduce/random';
import { partRange, repulsionPool, type RepulsionPool } from '../../src/reduce/repulsion-pool';
import { SpaceTree } from '../../src/reduce/space-tree';
import { Tsne, type TsneParams } from '../../src/reduce/tsne';
import { tsneAffinities } from '../../src/reduce/tsne-affinities';
import { repulsiveForces } from '../../src/reduce/tsne-gradient';
import { readTsvTensor } from './reduce-fixtures';
import { threadedRepulsion } from '../../src/node/repulsion-threads';

const closers: (() => Promise<void>)[] = [];
/** A pool whose helpers are real threads (Node worker_threads). */
function threaded(n: number, dim: 2 | 3, theta: number, threads: number): RepulsionPool {
  const t = threadedRepulsion(n, dim, theta, threads)!;
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
  it('splits the tree positions into contiguous parts covering every point once', () => {
    for (const [n, parts] of [[10, 3], [7, 7], [1000, 4], [5, 1]] as const) {
      let next = 0;
      for (let p = 0; p < parts; p++) {
        const [from, to] = partRange(n, parts, p);
        expect(from).toBe(next);
        next = to;
      }
      expect(next).toBe(n);
    }
  });

  for (const dim of [2, 3] as const) {
    it(`${dim}D: three threads give exactly the single-thread forces, and Z up to rounding`, async () => {
      const n = 3000;
      const Y = cloud(n, dim, dim);
      const tree = new SpaceTree(dim);
      tree.build(Y, n);
      const serial = new Float64Array(n * dim);
      const Zserial = repulsiveForces(tree, 0.5, serial);
      const pool = threaded(n, dim, 0.5, 3);
      const Z = pool.start(Y).finish(tree);
      expect(Array.from(pool.out)).toEqual(Array.from(serial));
      expect(Math.abs(Z - Zserial) / Zserial).toBeLessThan(1e-12);
      // The next iteration (the same threads, a new layout) too.
      const Y2 = cloud(n, dim, 10 + dim);
      tree.build(Y2, n);
      const Z2serial = repulsiveForces(tree, 0.5, serial);
      const Z2 = pool.start(Y2).finish(tree);
      expect(Array.from(pool.out)).toEqual(Array.from(serial));
      expect(Math.abs(Z2 - Z2serial) / Z2serial).toBeLessThan(1e-12);
      pool.close();
    });
  }

  it('t-SNE on two threads: identical run to run, as good as on one', async () => {
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
    const a = runWith(threaded(t.n, 2, 0.5, 2));
    const b = runWith(threaded(t.n, 2, 0.5, 2));
    expect(Array.from(b.positions())).toEqual(Array.from(a.positions()));
    const kl1 = single.klDivergence();
    const kl2 = a.klDivergence();
    expect(Math.abs(kl2 - kl1) / kl1).toBeLessThan(0.02);
  });
});
