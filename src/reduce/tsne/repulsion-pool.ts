/**
 * t-SNE's repulsion split over threads that share memory (SharedArrayBuffer + Atomics). Pure and
 * worker-safe: the caller starts the helper threads (Web Workers, worker_threads) and hands each
 * one its RepulsionShare; each helper then runs serveRepulsion until the pool closes.
 *
 * Every iteration the coordinator copies Y into shared memory and bumps a generation counter.
 * The first helper builds the space tree over Y while the coordinator computes the attraction, and
 * copies it into shared memory (a few hundred KB at 10,000 points) for the other threads to walk;
 * a thread that finds it not ready yet (or too big for the room reserved: heaps of duplicate
 * points) builds its own from the same Y, the same tree. Then every thread takes chunks of the
 * tree's leaves from a shared counter until none are left (so a thread that started late or runs
 * slower simply does fewer), writing each point's force and its term of Z. A point's force and term do not depend on who
 * computes them, and Z is added up in tree order once all are in, exactly as one thread does: the
 * forces, Z and so the whole layout are identical for any number of threads.
 */
import { NODE_INTS, nodeFloats, SpaceTree, type TreeArrays } from './space-tree';
import { repulsiveForces, type Repulsion } from './gradient';
import { awaitHelpers, serveRounds, startRound, stopHelpers } from '../pool-rounds';
import { sharedBuffer } from '../shared-memory';

/** What a helper needs (structured-cloneable): the shared buffers. */
export interface RepulsionShare {
  kind: 'repulsion';
  n: number;
  dim: 2 | 3;
  theta: number;
  /** Int32 [generation, helpers done, stop, next chunk start, tree state, node count, leaf count]. */
  control: SharedArrayBuffer;
  /** 0: this helper builds and shares each iteration's tree; others walk the shared one. */
  index: number;
  /** The shared tree's arrays, room for maxNodes nodes. */
  tree: TreeBuffers;
  maxNodes: number;
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
/** Control index 4: this iteration's tree is not built yet (0), shared (1), or too big to share (2); 5, 6: its node and leaf counts. */
const TREE = 4;
const NODES = 5;
const LEAVES = 6;
const NOT_YET = 0;
const SHARED = 1;
const OWN = 2;

type TreeBuffers = Record<keyof TreeArrays, SharedArrayBuffer>;

function treeBuffers(n: number, dim: 2 | 3, maxNodes: number): TreeBuffers {
  return {
    nodeF: sharedBuffer(maxNodes * nodeFloats(dim) * 8),
    nodeI: sharedBuffer(maxNodes * NODE_INTS * 4),
    perm: sharedBuffer(n * 4),
    sorted: sharedBuffer(n * dim * 8),
    leaves: sharedBuffer(n * 4),
  };
}

function treeArrays(b: TreeBuffers): TreeArrays {
  return {
    nodeF: new Float64Array(b.nodeF),
    nodeI: new Int32Array(b.nodeI),
    perm: new Int32Array(b.perm),
    sorted: new Float64Array(b.sorted),
    leaves: new Int32Array(b.leaves),
  };
}

/** The builder's side: shares `tree` (just built) or says that every thread builds its own. */
function publish(ctl: Int32Array, tree: SpaceTree, into: TreeArrays, maxNodes: number): void {
  const fits = tree.copyInto(into, maxNodes);
  if (fits) {
    Atomics.store(ctl, NODES, tree.nodeCount);
    Atomics.store(ctl, LEAVES, tree.leafCount);
  }
  // Readers only look (takeTree): nobody waits on this slot.
  Atomics.store(ctl, TREE, fits ? SHARED : OWN);
}

/**
 * The other threads' side: the shared tree (its counts set) if it is ready, else `own` built over
 * Y, the same tree. Nobody waits for the builder: on a machine whose cores are all busy (the page
 * renders on them too) a descheduled builder would otherwise stall every thread.
 */
function takeTree(ctl: Int32Array, view: SpaceTree, own: SpaceTree, Y: Float64Array, n: number): SpaceTree {
  if (Atomics.load(ctl, TREE) !== SHARED) {
    own.build(Y, n);
    return own;
  }
  view.setCounts(n, Atomics.load(ctl, NODES), Atomics.load(ctl, LEAVES));
  return view;
}

/** Leaves taken at a time (~100-250 points): small enough to balance, large enough that the counter is cold. */
const CHUNK = 16;

/** Takes chunks of leaves until none are left. */
function work(ctl: Int32Array, tree: SpaceTree, theta: number, out: Float64Array, z: Float64Array): void {
  const leaves = tree.leafCount;
  for (;;) {
    const from = Atomics.add(ctl, NEXT, CHUNK);
    if (from >= leaves) return;
    repulsiveForces(tree, theta, out, from, Math.min(leaves, from + CHUNK), z);
  }
}

/** `maxNodes`: room for the shared tree (tests make it small to take the every-thread-builds path). */
export function repulsionPool(n: number, dim: 2 | 3, theta: number, parts: number, maxNodes = n + 64): RepulsionPool {
  if (!(parts >= 1) || !Number.isInteger(parts)) throw new RangeError(`repulsion pool: parts must be a positive integer, got ${parts}`);
  const control = sharedBuffer(7 * 4);
  const ctl = new Int32Array(control);
  const Y = new Float64Array(sharedBuffer(n * dim * 8));
  const out = new Float64Array(sharedBuffer(n * dim * 8));
  const z = new Float64Array(sharedBuffer(n * 8));
  // (Leaves of up to 32 points: ~n / 5 nodes on real layouts; heaps of copies can need more.)
  const tree = treeBuffers(n, dim, maxNodes);
  const view = SpaceTree.sharedView(dim, treeArrays(tree));
  return {
    parts,
    out,
    shares: () =>
      Array.from({ length: parts - 1 }, (_, index) => ({
        kind: 'repulsion' as const, n, dim, theta, control, index, tree, maxNodes,
        Y: Y.buffer as SharedArrayBuffer, out: out.buffer as SharedArrayBuffer, z: z.buffer as SharedArrayBuffer,
      })),
    start(layout: Float64Array) {
      Y.set(layout.subarray(0, n * dim));
      Atomics.store(ctl, NEXT, 0);
      Atomics.store(ctl, TREE, NOT_YET);
      startRound(ctl);
      return {
        finish(own: SpaceTree, layoutNow: Float64Array) {
          // Alone, this thread builds the tree; else the first helper has been building it.
          let used = own;
          if (parts === 1) own.build(layoutNow, n);
          else used = takeTree(ctl, view, own, Y, n);
          work(ctl, used, theta, out, z);
          awaitHelpers(ctl, parts - 1, 't-SNE');
          // In tree order, as repulsiveForces sums it on one thread.
          let Z = 0;
          for (let s = 0; s < n; s++) Z += z[s];
          return { Z, tree: used };
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
  const own = new SpaceTree(share.dim);
  const arrays = treeArrays(share.tree);
  const view = SpaceTree.sharedView(share.dim, arrays);
  serveRounds(ctl, () => {
    let tree = own;
    if (share.index === 0) {
      own.build(Y, share.n);
      publish(ctl, own, arrays, share.maxNodes);
    } else tree = takeTree(ctl, view, own, Y, share.n);
    work(ctl, tree, share.theta, out, z);
  });
}
