/**
 * The memory of the approximate neighbour search (./search-pool): one typed array per name, in
 * shared memory when threads share the search, in ordinary memory on one thread. The coordinator
 * allocates it; a helper rebuilds the same views from the buffers of its KnnSearchShare. Pure and
 * worker-safe.
 */
import type { Metric } from '../types';

/** What each array holds (n rows, d columns, m search dimensions; Kd heap, K candidates, k kept per row). */
const SPEC = {
  /** [generation, helpers done, stop, next item, phase, arg0, arg1, arg2] (../../pool-rounds' three first). */
  ctl: Int32Array,
  /** The input rows (none when compressed), compressed rows (when mostly zero) and squared norms: ../metric's Rows. */
  data: Float32Array,
  csrPtr: Int32Array,
  csrCol: Int32Array,
  csrVal: Float32Array,
  sqNorms: Float64Array,
  /** The projection's basis (d x m) and per-row scale (cosine), when projected. */
  V: Float64Array,
  scale: Float64Array,
  /** The search space in the input's row order (n x m), then in the tree order (X), and |X_i|^2. */
  Y: Float64Array,
  X: Float64Array,
  sq: Float64Array,
  /**
   * Per tree (tree 0 orders the rows, the nTrees others seed NN-descent): its seed, leaf order (n;
   * the others' renumbered in the order of tree 0), leaf starts (n + 1) and leaf count.
   */
  treeSeed: Int32Array,
  perm: Int32Array,
  starts: Int32Array,
  leafCount: Int32Array,
  /** NN-descent's heaps (n x Kd; ./descent's Heap) and each iteration's sample (n x C). */
  hDist: Float32Array,
  hIdx: Int32Array,
  hFlag: Uint8Array,
  hRoot: Float32Array,
  newIdx: Int32Array,
  newPri: Float32Array,
  oldIdx: Int32Array,
  oldPri: Float32Array,
  /** A block's heap offers, chunk by chunk and stripe by stripe (./descent's PairBuffer), and the updates per stripe. */
  offerRow: Int32Array,
  offerOther: Int32Array,
  offerKey: Float32Array,
  offerStarts: Int32Array,
  updates: Int32Array,
  /** The graph widened to K (n x K, tree order), when K > Kd. */
  wide: Int32Array,
  /** n x K candidates (input order), the order rows are re-ranked in, exact copies of rows (./duplicates). */
  cand: Int32Array,
  order: Int32Array,
  extraPtr: Int32Array,
  extraIdx: Int32Array,
  /** The graph: n x k. */
  outIdx: Int32Array,
  outDist: Float32Array,
};

type ViewOf<C> = C extends Float32ArrayConstructor ? Float32Array
  : C extends Float64ArrayConstructor ? Float64Array
  : C extends Int32ArrayConstructor ? Int32Array
  : Uint8Array;
export type Views = { [N in keyof typeof SPEC]: ViewOf<(typeof SPEC)[N]> };
export type Buffers = { [N in keyof typeof SPEC]: ArrayBuffer | SharedArrayBuffer };

/** The search's sizes and settings: everything but the arrays. */
export interface SearchSizes {
  n: number;
  d: number;
  m: number;
  metric: Metric;
  k: number;
  K: number;
  Kd: number;
  C: number;
  nTrees: number;
  leafMax: number;
  fanout: number;
  seed: number;
  /** Offers one chunk of a block can hold, and the chunks of a block. */
  capacity: number;
  blockChunks: number;
  /** The rows' fixed cut for applying offers: stripes of stripeRows rows. */
  stripes: number;
  stripeRows: number;
  projected: boolean;
  hasCsr: boolean;
  hasExtra: boolean;
}

/** What a helper thread needs (structured-cloneable). */
export interface KnnSearchShare {
  kind: 'knn-search';
  part: number;
  parts: number;
  sizes: SearchSizes;
  buffers: Buffers;
}

/** Arrays the caller already has: used as they are on one thread, else in shared memory. */
export type Given = Partial<Views>;

export function lengths(z: SearchSizes, nCsr: number, nExtra: number): Record<keyof Views, number> {
  const { n, d, m, K, Kd, C, nTrees, k } = z;
  return {
    ctl: 8,
    data: z.hasCsr ? 0 : n * d,
    csrPtr: z.hasCsr ? n + 1 : 0,
    csrCol: nCsr,
    csrVal: nCsr,
    sqNorms: n,
    V: z.projected ? d * m : 0,
    scale: z.projected && z.metric === 'cosine' ? n : 0,
    Y: n * m,
    X: n * m,
    sq: n,
    treeSeed: nTrees + 1,
    perm: (nTrees + 1) * n,
    starts: (nTrees + 1) * (n + 1),
    leafCount: nTrees + 1,
    hDist: n * Kd,
    hIdx: n * Kd,
    hFlag: n * Kd,
    hRoot: n,
    newIdx: n * C,
    newPri: n * C,
    oldIdx: n * C,
    oldPri: n * C,
    offerRow: z.capacity * z.blockChunks,
    offerOther: z.capacity * z.blockChunks,
    offerKey: z.capacity * z.blockChunks,
    offerStarts: z.blockChunks * (z.stripes + 1),
    updates: z.stripes,
    wide: K > Kd ? n * K : 0,
    cand: n * K,
    order: n,
    extraPtr: z.hasExtra ? n + 1 : 0,
    extraIdx: nExtra,
    outIdx: n * k,
    outDist: n * k,
  };
}

const shared = (a: ArrayBufferView) => typeof SharedArrayBuffer === 'function' && a.buffer instanceof SharedArrayBuffer;

/**
 * Every array, sized for the search: new ones (shared when parts > 1), and the given ones as they
 * are — copied into shared memory first when helpers must read them and they are not there whole.
 */
export function allocate(len: Record<keyof Views, number>, parts: number, given: Given): Views {
  const out: Partial<Record<keyof Views, ArrayBufferView>> = {};
  for (const name of Object.keys(SPEC) as (keyof Views)[]) {
    const Ctor = SPEC[name] as unknown as { new (b: ArrayBuffer | SharedArrayBuffer): ArrayBufferView & { set(a: ArrayLike<number>): void }; BYTES_PER_ELEMENT: number };
    const have = given[name];
    const whole = have && have.byteOffset === 0 && have.byteLength === have.buffer.byteLength;
    if (have && (parts === 1 || (shared(have) && whole))) {
      out[name] = have;
      continue;
    }
    // A zero-length SharedArrayBuffer is fine, but keep every buffer at least a word for old engines.
    const bytes = Math.max(8, len[name] * Ctor.BYTES_PER_ELEMENT);
    const view = new Ctor(parts > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    if (have) view.set(have as unknown as ArrayLike<number>);
    out[name] = view;
  }
  return out as Views;
}

export function buffersOf(v: Views): Buffers {
  const out: Partial<Buffers> = {};
  for (const name of Object.keys(SPEC) as (keyof Views)[]) out[name] = v[name].buffer;
  return out as Buffers;
}

export function viewsOf(b: Buffers): Views {
  const out: Partial<Record<keyof Views, ArrayBufferView>> = {};
  for (const name of Object.keys(SPEC) as (keyof Views)[]) {
    const Ctor = SPEC[name] as unknown as { new (b: ArrayBuffer | SharedArrayBuffer): ArrayBufferView };
    out[name] = new Ctor(b[name]);
  }
  return out as Views;
}
