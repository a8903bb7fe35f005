/**
 * The 'wasm' section's measurements, shared by Node (bench/wasm.ts) and the Chromium page it
 * bundles this into: the exact neighbour searches with the JavaScript kernels and with the
 * WebAssembly SIMD ones (src/reduce/kernels/simd), on the same data in the same run, and
 * whether the two give identical results. No Node or DOM APIs here.
 */
import type { Tensor } from '../src/data/types';
import { setSimdEnabled, simdKernels } from '../src/reduce/kernels/simd';
import { exactSearch } from '../src/reduce/knn/exact';
import { knnApprox } from '../src/reduce/knn/knn';
import { rowsOf } from '../src/reduce/knn/metric';
import { nearestNeighbors } from '../src/reduce/knn/neighbors-exact';
import { pca } from '../src/reduce/pca/pca';
import { orthonormalizeColumns } from '../src/reduce/kernels/orthonormal';
import { createRandom } from '../src/reduce/random';
import { repulsiveForces } from '../src/reduce/tsne/gradient';
import { Attraction, attractiveForcesUpper } from '../src/reduce/tsne/attraction';
import type { SparseAffinities } from '../src/reduce/tsne/affinities';
import { SpaceTree } from '../src/reduce/tsne/space-tree';

export interface WasmCase {
  name: string;
  t: Tensor;
  /** Full kNN over this many evenly spaced query rows (against all rows); null: every row, each pair once. */
  knnQueries: number | null;
}

/** A t-SNE layout (n x dim) to time the repulsion on, and the upper triangle of its P for the attraction. */
export interface LayoutCase {
  name: string;
  n: number;
  dim: 2 | 3;
  Y: Float64Array;
  U: SparseAffinities;
}

export interface WasmFigure {
  dataset: string;
  figure: string;
  jsMs: number;
  wasmMs: number;
  /** Indices and distances equal, element for element. */
  identical: boolean;
  runs: number;
  notes: string;
}

const KNN_K = 15;
const QUERY_K = 100;
const PCA_RUNS = 3;
const APPROX_RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function timed<T>(simd: boolean, fn: () => T): { ms: number; result: T } {
  setSimdEnabled(simd);
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  setSimdEnabled(true);
  return { ms, result };
}

/**
 * `runs` timings of each path, alternating (so drift in the machine's load falls on both alike),
 * after `warmRuns` untimed pairs; their medians, whether every pair agreed, and the last pair's results.
 */
function alternating<T>(
  runs: number, warmRuns: number, run: (simd: boolean, r: number) => T, agree: (js: T, wasm: T) => boolean,
): { jsMs: number; wasmMs: number; identical: boolean; js: T; wasm: T } {
  const jsTimes: number[] = [];
  const wasmTimes: number[] = [];
  let identical = true;
  let last: { js: T; wasm: T } | null = null;
  for (let r = 0; r < warmRuns + runs; r++) {
    const a = timed(false, () => run(false, r));
    const b = timed(true, () => run(true, r));
    if (r >= warmRuns) {
      jsTimes.push(a.ms);
      wasmTimes.push(b.ms);
    }
    identical &&= agree(a.result, b.result);
    last = { js: a.result, wasm: b.result };
  }
  return { jsMs: median(jsTimes), wasmMs: median(wasmTimes), identical, ...last! };
}

