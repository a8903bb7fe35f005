/**
 * t-SNE's repulsion split over threads that share memory (SharedArrayBuffer + Atomics). Pure and
 * worker-safe: the caller starts the helper threads (Web Workers, worker_threads) and hands each
 * one its RepulsionShare; each helper then runs serveRepulsion until the pool closes.
 *
 * Every iteration the coordinator copies Y into shared memory and bumps a generation counter;
 * each thread builds the same space tree from the same Y and sums the forces of its own range of
 * tree positions into the shared output, then reports its share of Z. A point's force does not
 * depend on the split, so the forces are identical for any number of threads; Z is summed over
 * the parts in part order, so a layout is the same for a given seed and thread count (the last
 * bits of Z, and so of the layout, may differ between thread counts).
 */
import { SpaceTree } from './space-tree';
import { repulsiveForces, type Repulsion } from './tsne-gradient';

/** What a helper needs (structured-cloneable): the shared buffers and which part is its own. */
export interface RepulsionShare {
  n: number;
  dim: 2 | 3;
  theta: number;
  parts: number;
  part: number;
  /** Int32 [generation, parts done, stop]. */
  control: SharedArrayBuffer;
  /** Float64 n x dim: this iteration's layout. */
  Y: SharedArrayBuffer;
  /** Float64 n x dim: the repulsive forces, every part writing its own rows. */
  out: SharedArrayBuffer;
  /** Float64 per part: its share of Z. */
  z: SharedArrayBuffer;
}

export interface RepulsionPool extends Repulsion {
  readonly parts: number;
  /** The shared repulsive forces (n x dim): the optimizer's scratch. */
  readonly out: Float64Array;
  /** One share per helper thread (parts - 1 of them; part 0 is the coordinator's). */
  shares(): RepulsionShare[];
  /** Ends every helper's loop. */
  close(): void;
}

const GENERATION = 0;
const DONE = 1;
const STOP = 2;
/** A helper that has not answered within this long is taken for dead (the job then fails, named). */
const HELPER_TIMEOUT_MS = 60_000;

/** Tree positions [from, to) of one part: equal counts of points. */
export function partRange(n: number, parts: number, part: number): [number, number] {
  return [Math.floor((part * n) / parts), Math.floor(((part + 1) * n) / parts)];
}

const shared = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));

export function repulsionPool(n: number, dim: 2 | 3, theta: number, parts: number): RepulsionPool {
  if (!(parts >= 1) || !Number.isInteger(parts)) throw new RangeError(`repulsion pool: parts must be a positive integer, got ${parts}`);
  const control = shared(12);
  const ctl = new Int32Array(control);
  const Y = new Float64Array(shared(n * dim * 8));
  const out = new Float64Array(shared(n * dim * 8));
  const z = new Float64Array(shared(parts * 8));
  const [from, to] = partRange(n, parts, 0);
  return {
    parts,
    out,
    shares: () =>
      Array.from({ length: parts - 1 }, (_, h) => ({ n, dim, theta, parts, part: h + 1, control, Y: Y.buffer as SharedArrayBuffer, out: out.buffer as SharedArrayBuffer, z: z.buffer as SharedArrayBuffer })),
    start(layout: Float64Array) {
      Y.set(layout.subarray(0, n * dim));
      Atomics.store(ctl, DONE, 0);
      Atomics.add(ctl, GENERATION, 1);
      Atomics.notify(ctl, GENERATION);
      return {
        finish(tree: SpaceTree): number {
          let Z = repulsiveForces(tree, theta, out, from, to);
          for (;;) {
            const done = Atomics.load(ctl, DONE);
            if (done >= parts - 1) break;
            if (Atomics.wait(ctl, DONE, done, HELPER_TIMEOUT_MS) === 'timed-out') {
              throw new Error(`t-SNE: a helper thread stopped answering (${done} of ${parts - 1} done)`);
            }
          }
          for (let p = 1; p < parts; p++) Z += z[p];
          return Z;
        },
      };
    },
    close() {
      Atomics.store(ctl, STOP, 1);
      Atomics.add(ctl, GENERATION, 1);
      Atomics.notify(ctl, GENERATION);
    },
  };
}

/** A helper thread's loop: blocks between iterations, returns once the pool closes. */
export function serveRepulsion(share: RepulsionShare): void {
  const ctl = new Int32Array(share.control);
  const Y = new Float64Array(share.Y);
  const out = new Float64Array(share.out);
  const z = new Float64Array(share.z);
  const tree = new SpaceTree(share.dim);
  const [from, to] = partRange(share.n, share.parts, share.part);
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, GENERATION, seen);
    seen = Atomics.load(ctl, GENERATION);
    if (Atomics.load(ctl, STOP)) return;
    tree.build(Y, share.n);
    z[share.part] = repulsiveForces(tree, share.theta, out, from, to);
    Atomics.add(ctl, DONE, 1);
    Atomics.notify(ctl, DONE);
  }
}
