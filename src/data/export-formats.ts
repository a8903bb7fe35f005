/**
 * What the export buttons write: the layout's coordinates as TSV (header `x y [z]`, then the
 * metadata columns) or as a NumPy float32 array, and a selection's metadata rows with their row
 * index. Rows not shown (outside an isolated set or a sample) have empty / NaN coordinates.
 */
import type { Metadata } from './types';

const cell = (v: string | null) => (v === null ? '' : /[\t\n\r"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function coordinatesTsv(positions: Float32Array, dim: 2 | 3, metadata: Metadata | null, placed: (i: number) => boolean): string {
  const n = positions.length / 3;
  const columns = metadata?.columns ?? [];
  const axes = dim === 3 ? ['x', 'y', 'z'] : ['x', 'y'];
  const lines = [[...axes, ...columns.map((c) => c.name)].map(cell).join('\t')];
  for (let i = 0; i < n; i++) {
    const xyz = axes.map((_, a) => (placed(i) ? String(positions[3 * i + a]) : ''));
    lines.push([...xyz, ...columns.map((c) => cell(c.values[i]))].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

export function selectionTsv(rows: ArrayLike<number>, metadata: Metadata | null): string {
  const columns = metadata?.columns ?? [];
  const lines = [['index', ...columns.map((c) => c.name)].map(cell).join('\t')];
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    lines.push([String(i), ...columns.map((c) => cell(c.values[i]))].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

/** NumPy's .npy v1.0, little-endian float32, C order, shape [n, dim]. */
export function npyFloat32(positions: Float32Array, dim: 2 | 3, placed: (i: number) => boolean): Uint8Array {
  const n = positions.length / 3;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${dim}), }`;
  // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + n * dim * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) out[10 + k] = header.charCodeAt(k);
  const data = new DataView(out.buffer, total);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) data.setFloat32((i * dim + a) * 4, placed(i) ? positions[3 * i + a] : NaN, true);
  }
  return out;
}