/** null when WebAssembly SIMD cannot run here (then there is nothing to compare). */
export function measureWasm(cases: WasmCase[], queryRuns: number, log: (line: string) => void, layouts: LayoutCase[] = []): WasmFigure[] | null {
  if (!simdKernels()) return null;
  // Warm-up on a slice, so neither path's first timing pays for compiling the shared code.
  for (const { t } of cases.slice(0, 2)) {
    const slice = { data: t.data.subarray(0, 600 * t.d), n: 600, d: t.d };
    for (const simd of [false, true]) {
      timed(simd, () => exactSearch(slice, KNN_K, 'cosine', null));
      timed(simd, () => nearestNeighbors(t, 0, QUERY_K, 'cosine'));
      timed(simd, () => nearestNeighbors(t, 0, QUERY_K, 'euclidean'));
    }
  }
  const out: WasmFigure[] = [];
  for (const { name, t, knnQueries } of cases) {
    const path = rowsOf(t).csr ? 'sparse path (mostly zeros)' : 'dense path';
    let queries: Int32Array | null = null;
    if (knnQueries !== null) {
      queries = new Int32Array(knnQueries);
      for (let i = 0; i < knnQueries; i++) queries[i] = Math.floor((i * t.n) / knnQueries);
    }
    const js = timed(false, () => exactSearch(t, KNN_K, 'cosine', queries));
    const wasm = timed(true, () => exactSearch(t, KNN_K, 'cosine', queries));
    const figure = `exact kNN k=${KNN_K} cosine${queries ? `, ${queries.length} query rows` : ', all rows'}`;
    out.push({
      dataset: name, figure, jsMs: js.ms, wasmMs: wasm.ms, runs: 1, notes: path,
      identical: same(js.result.indices, wasm.result.indices) && same(js.result.distances, wasm.result.distances),
    });
    log(`wasm: ${name} ${figure}: js ${js.ms.toFixed(0)} ms, wasm ${wasm.ms.toFixed(0)} ms`);
    // The PCA the first view waits for: 10 components, its products by either kernel; the median of
    // PCA_RUNS alternating runs (one run each swung by up to 2x in Chromium: tier-up, collections).
    const p = alternating(PCA_RUNS, 0, () => pca(t, 10, { seed: 42 }), (a, b) => same(a.projections, b.projections) && same(a.components, b.components));
    out.push({
      dataset: name, figure: 'PCA, 10 components (the first view)', jsMs: p.jsMs, wasmMs: p.wasmMs, runs: PCA_RUNS, identical: p.identical,
      notes: `${path}; ${p.wasm.iterations} power iterations; median of ${PCA_RUNS}, alternating`,
    });
    log(`wasm: ${name} PCA: js ${p.jsMs.toFixed(0)} ms, wasm ${p.wasmMs.toFixed(0)} ms`);
    // The layouts' neighbour graph (one thread): its tiles, widening and re-rank (compressed rows)
    // run in the kernels; the rest of the search (heaps, sampling, trees) is JavaScript in both.
    if (rowsOf(t).csr) {
      for (const k of [15, 90]) {
        const a = alternating(APPROX_RUNS, 0, () => knnApprox(t, k, 'cosine', { seed: 42 }), (x, y) => same(x.indices, y.indices) && same(x.distances, y.distances));
        const f = `approximate kNN k=${k} cosine, one thread (the layouts' graph)`;
        out.push({
          dataset: name, figure: f, jsMs: a.jsMs, wasmMs: a.wasmMs, runs: APPROX_RUNS, identical: a.identical,
          notes: `${path}; median of ${APPROX_RUNS}, alternating; the kernels: the joins' and leaves' dot tiles, the widening's dots, the re-rank's sparse dots (and the projection's products); heaps, sampling and trees are JavaScript in both`,
        });
        log(`wasm: ${name} ${f}: js ${a.jsMs.toFixed(0)} ms, wasm ${a.wasmMs.toFixed(0)} ms`);
      }
    }
    for (const metric of ['cosine', 'euclidean'] as const) {
      const q = alternating(
        queryRuns, 0,
        (_, r) => nearestNeighbors(t, Math.floor(((r + 0.5) * t.n) / queryRuns), QUERY_K, metric),
        (a, b) => same(a.indices, b.indices) && same(a.distances, b.distances),
      );
      const f = `one row's neighbours k=${QUERY_K} ${metric}`;
      out.push({ dataset: name, figure: f, jsMs: q.jsMs, wasmMs: q.wasmMs, runs: queryRuns, identical: q.identical, notes: 'rows copied to the kernel in 256 KB chunks per query' });
      log(`wasm: ${name} ${f}: js ${q.jsMs.toFixed(2)} ms, wasm ${q.wasmMs.toFixed(2)} ms`);
    }
  }
  out.push(measureBasis(queryRuns, log));
  for (const L of layouts) out.push(measureRepulsion(L, queryRuns, log), measureAttraction(L, queryRuns, log));
  return out;
}

