/**
 * One copy of a tensor for the page and every worker. When the page is cross-origin isolated
 * (COOP same-origin + COEP credentialless, served by `npm start`, the dev server and `projector
 * serve`) vectors live in a SharedArrayBuffer: jobs receive the same memory, no copy, no transfer.
 * Without isolation each job gets its own transferred copy, as before; the caller keeps its tensor.
 * Workers only read the vectors they are given (PCA, the neighbour search, UMAP and t-SNE never
 * write into their input), which is what makes sharing safe.
 */

/** True where SharedArrayBuffer can be posted to workers (the page is cross-origin isolated). */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer === 'function' && a.buffer instanceof SharedArrayBuffer;
}

/** The array in shared memory where the page is isolated (a copy unless it already is), else itself. */
export function toShared<T extends Float32Array | Int32Array>(a: T): T {
  if (!canShareMemory() || isShared(a)) return a;
  const Ctor = a.constructor as { new (buffer: SharedArrayBuffer): T };
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/** A zeroed Float32Array of `floats` values, in shared memory where the page is isolated. */
export function sharedFloats(floats: number): Float32Array {
  return canShareMemory() ? new Float32Array(new SharedArrayBuffer(floats * 4)) : new Float32Array(floats);
}

/** A zeroed Int32Array of `length` values, in shared memory where the page is isolated. */
export function sharedInts(length: number): Int32Array {
  return canShareMemory() ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
}

/**
 * What to post so that a worker can read `a` while the caller keeps it: the shared array itself
 * (nothing to transfer), or a copy whose buffer is transferred.
 */
export function handOver<T extends Float32Array | Int32Array>(a: T, transfer: Transferable[]): T {
  if (isShared(a)) return a;
  const copy = a.slice() as T;
  transfer.push(copy.buffer as ArrayBuffer);
  return copy;
}

/** The buffers to transfer when posting `arrays` that the sender gives up: shared ones are not transferable. */
export function transferables(...arrays: ArrayBufferView[]): Transferable[] {
  return arrays.filter((a) => !isShared(a)).map((a) => a.buffer as ArrayBuffer);
}
