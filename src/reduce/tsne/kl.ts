/**
 * KL(P || Q) of a t-SNE embedding over a sparse P (the objective the optimizer minimises).
 * Pure and worker-safe.
 *
 * With w_ij = 1 / (1 + |y_i - y_j|^2), Z = sum_{i != j} w_ij and sum P = 1:
 *   KL = sum_{ij in P} p_ij log(p_ij / (w_ij / Z)) = sum p_ij log(p_ij / w_ij) + log Z.
 * Only Z needs all pairs: exactly in O(N^2) here, or from a Barnes-Hut pass (see ./tsne.ts).
 */
import type { SparseAffinities } from './affinities';

/**
 * KL over the entries of P given Z (exact or estimated). Entries with p = 0 add nothing.
 * `multiplicity` 2 reads P as one triangle of a symmetric matrix (each pair stored once).
 */
export function klFromZ(P: SparseAffinities, Y: ArrayLike<number>, dim: 2 | 3, Z: number, multiplicity = 1): number {
  const { n, rowPtr, cols, vals } = P;
  let kl = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const p = vals[e];
      if (!(p > 0)) continue;
      const j = cols[e];
      let d2 = 0;
      for (let a = 0; a < dim; a++) {
        const d = Y[i * dim + a] - Y[j * dim + a];
        d2 += d * d;
      }
      // log(p / w) = log p + log(1 + d2)
      kl += p * (Math.log(p) + Math.log1p(d2));
      total += p;
    }
  }
  return multiplicity * kl + multiplicity * total * Math.log(Z);
}

/** Z = sum_{i != j} 1 / (1 + |y_i - y_j|^2), exactly: O(N^2). */
export function exactZ(Y: ArrayLike<number>, n: number, dim: 2 | 3): number {
  let z = 0;
  if (dim === 2) {
    for (let i = 0; i < n; i++) {
      const xi = Y[2 * i];
      const yi = Y[2 * i + 1];
      for (let j = i + 1; j < n; j++) {
        const dx = xi - Y[2 * j];
        const dy = yi - Y[2 * j + 1];
        z += 1 / (1 + dx * dx + dy * dy);
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const xi = Y[3 * i];
      const yi = Y[3 * i + 1];
      const zi = Y[3 * i + 2];
      for (let j = i + 1; j < n; j++) {
        const dx = xi - Y[3 * j];
        const dy = yi - Y[3 * j + 1];
        const dz = zi - Y[3 * j + 2];
        z += 1 / (1 + dx * dx + dy * dy + dz * dz);
      }
    }
  }
  return 2 * z;
}

/** Exact KL(P || Q) of embedding Y (n x dim) over the sparse P: O(N^2) for Z plus O(nnz). */
export function tsneKl(P: SparseAffinities, Y: ArrayLike<number>, dim: 2 | 3): number {
  return klFromZ(P, Y, dim, exactZ(Y, P.n, dim));
}
