/**
 * t-SNE's attraction over P's upper triangle: the JavaScript sums (attractiveForcesUpper), and
 * the same by the WebAssembly SIMD kernel (simd.wat attract2d/3d: a
 * point's x and y in one f64x2), bit for bit. Pure and worker-safe.
 *
 * P's upper triangle is copied once into a kernel instance of its own (../kernels/simd
 * simdInstance) and stays there for as long as the optimizer keeps the same triangle (it swaps in
 * a relabelled one now and then); each call copies the layout in and the forces out. Where the
 * kernels cannot run, or the triangle would take more than MAX_BYTES, the JavaScript loop runs.
 */
import { simdInstance, type SimdKernels } from '../kernels/simd';
import type { SparseAffinities } from './affinities';

/**
 * out (n x dim) = sum_j p_ij w_ij (y_i - y_j), times `scale`, from P's upper triangle (see
 * upperTriangle): each pair's term is computed once and applied to both ends. The 2D and 3D loops
 * are spelled out, as the kernel's are, so that each keeps its coordinates in locals.
 */
export function attractiveForcesUpper(U: SparseAffinities, Y: Float64Array, dim: 2 | 3, scale: number, out: Float64Array): void {
  const { n, rowPtr, cols, vals } = U;
  out.fill(0, 0, n * dim);
  if (dim === 2) {
    for (let i = 0; i < n; i++) {
      const xi = Y[2 * i];
      const yi = Y[2 * i + 1];
      let fx = 0;
      let fy = 0;
      for (let e = rowPtr[i], end = rowPtr[i + 1]; e < end; e++) {
        const j = cols[e];
        const dx = xi - Y[2 * j];
        const dy = yi - Y[2 * j + 1];
        const pq = (scale * vals[e]) / (1 + dx * dx + dy * dy);
        const gx = pq * dx;
        const gy = pq * dy;
        fx += gx;
        fy += gy;
        out[2 * j] -= gx;
        out[2 * j + 1] -= gy;
      }
      out[2 * i] += fx;
      out[2 * i + 1] += fy;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const xi = Y[3 * i];
      const yi = Y[3 * i + 1];
      const zi = Y[3 * i + 2];
      let fx = 0;
      let fy = 0;
      let fz = 0;
      for (let e = rowPtr[i], end = rowPtr[i + 1]; e < end; e++) {
        const j = cols[e];
        const dx = xi - Y[3 * j];
        const dy = yi - Y[3 * j + 1];
        const dz = zi - Y[3 * j + 2];
        const pq = (scale * vals[e]) / (1 + dx * dx + dy * dy + dz * dz);
        const gx = pq * dx;
        const gy = pq * dy;
        const gz = pq * dz;
        fx += gx;
        fy += gy;
        fz += gz;
        out[3 * j] -= gx;
        out[3 * j + 1] -= gy;
        out[3 * j + 2] -= gz;
      }
      out[3 * i] += fx;
      out[3 * i + 1] += fy;
      out[3 * i + 2] += fz;
    }
  }
}

/** Kernel memory at most (the triangle, the layout and the forces): the triangle is held twice. */
const MAX_BYTES = 256 << 20;

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * out (n x dim) = sum_j p_ij w_ij (y_i - y_j) times scale, from the upper triangle U. The caller
 * says forget() whenever it rewrites a triangle in place (the optimizer's relabelling).
 */
export class Attraction {
  private simd: SimdKernels | null | undefined;
  private resident: SparseAffinities | null = null;
  private residentBytes = 0;

  forget(): void {
    this.resident = null;
  }

  run(U: SparseAffinities, Y: Float64Array, dim: 2 | 3, scale: number, out: Float64Array): void {
    const { n } = U;
    const nnz = U.cols.length;
    const cols = align16((n + 1) * 4);
    const vals = cols + align16(nnz * 4);
    const y = vals + align16(nnz * 4);
    const o = y + n * dim * 8;
    const bytes = o + n * dim * 8;
    if (this.simd === undefined) this.simd = bytes <= MAX_BYTES ? simdInstance() : null;
    const simd = this.simd;
    if (!simd || bytes > MAX_BYTES) return attractiveForcesUpper(U, Y, dim, scale, out);
    const buffer = simd.reserve(bytes);
    if (this.resident !== U || this.residentBytes !== bytes) {
      new Int32Array(buffer, 0, n + 1).set(U.rowPtr);
      new Int32Array(buffer, cols, nnz).set(U.cols);
      new Float32Array(buffer, vals, nnz).set(U.vals);
      this.resident = U;
      this.residentBytes = bytes;
    }
    new Float64Array(buffer, y, n * dim).set(Y.subarray(0, n * dim));
    const forces = new Float64Array(buffer, o, n * dim);
    forces.fill(0);
    if (dim === 2) simd.attract2d(0, cols, vals, n, y, scale, o);
    else simd.attract3d(0, cols, vals, n, y, scale, o);
    out.set(forces);
  }
}
