/**
 * UMAP's low-dimensional similarity curve 1 / (1 + a d^(2b)) fitted to the target
 *   psi(d) = 1                          for d <  minDist
 *          = exp(-(d - minDist) / spread) for d >= minDist
 * on 300 evenly spaced d in [0, 3 spread], by least squares — as umap-learn's find_ab_params
 * (scipy curve_fit). Pure and worker-safe.
 *
 * Solved by Levenberg–Marquardt with analytic derivatives, run to convergence. (umap-js's
 * findABParams fits a slightly different data set — it moves the d < minDist samples to d = 1 —
 * and stops early, so its a, b differ from umap-learn's by a few per cent; ours match umap-learn's.)
 */

export interface CurveParams {
  a: number;
  b: number;
}

const SAMPLES = 300;

export function findAB(spread: number, minDist: number): CurveParams {
  if (!(spread > 0) || !Number.isFinite(spread)) throw new RangeError(`umap: spread must be > 0, got ${spread}`);
  if (!(minDist >= 0) || !Number.isFinite(minDist)) throw new RangeError(`umap: minDist must be >= 0, got ${minDist}`);
  if (minDist > spread) throw new RangeError(`umap: minDist (${minDist}) must not exceed spread (${spread})`);

  const xs = new Float64Array(SAMPLES);
  const ys = new Float64Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    const x = (3 * spread * i) / (SAMPLES - 1);
    xs[i] = x;
    ys[i] = x < minDist ? 1 : Math.exp(-(x - minDist) / spread);
  }

  // Levenberg–Marquardt on (log a, b)-free parameters: a and b stay positive in practice.
  let a = 1;
  let b = 1;
  let lambda = 1e-3;
  let cost = residualCost(xs, ys, a, b);
  for (let it = 0; it < 500; it++) {
    // J^T J and J^T r, r = y - f, for the 2 parameters.
    let jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const x = xs[i];
      if (x === 0) continue; // f = 1 and both derivatives vanish there
      const p = Math.pow(x, 2 * b);
      const den = 1 + a * p;
      const f = 1 / den;
      const r = ys[i] - f;
      const dfda = -p / (den * den);
      const dfdb = (-a * p * 2 * Math.log(x)) / (den * den);
      jaa += dfda * dfda;
      jab += dfda * dfdb;
      jbb += dfdb * dfdb;
      ga += dfda * r;
      gb += dfdb * r;
    }
    let improved = false;
    for (let tries = 0; tries < 30 && !improved; tries++) {
      const m00 = jaa * (1 + lambda);
      const m11 = jbb * (1 + lambda);
      const det = m00 * m11 - jab * jab;
      if (!(Math.abs(det) > 0)) {
        lambda *= 10;
        continue;
      }
      const da = (m11 * ga - jab * gb) / det;
      const db = (m00 * gb - jab * ga) / det;
      const na = a + da;
      const nb = b + db;
      const nc = na > 0 && nb > 0 ? residualCost(xs, ys, na, nb) : Infinity;
      if (nc < cost) {
        const done = Math.abs(da) <= 1e-13 * (1 + Math.abs(a)) && Math.abs(db) <= 1e-13 * (1 + Math.abs(b));
        const relDrop = (cost - nc) / Math.max(cost, 1e-300);
        a = na;
        b = nb;
        cost = nc;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (done || relDrop < 1e-15) return { a, b };
      } else {
        lambda *= 10;
      }
    }
    if (!improved) break; // no step lowers the cost: at the minimum to rounding
  }
  return { a, b };
}

/** Sum of squared residuals of the curve with (a, b) against the samples. */
export function residualCost(xs: Float64Array, ys: Float64Array, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const r = ys[i] - 1 / (1 + a * Math.pow(xs[i], 2 * b));
    s += r * r;
  }
  return s;
}
