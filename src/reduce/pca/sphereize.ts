/**
 * TF's "Sphereize data": centre the vectors on their mean and scale each to unit length before
 * projecting, so direction, not magnitude, decides where a point goes. A vector at the mean
 * stays at zero.
 */
import type { Tensor } from '../../data/types';

export function sphereize(t: Tensor): Tensor {
  const { data, n, d } = t;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c] += data[i * d + c];
  for (let c = 0; c < d; c++) mean[c] /= n || 1;
  const out = new Float32Array(n * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let c = 0; c < d; c++) {
      row[c] = data[i * d + c] - mean[c];
      norm += row[c] * row[c];
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < d; c++) out[i * d + c] = row[c] * scale;
  }
  return { data: out, n, d };
}
