import { readFileSync } from 'node:fs';
import { neighbourPreservation, labelKnnAccuracy } from './bench/umap-knn';
const buf = readFileSync('/tmp/u/g784.bin');
const n = 10000, k = 15;
const indices = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + n * k * 4));
const distances = new Float32Array(buf.buffer.slice(buf.byteOffset + n * k * 4, buf.byteOffset + n * k * 8));
const truth = { n, k, indices, distances };
const labels = readFileSync('../shared/data/mnist-10k/metadata.tsv', 'utf8').split('\n').filter((l) => l !== '').map((l) => l.trim());
console.log(labels.length, labels.slice(0, 5));
for (const f of process.argv.slice(2)) {
  const b = readFileSync(f);
  const pos = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  console.log(f, 'nnp10', neighbourPreservation(truth, pos, 3, 10).toFixed(4), 'label acc', labelKnnAccuracy(pos, 3, labels, 10).toFixed(4));
}
