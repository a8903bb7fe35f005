import { readFileSync } from 'node:fs';
import { PCA } from 'ml-pca';
import { pca } from './src/reduce/pca.ts';
function read(p: string) {
  const rows = readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).map((l) => l.split('\t').map(Number));
  const n = rows.length, d = rows[0].length, data = new Float32Array(n * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, n, d, rows };
}
const which = process.argv[2] ?? '../shared/data/mnist-2k/tensors.tsv';
const t = read(which);
for (const q of (process.env.QS ?? "1,2,3,4,6").split(",").map(Number)) {
  const t0 = performance.now();
  const r = pca(t, 10, { powerIterations: q });
  const ms = performance.now() - t0;
  console.log('q', q, ms.toFixed(0), 'ms', Array.from(r.variance.slice(0, 10)).map((v) => v.toFixed(6)).join(' '));
}
if (process.argv[3]) {
  const t0 = performance.now();
  const ref = new PCA(t.rows.map((r) => Float64Array.from(r) as unknown as number[]));
  console.log('ml-pca', (performance.now() - t0).toFixed(0), ref.getEigenvalues().slice(0, 10).map((v) => v.toFixed(6)).join(' '));
}
