/** Memory the pools' threads share (SharedArrayBuffer). Pure and worker-safe. */

/** A shared buffer of at least `bytes` (and at least a word: some engines refuse zero-length ones). */
export const sharedBuffer = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(Math.max(8, bytes));

/** A copy of a in shared memory, of the same type. */
export function toShared<T extends Float32Array | Float64Array | Int32Array>(a: T): T {
  const Ctor = a.constructor as { new (b: SharedArrayBuffer, offset: number, length: number): T };
  const out = new Ctor(sharedBuffer(a.byteLength), 0, a.length);
  out.set(a);
  return out;
}
