/**
 * Procrustes registration of one layout onto another: the similarity transform
 *   y = s Q^T (x - mu_M) + mu_R      (s >= 0 uniform scale, Q orthogonal — reflections allowed)
 * that minimises sum_i |y_i - r_i|^2 over the points placed in both layouts. Pure and
 * worker-safe: no DOM.
 *
 * With Mc, Rc the centred moving and reference rows (n x dim) and H = Mc^T Rc (dim x dim),
 * H = U S V^T gives Q^T = V U^T (i.e. rows map as Mc U V^T) and s = trace(S) / |Mc|^2
 * (Umeyama 1991 without the det correction, since reflections are allowed). The SVD comes from
 * the eigen-decomposition of H^T H = V S^2 V^T (../pca/pca's Jacobi), u_i = H v_i / sigma_i; singular
 * directions (collinear or coplanar layouts) are completed orthonormally, preferring a proper
 * rotation, so that identical layouts map to themselves whatever their shape.
 */
import { jacobiEigen } from '../pca/pca';
import { NOT_PLACED } from '../sample';

/** A coordinate of a placed point: finite and inside the NOT_PLACED marker. */
function placed(x: number): boolean {
  return Number.isFinite(x) && Math.abs(x) < NOT_PLACED;
}

/**
 * The moving layout (n*3 row-major, as the app's layouts: z = 0 in 2D) mapped by the
 * least-squares similarity transform onto the reference (same shape). Only the first `dim`
 * coordinates take part (in 2D z is copied through). Rows where either layout's x is not finite
 * or at |x| >= NOT_PLACED are left out of the fit and returned unchanged. With fewer than one
 * shared row the moving layout is returned as a copy.
 */
export function procrustes(reference: Float32Array, moving: Float32Array, n: number, dim: 2 | 3): Float32Array {
  if (dim !== 2 && dim !== 3) throw new RangeError(`procrustes: dim must be 2 or 3, got ${String(dim)}`);
  if (reference.length < n * 3 || moving.length < n * 3) {
    throw new RangeError(`procrustes: layouts need ${n} x 3 values, got ${reference.length} and ${moving.length}`);
  }
  const out = moving.slice(0, n * 3);
  const use = new Uint8Array(n);
  let m = 0;
  const muR = [0, 0, 0];
  const muM = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const o = i * 3;
    if (!placed(reference[o]) || !placed(moving[o])) continue;
    let ok = true;
    for (let a = 0; a < dim; a++) if (!Number.isFinite(reference[o + a]) || !Number.isFinite(moving[o + a])) ok = false;
    if (!ok) continue;
    use[i] = 1;
    m++;
    for (let a = 0; a < dim; a++) {
      muR[a] += reference[o + a];
      muM[a] += moving[o + a];
    }
  }
  if (m === 0) return out;
  for (let a = 0; a < dim; a++) {
    muR[a] /= m;
    muM[a] /= m;
  }

  // H = Mc^T Rc and |Mc|^2, in doubles.
  const H = new Float64Array(dim * dim);
  let normM = 0;
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    const o = i * 3;
    for (let a = 0; a < dim; a++) {
      const x = moving[o + a] - muM[a];
      normM += x * x;
      for (let b = 0; b < dim; b++) H[a * dim + b] += x * (reference[o + b] - muR[b]);
    }
  }

  const { Q, traceS } = orthogonalFactor(H, dim);
  const s = normM > 0 ? traceS / normM : 0;
  // Row map: y = s (x - muM) Q + muR, with Q = U V^T (dim x dim, row-major).
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    const o = i * 3;
    const x = [0, 0, 0];
    for (let a = 0; a < dim; a++) x[a] = moving[o + a] - muM[a];
    for (let b = 0; b < dim; b++) {
      let v = 0;
      for (let a = 0; a < dim; a++) v += x[a] * Q[a * dim + b];
      out[o + b] = s * v + muR[b];
    }
  }
  return out;
}

/**
 * For H = U S V^T (dim x dim, row-major): Q = U V^T and trace(S). Singular values below 1e-12 of
 * the largest count as zero; their left vectors are completed orthonormally (Gram-Schmidt of the
 * matching right vector first), and the last such one is signed so that det(Q) = +1.
 */
export function orthogonalFactor(H: Float64Array, dim: number): { Q: Float64Array; traceS: number } {
  // H^T H = V S^2 V^T.
  const HtH = new Float64Array(dim * dim);
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < dim; b++) {
      let v = 0;
      for (let c = 0; c < dim; c++) v += H[c * dim + a] * H[c * dim + b];
      HtH[a * dim + b] = v;
    }
  }
  const { values, vectors } = jacobiEigen(HtH, dim);
  const order = Array.from(values, (_, i) => i).sort((p, q) => values[q] - values[p] || p - q);
  const sigma = order.map((c) => Math.sqrt(Math.max(0, values[c])));
  const V = order.map((c) => Array.from({ length: dim }, (_, r) => vectors[r * dim + c]));
  const tiny = 1e-12 * (sigma[0] ?? 0);

  const U: number[][] = [];
  let traceS = 0;
  let lastDegenerate = -1;
  for (let i = 0; i < dim; i++) {
    let u: number[] | null = null;
    if (sigma[i] > tiny && sigma[i] > 0) {
      u = Array.from({ length: dim }, (_, r) => {
        let v = 0;
        for (let c = 0; c < dim; c++) v += H[r * dim + c] * V[i][c];
        return v / sigma[i];
      });
      u = orthonormalised(u, U);
      if (u) traceS += sigma[i];
    }
    if (!u) {
      lastDegenerate = i;
      const candidates = [V[i], ...Array.from({ length: dim }, (_, e) => Array.from({ length: dim }, (_, r) => (r === e ? 1 : 0)))];
      for (const c of candidates) {
        u = orthonormalised(c, U);
        if (u) break;
      }
    }
    U.push(u as number[]);
  }
  if (lastDegenerate >= 0 && Math.sign(det(U, dim)) !== Math.sign(det(V, dim))) {
    U[lastDegenerate] = U[lastDegenerate].map((x) => -x);
  }

  const Q = new Float64Array(dim * dim);
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < dim; b++) {
      let v = 0;
      for (let i = 0; i < dim; i++) v += U[i][a] * V[i][b];
      Q[a * dim + b] = v;
    }
  }
  return { Q, traceS };
}

/** v minus its components along the (orthonormal) basis, normalised; null if almost nothing is left. */
function orthonormalised(v: number[], basis: number[][]): number[] | null {
  const w = v.slice();
  const size = Math.hypot(...w);
  for (let pass = 0; pass < 2; pass++) {
    for (const b of basis) {
      let d = 0;
      for (let r = 0; r < w.length; r++) d += w[r] * b[r];
      for (let r = 0; r < w.length; r++) w[r] -= d * b[r];
    }
  }
  const len = Math.hypot(...w);
  if (!(len > 1e-6 * size) || !(len > 0)) return null;
  return w.map((x) => x / len);
}

/** Determinant of the matrix whose rows (or columns: the same) are the given vectors. */
function det(rows: number[][], dim: number): number {
  if (dim === 2) return rows[0][0] * rows[1][1] - rows[0][1] * rows[1][0];
  const [a, b, c] = rows;
  return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
}
