/**
 * The WebAssembly SIMD kernels of simd.wat (built by `npm run build:wasm`) for the exact neighbour
 * searches, the PCA's products and orthonormal bases, and t-SNE's repulsion, or null where they cannot run: no WebAssembly, no SIMD (the module itself fails
 * WebAssembly.validate), or a Content-Security-Policy without 'wasm-unsafe-eval' (compiling
 * throws). Callers then keep their JavaScript kernels, which give the same numbers bit for bit.
 *
 * Compiled synchronously from bytes embedded as base64: the same code runs in workers, in Node
 * and in the library build without fetch or URL plumbing, and the module (~2 KB) is under the
 * size browsers allow a synchronous compile on the main thread. One instance per realm (worker):
 * its memory is scratch laid out by the one caller running at a time. Pure, no DOM.
 */
import { SIMD_WASM_BASE64 } from './simd-wasm';

/** Byte offsets into the memory returned by reserve(). See simd.wat for the layouts. */
export interface SimdKernels {
  /** Grows the memory to at least `bytes`; views on the returned buffer are valid until the next call. */
  reserve(bytes: number): ArrayBuffer;
  /**
   * reserve() for a caller that leaves data in the memory between calls (a matrix used for many
   * products): `resident` says whether the memory still holds what `owner` wrote last time (no
   * other caller reserved it since). Null when the memory cannot grow that far.
   */
  reserveFor(owner: object, bytes: number): { buffer: ArrayBuffer; resident: boolean } | null;
  gram(a: number, b: number, na: number, nb: number, d: number, g: number): void;
  gramIds(x: number, ids: number, na: number, nb: number, d: number, g: number): void;
  rowIds(x: number, q: number, ids: number, count: number, d: number, out: number): void;
  sparseRowIds(a: number, val: number, col: number, ptr: number, ids: number, count: number, out: number): void;
  sparse(val: number, col: number, ptr: number, r0: number, r1: number, at: number, lanes: number, g: number): void;
  rowCos(q: number, data: number, n: number, d: number, out: number): void;
  rowEuc(q: number, data: number, n: number, d: number, out: number): void;
  csrTimes(val: number, col: number, ptr: number, r0: number, r1: number, b: number, l: number, out: number): void;
  denseTimes(data: number, r0: number, r1: number, d: number, b: number, l: number, out: number): void;
  denseTransposeTimes(data: number, n: number, d: number, q: number, l: number, out: number): void;
  bhList2d(x: number, y: number, c: number, m: number, t: number, nt: number, out: number): void;
  bhList3d(x: number, y: number, z: number, c: number, m: number, t: number, nt: number, out: number): void;
  attract2d(ptr: number, cols: number, vals: number, n: number, y: number, scale: number, out: number): void;
  attract3d(ptr: number, cols: number, vals: number, n: number, y: number, scale: number, out: number): void;
  orthoPass(a: number, rows: number, l: number, c: number, dots: number): void;
}

interface Exports {
  memory: WebAssembly.Memory;
  gram: SimdKernels['gram'];
  gramIds: SimdKernels['gramIds'];
  rowIds: SimdKernels['rowIds'];
  sparseRowIds: SimdKernels['sparseRowIds'];
  sparse: SimdKernels['sparse'];
  rowCos: SimdKernels['rowCos'];
  rowEuc: SimdKernels['rowEuc'];
  csrTimes: SimdKernels['csrTimes'];
  denseTimes: SimdKernels['denseTimes'];
  denseTransposeTimes: SimdKernels['denseTransposeTimes'];
  bhList2d: SimdKernels['bhList2d'];
  bhList3d: SimdKernels['bhList3d'];
  attract2d: SimdKernels['attract2d'];
  attract3d: SimdKernels['attract3d'];
  orthoPass: SimdKernels['orthoPass'];
}

/** undefined: not tried yet; null: unavailable here. */
let loaded: SimdKernels | null | undefined;
let compiled: WebAssembly.Module | null | undefined;
let enabled = true;

/** Tests and the bench turn the kernels off to run the JavaScript path on the same data. */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

export function simdKernels(): SimdKernels | null {
  if (!enabled) return null;
  if (loaded === undefined) loaded = load();
  return loaded;
}

/**
 * A second set of the kernels with a memory of its own, for a caller that keeps large data in it
 * for its whole run (t-SNE's affinities, ../tsne/attraction) without the shared instance's other
 * callers overwriting it. Null where the kernels cannot run (or are turned off).
 */
export function simdInstance(): SimdKernels | null {
  return enabled ? load() : null;
}

function compile(): WebAssembly.Module | null {
  if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null;
  const text = atob(SIMD_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  if (!WebAssembly.validate(bytes)) return null;
  try {
    return new WebAssembly.Module(bytes);
  } catch {
    // A CSP without 'wasm-unsafe-eval' forbids the compile.
    return null;
  }
}

function load(): SimdKernels | null {
  if (compiled === undefined) compiled = compile();
  if (!compiled) return null;
  let ex: Exports;
  try {
    ex = new WebAssembly.Instance(compiled, {}).exports as unknown as Exports;
  } catch {
    return null;
  }
  const { memory } = ex;
  let owner: object | null = null;
  const grow = (need: number) => {
    const have = memory.buffer.byteLength;
    if (need > have) memory.grow(Math.ceil((need - have) / 65536));
    return memory.buffer;
  };
  return {
    reserve(need) {
      owner = null;
      return grow(need);
    },
    reserveFor(who, need) {
      const resident = owner === who && memory.buffer.byteLength >= need;
      try {
        const buffer = grow(need);
        owner = who;
        return { buffer, resident };
      } catch {
        // Past what this memory can grow to (RangeError): the caller keeps its JavaScript kernel.
        owner = null;
        return null;
      }
    },
    gram: ex.gram,
    gramIds: ex.gramIds,
    rowIds: ex.rowIds,
    sparseRowIds: ex.sparseRowIds,
    sparse: ex.sparse,
    rowCos: ex.rowCos,
    rowEuc: ex.rowEuc,
    csrTimes: ex.csrTimes,
    denseTimes: ex.denseTimes,
    denseTransposeTimes: ex.denseTransposeTimes,
    bhList2d: ex.bhList2d,
    bhList3d: ex.bhList3d,
    attract2d: ex.attract2d,
    attract3d: ex.attract3d,
    orthoPass: ex.orthoPass,
  };
}
