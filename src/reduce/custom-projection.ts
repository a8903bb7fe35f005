/**
 * TF's "Custom" projection: the X axis runs from the mean vector of the points matching one query
 * to the mean of those matching another ("man" -> "woman"), Y likewise; each point's coordinates
 * are its dot products with those two directions (TF's projectLinear). The layout is then
 * centred and scaled like every other. Pure and worker-safe.
 */
import type { Tensor } from '../data/types';

function meanOf(t: Tensor, rows: Int32Array): Float64Array {
  const m = new Float64Array(t.d);
  for (const i of rows) for (let c = 0; c < t.d; c++) m[c] += t.data[i * t.d + c];
  for (let c = 0; c < t.d; c++) m[c] /= rows.length;
  return m;
}

/** n*2: x = v . (mean(right) - mean(left)), y = v . (mean(up) - mean(down)). */
export function customProjection(t: Tensor, left: Int32Array, right: Int32Array, down: Int32Array, up: Int32Array): Float32Array {
  const named = [['X left', left], ['X right', right], ['Y down', down], ['Y up', up]] as const;
  for (const [name, rows] of named) if (rows.length === 0) throw new Error(`custom projection: the ${name} query matches no point`);
  const dir = (a: Int32Array, b: Int32Array) => {
    const ma = meanOf(t, a);
    const mb = meanOf(t, b);
    return mb.map((v, c) => v - ma[c]);
  };
  const xDir = dir(left, right);
  const yDir = dir(down, up);
  const out = new Float32Array(t.n * 2);
  for (let i = 0; i < t.n; i++) {
    let x = 0;
    let y = 0;
    for (let c = 0; c < t.d; c++) {
      const v = t.data[i * t.d + c];
      x += v * xDir[c];
      y += v * yDir[c];
    }
    out[2 * i] = x;
    out[2 * i + 1] = y;
  }
  return out;
}
