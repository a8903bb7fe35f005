import { readFileSync } from 'node:fs';
import { Umap } from './src/reduce/umap';
const buf = readFileSync('/tmp/u/g784.bin');
const n = 10000, k = 15;
const indices = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + n * k * 4));
const distances = new Float32Array(buf.buffer.slice(buf.byteOffset + n * k * 4, buf.byteOffset + n * k * 8));
const g = { n, k, indices, distances };
const times: number[] = [];
for (let r = 0; r < 3; r++) {
  const um = new Umap(g, { dim: 3, nNeighbors: 15, minDist: 0.1, epochs: 'auto', seed: 1 });
  um.step(100);
  const c0 = process.cpuUsage();
  um.step(100);
  const c = process.cpuUsage(c0);
  times.push((c.user + c.system) / 1000);
}
console.log('cpu ms per 100 epochs (100..200):', times.map((t) => t.toFixed(0)).join(' '), 'min', Math.min(...times).toFixed(0));
