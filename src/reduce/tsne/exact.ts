/**
 * Dense O(N^2) t-SNE references, for tests and the bench (never for large N): the exact joint
 * probabilities over all pairs, KL against them, and the exact repulsive sums the Barnes-Hut
 * tree approximates. Pure and worker-safe.
 */
import type { Tensor } from '../../data/types';
import { calibrateRow } from './affinities';

/**
 * Standard t-SNE P over all pairs (n x n row-major, zero diagonal, sums to 1): Gaussian
 * conditionals on squared euclidean distances calibrated to `perplexity` over all N - 1 others,
 * symmetrised as (P + P^T) / 2N.
 */
export function exactJointProbabilities(t: Tensor, perplexity: number): Float64Array {
  const { n, d, data } = t;
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) {
        const v = data[i * d + a] - data[j * d + a];
        s += v * v;
      }
      D[i * n + j] = s;
      D[j * n + i] = s;
    }
  }
  const P = new Float64Array(n * n);
  const row = new Float64Array(n);
  const out = new Float64Array(n);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) if (j !== i) row[m++] = D[i * n + j];
    calibrateRow(row, m, target, 1e-5, 200, out);
    m = 0;
    for (let j = 0; j < n; j++) if (j !== i) P[i * n + j] = out[m++];
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const p = (P[i * n + j] + P[j * n + i]) / (2 * n);
      P[i * n + j] = p;
      P[j * n + i] = p;
    }
  }
  return P;
}

/** KL(P || Q) for a dense n x n P (zero entries add nothing) and embedding Y (n x dim). */
export function denseKl(P: ArrayLike<number>, Y: ArrayLike<number>, n: number, dim: number): number {
  let Z = 0;
  let sumPlogPW = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let d2 = 0;
      for (let a = 0; a < dim; a++) {
        const v = Y[i * dim + a] - Y[j * dim + a];
        d2 += v * v;
      }
      Z += 1 / (1 + d2);
      const p = P[i * n + j];
      if (p > 0) {
        sumPlogPW += p * (Math.log(p) + Math.log1p(d2));
        total += p;
      }
    }
  }
  return sumPlogPW + total * Math.log(Z);
}

/**
 * Exact repulsive sums: out[i] = sum_{j != i} w_ij^2 (y_i - y_j) with w_ij = 1 / (1 + |y_i - y_j|^2);
 * returns Z = sum_{i != j} w_ij.
 */
export function exactRepulsion(Y: ArrayLike<number>, n: number, dim: number, out: Float64Array): number {
  let Z = 0;
  out.fill(0, 0, n * dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let d2 = 0;
      for (let a = 0; a < dim; a++) {
        const v = Y[i * dim + a] - Y[j * dim + a];
        d2 += v * v;
      }
      const w = 1 / (1 + d2);
      Z += w;
      for (let a = 0; a < dim; a++) out[i * dim + a] += w * w * (Y[i * dim + a] - Y[j * dim + a]);
    }
  }
  return Z;
}
