/** Exact copies among the rows, as extra candidates of the approximate search. Pure and worker-safe. */
import type { Tensor } from '../../../data/types';
import type { CompressedRows } from '../../../data/compressed-rows';
import type { ExtraCandidates } from '../metric';

/**
 * Rows with identical values, as extra candidates: each member of a group of copies gets up to k
 * of the others (the next ones, cyclically). A copy is at distance 0, but the search would only
 * find it by chance when many rows are near; this makes duplicates certain. Null when there are
 * none. Rows are grouped by a hash of their bits, then compared value by value. With the rows
 * compressed (`csr`, the same rows), only their non-zeros are hashed: a fifth of the work on
 * mnist, and the groups are the same (the hash only decides which rows get compared).
 */
export function duplicateCandidates(t: Tensor, k: number, csr?: CompressedRows | null): ExtraCandidates | null {
  const { n, d, data } = t;
  const hash = csr ? sparseHashes(csr, n) : denseHashes(t);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => hash[a] - hash[b] || a - b);
  const sameRow = (a: number, b: number) => {
    for (let j = 0; j < d; j++) if (data[a * d + j] !== data[b * d + j]) return false;
    return true;
  };
  const groups: number[][] = [];
  for (let s = 0; s < n; ) {
    let e = s + 1;
    while (e < n && hash[order[e]] === hash[order[s]]) e++;
    if (e - s > 1) {
      // Usually one group per run of equal hashes; collisions split it.
      const run: number[][] = [];
      for (let r = s; r < e; r++) {
        const i = order[r];
        const g = run.find((members) => sameRow(members[0], i));
        if (g) g.push(i);
        else run.push([i]);
      }
      for (const g of run) if (g.length > 1) groups.push(g);
    }
    s = e;
  }
  if (groups.length === 0) return null;
  const count = new Int32Array(n);
  for (const g of groups) for (const i of g) count[i] = Math.min(k, g.length - 1);
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i] + count[i];
  const idx = new Int32Array(ptr[n]);
  for (const g of groups) {
    for (let a = 0; a < g.length; a++) {
      const i = g[a];
      for (let c = 0; c < count[i]; c++) idx[ptr[i] + c] = g[(a + 1 + c) % g.length];
    }
  }
  return { ptr, idx };
}

/** FNV-1a over each row's values (-0 and +0 alike). */
function denseHashes(t: Tensor): Uint32Array {
  const { n, d, data } = t;
  const bits = new Uint32Array(data.buffer, data.byteOffset, n * d);
  const hash = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (let j = i * d; j < (i + 1) * d; j++) h = Math.imul(h ^ (data[j] === 0 ? 0 : bits[j]), 0x01000193);
    hash[i] = h >>> 0;
  }
  return hash;
}

/** FNV-1a over each row's non-zeros, column and value (a compressed row holds no zero, signed or not). */
function sparseHashes(csr: CompressedRows, n: number): Uint32Array {
  const { ptr, col, val } = csr;
  const bits = new Uint32Array(val.buffer, val.byteOffset, val.length);
  const hash = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (let p = ptr[i]; p < ptr[i + 1]; p++) h = Math.imul(Math.imul(h ^ col[p], 0x01000193) ^ bits[p], 0x01000193);
    hash[i] = h >>> 0;
  }
  return hash;
}