/** t-SNE's repulsion (one walk per leaf, theta 0.5) summed by either kernel, alternating runs. */
function measureRepulsion({ name, n, dim, Y }: LayoutCase, runs: number, log: (line: string) => void): WasmFigure {
  const tree = new SpaceTree(dim);
  tree.build(Y, n);
  const jsOut = new Float64Array(n * dim);
  const wasmOut = new Float64Array(n * dim);
  // One untimed pair warms both paths up.
  const m = alternating(runs, 1, (simd) => repulsiveForces(tree, 0.5, simd ? wasmOut : jsOut), (a, b) => a === b && same(jsOut, wasmOut));
  const figure = `t-SNE repulsion ${dim}D, theta 0.5 (one tree walk per leaf, then its points' sums)`;
  log(`wasm: ${name} ${figure}: js ${m.jsMs.toFixed(2)} ms, wasm ${m.wasmMs.toFixed(2)} ms`);
  return {
    dataset: name, figure, jsMs: m.jsMs, wasmMs: m.wasmMs, runs, identical: m.identical,
    notes: `median of ${runs}; the walks are JavaScript in both, only the sums differ; ${tree.leafCount} leaves`,
  };
}

/** t-SNE's attraction over P's upper triangle by either kernel, alternating runs (the kernel holds the triangle). */
function measureAttraction({ name, n, dim, Y, U }: LayoutCase, runs: number, log: (line: string) => void): WasmFigure {
  const jsOut = new Float64Array(n * dim);
  const wasmOut = new Float64Array(n * dim);
  const kernel = new Attraction();
  // One untimed pair warms both up (and copies the triangle into the kernel's memory).
  const m = alternating(
    runs, 1,
    (simd) => (simd ? kernel.run(U, Y, dim, 1, wasmOut) : attractiveForcesUpper(U, Y, dim, 1, jsOut)),
    () => same(jsOut, wasmOut),
  );
  const figure = `t-SNE attraction ${dim}D (P's upper triangle, ${U.cols.length} pairs)`;
  log(`wasm: ${name} ${figure}: js ${m.jsMs.toFixed(2)} ms, wasm ${m.wasmMs.toFixed(2)} ms`);
  return {
    dataset: name, figure, jsMs: m.jsMs, wasmMs: m.wasmMs, runs, identical: m.identical,
    notes: `median of ${runs}; the kernel's time includes copying the layout in and the forces out`,
  };
}

/**
 * The subspace searches' Gram–Schmidt (src/reduce/kernels/orthonormal.ts) on the neighbour
 * search's block: 784 rows (mnist's columns) x 64 search dimensions, seeded gaussian values; the
 * median of the runs, alternating, after two of each to warm up.
 */
function measureBasis(runs: number, log: (line: string) => void): WasmFigure {
  const rows = 784;
  const l = 64;
  const rng = createRandom(5);
  const A = Float64Array.from({ length: rows * l }, () => rng.gaussian());
  const o = alternating(runs, 2, () => {
    const B = A.slice();
    orthonormalizeColumns(B, rows, l, createRandom(1), 'bench');
    return B;
  }, same);
  const figure = `orthonormal basis, ${rows} x ${l} (the neighbour search's subspace, twice per search)`;
  log(`wasm: ${figure}: js ${o.jsMs.toFixed(2)} ms, wasm ${o.wasmMs.toFixed(2)} ms`);
  return { dataset: 'seeded gaussian block', figure, jsMs: o.jsMs, wasmMs: o.wasmMs, runs, identical: o.identical, notes: `median of ${runs}, alternating` };
}
