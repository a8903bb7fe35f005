/** Test-only helpers for the reduction tests: a naive TSV reader and ml-pca as the reference. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PCA } from 'ml-pca';
import type { Tensor } from '../../src/data/types';
import type { Metric } from '../../src/reduce/knn/knn';
import { jacobiEigen } from '../../src/reduce/pca/pca';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Reads a numeric TSV (no labels, no header) from the repository; blank lines are skipped. */
export function readTsvTensor(relativePath: string): Tensor {
  const rows = readFileSync(root + relativePath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t').map(Number));
  const n = rows.length;
  const d = rows[0].length;
  const data = new Float32Array(n * d);
  rows.forEach((row, i) => data.set(row, i * d));
  return { data, n, d };
}

/** The digit of each sklearn-digits row (first metadata column, after the header). */
export function readDigitLabels(): number[] {
  return readFileSync(fileURLToPath(new URL('../../public/data/sklearn-digits-8x8/metadata.tsv', import.meta.url)), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => Number(l.split('\t')[0]));
}

/**
 * Cosines of the principal angles between two m-dimensional orthonormal subspaces, from their
 * m x m overlap matrix M (M[a][b] = u_a . v_b): the square roots of the eigenvalues of M^T M.
 */
export function principalAngleCosines(M: Float64Array, m: number): number[] {
  const MtM = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      let s = 0;
      for (let c = 0; c < m; c++) s += M[c * m + a] * M[c * m + b];
      MtM[a * m + b] = s;
    }
  }
  return Array.from(jacobiEigen(MtM, m).values, (v) => Math.sqrt(Math.max(0, v)));
}

export function tensorFromRows(rows: number[][]): Tensor {
  const n = rows.length;
  const d = rows[0].length;
  const data = new Float32Array(n * d);
  rows.forEach((row, i) => data.set(row, i * d));
  return { data, n, d };
}

/** The tensor's rows as plain numbers (exactly its Float32 values), for ml-pca. */
export function rowsOf(t: Tensor): number[][] {
  return Array.from({ length: t.n }, (_, i) => Array.from(t.data.subarray(i * t.d, (i + 1) * t.d)));
}

export interface Reference {
  /** All eigenvalues of the sample covariance, largest first. */
  variance: number[];
  /** Component r as a length-d array. */
  component(r: number): number[];
  /** Projections of the centred data on the first k components, n x k. */
  projections(k: number): number[][];
}

/** ml-pca's SVD-based PCA of the same Float32 values. */
export function referencePca(t: Tensor): Reference {
  const rows = rowsOf(t);
  const model = new PCA(rows);
  const U = model.getEigenvectors();
  return {
    variance: model.getEigenvalues(),
    component: (r) => U.getColumn(r),
    projections: (k) => model.predict(rows, { nComponents: k }).to2DArray(),
  };
}

/** Naive reference: every distance straight from the definition, in doubles. */
export function naiveDistance(t: Tensor, metric: Metric, i: number, j: number): number {
  const { data, d } = t;
  let dot = 0, ni = 0, nj = 0, sq = 0;
  for (let c = 0; c < d; c++) {
    const a = data[i * d + c];
    const b = data[j * d + c];
    dot += a * b;
    ni += a * a;
    nj += b * b;
    sq += (a - b) * (a - b);
  }
  if (metric === 'euclidean') return Math.sqrt(sq);
  if (ni === 0 || nj === 0) return 1;
  return Math.min(2, Math.max(0, 1 - dot / Math.sqrt(ni * nj)));
}
