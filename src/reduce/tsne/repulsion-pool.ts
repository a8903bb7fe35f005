/**
 * t-SNE's repulsion split over threads that share memory (SharedArrayBuffer + Atomics). Pure and
 * worker-safe: the caller starts the helper threads (Web Workers, worker_threads) and hands each
 * one its RepulsionShare; each helper then runs serveRepulsion until the pool closes.
 *
 * Every iteration the coordinator copies Y into shared memory and bumps a generation counter;
 * each thread builds the same space tree from the same Y, then takes chunks of its leaves from
 * a shared counter until none are left (so a thread that started late or runs slower simply does
 * fewer), writing each point's force and its term of Z. A point's force and term do not depend on
 * who computes them, and Z is added up in tree order once all are in, exactly as one thread does:
 * the forces, Z and so the whole layout are identical for any number of threads.
 */
import { SpaceTree } from './space-tree';
import { repulsiveForces, type Repulsion } from './gradient';
import { awaitHelpers, serveRounds, startRound, stopHelpers } from '../pool-rounds';

/** What a helper needs (structured-cloneable): the shared buffers. */
export interface RepulsionShare {
  kind: 'repulsion';
  n: number;
  dim: 2 | 3;
  theta: number;
  /** Int32 [generation, helpers done, stop, next chunk start]. */
  control: SharedArrayBuffer;
  /** Float64 n x dim: this iteration's layout. */
  Y: SharedArrayBuffer;
  /** Float64 n x dim: the repulsive forces. */
  out: SharedArrayBuffer;
  /** Float64 n: each tree position's term of Z. */
  z: SharedArrayBuffer;
}

export interface RepulsionPool extends Repulsion {
  /** Threads, the coordinator's included. */
  readonly parts: number;
  /** The shared repulsive forces (n x dim): the optimizer's scratch. */
  readonly out: Float64Array;
  /** One share per helper thread (parts - 1 of them). */
  shares(): RepulsionShare[];
  /** Ends every helper's loop. */
  close(): void;
}

/** Control index 3 (after ../pool-rounds' three): the next chunk's first leaf (tree order). */
const NEXT = 3;
/** Leaves taken at a time (~100-250 points): small enough to balance, large enough that the counter is cold. */
const CHUNK = 16;

const shared = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));

/** Takes chunks of leaves until none are left. */
function work(ctl: Int32Array, tree: SpaceTree, theta: number, out: Float64Array, z: Float64Array): void {
  const leaves = tree.leafCount;
  for (;;) {
    const from = Atomics.add(ctl, NEXT, CHUNK);
    if (from >= leaves) return;
    repulsiveForces(tree, theta, out, from, Math.min(leaves, from + CHUNK), z);
  }
}

export function repulsionPool(n: number, dim: 2 | 3, theta: number, parts: number): RepulsionPool {
  if (!(parts >= 1) || !Number.isInteger(parts)) throw new RangeError(`repulsion pool: parts must be a positive integer, got ${parts}`);
  const control = shared(16);
  const ctl = new Int32Array(control);
  const Y = new Float64Array(shared(n * dim * 8));
  const out = new Float64Array(shared(n * dim * 8));
  const z = new Float64Array(shared(n * 8));
  return {
    parts,
    out,
    shares: () =>
      Array.from({ length: parts - 1 }, () => ({ kind: 'repulsion' as const, n, dim, theta, control, Y: Y.buffer as SharedArrayBuffer, out: out.buffer as SharedArrayBuffer, z: z.buffer as SharedArrayBuffer })),
    start(layout: Float64Array) {
      Y.set(layout.subarray(0, n * dim));
      Atomics.store(ctl, NEXT, 0);
      startRound(ctl);
      return {
        finish(tree: SpaceTree): number {
          work(ctl, tree, theta, out, z);
          awaitHelpers(ctl, parts - 1, 't-SNE');
          // In tree order, as repulsiveForces sums it on one thread.
          let Z = 0;
          for (let s = 0; s < n; s++) Z += z[s];
          return Z;
        },
      };
    },
    close: () => stopHelpers(ctl),
  };
}

/** A helper thread's loop: blocks between iterations, returns once the pool closes. */
export function serveRepulsion(share: RepulsionShare): void {
  const ctl = new Int32Array(share.control);
  const Y = new Float64Array(share.Y);
  const out = new Float64Array(share.out);
  const z = new Float64Array(share.z);
  const tree = new SpaceTree(share.dim);
  serveRounds(ctl, () => {
    tree.build(Y, share.n);
    work(ctl, tree, share.theta, out, z);
  });
}
