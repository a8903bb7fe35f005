/**
 * The 'wasm' section's measurements, shared by Node (bench/wasm.ts) and the Chromium page it
 * bundles this into: the exact neighbour searches with the JavaScript kernels and with the
 * WebAssembly SIMD ones (src/reduce/kernels/simd), on the same data in the same run, and
 * whether the two give identical results. No Node or DOM APIs here.
 */
import type { Tensor } from '../src/data/types';
import { setSimdEnabled, simdKernels } from '../src/reduce/kernels/simd';
import { exactSearch } from '../src/reduce/knn/exact';
import { rowsOf } from '../src/reduce/knn/metric';
import { nearestNeighbors } from '../src/reduce/knn/neighbors-exact';
import { pca } from '../src/reduce/pca/pca';
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
    const pcaJsMs: number[] = [];
    const pcaWasmMs: number[] = [];
    let pcaJs = timed(false, () => pca(t, 10, { seed: 42 }));
    let pcaWasm = timed(true, () => pca(t, 10, { seed: 42 }));
    let pcaIdentical = true;
    for (let r = 0; r < PCA_RUNS; r++) {
      if (r > 0) {
        pcaJs = timed(false, () => pca(t, 10, { seed: 42 }));
        pcaWasm = timed(true, () => pca(t, 10, { seed: 42 }));
      }
      pcaJsMs.push(pcaJs.ms);
      pcaWasmMs.push(pcaWasm.ms);
      pcaIdentical &&= same(pcaJs.result.projections, pcaWasm.result.projections) && same(pcaJs.result.components, pcaWasm.result.components);
    }
    out.push({
      dataset: name, figure: 'PCA, 10 components (the first view)', jsMs: median(pcaJsMs), wasmMs: median(pcaWasmMs), runs: PCA_RUNS,
      notes: `${path}; ${pcaWasm.result.iterations} power iterations; median of ${PCA_RUNS}, alternating`,
      identical: pcaIdentical,
    });
    log(`wasm: ${name} PCA: js ${median(pcaJsMs).toFixed(0)} ms, wasm ${median(pcaWasmMs).toFixed(0)} ms`);
    for (const metric of ['cosine', 'euclidean'] as const) {
      const jsTimes: number[] = [];
      const wasmTimes: number[] = [];
      let identical = true;
      // Alternating, so drift in the machine's load falls on both alike.
      for (let r = 0; r < queryRuns; r++) {
        const row = Math.floor(((r + 0.5) * t.n) / queryRuns);
        const a = timed(false, () => nearestNeighbors(t, row, QUERY_K, metric));
        const b = timed(true, () => nearestNeighbors(t, row, QUERY_K, metric));
        jsTimes.push(a.ms);
        wasmTimes.push(b.ms);
        identical &&= same(a.result.indices, b.result.indices) && same(a.result.distances, b.result.distances);
      }
      const f = `one row's neighbours k=${QUERY_K} ${metric}`;
      out.push({
        dataset: name, figure: f, jsMs: median(jsTimes), wasmMs: median(wasmTimes), runs: queryRuns, identical,
        notes: 'rows copied to the kernel in 256 KB chunks per query',
      });
      log(`wasm: ${name} ${f}: js ${median(jsTimes).toFixed(2)} ms, wasm ${median(wasmTimes).toFixed(2)} ms`);
    }
  }
  for (const L of layouts) out.push(measureRepulsion(L, queryRuns, log), measureAttraction(L, queryRuns, log));
  return out;
}

/** t-SNE's repulsion (one walk per leaf, theta 0.5) summed by either kernel, alternating runs. */
function measureRepulsion({ name, n, dim, Y }: LayoutCase, runs: number, log: (line: string) => void): WasmFigure {
  const tree = new SpaceTree(dim);
  tree.build(Y, n);
  const jsOut = new Float64Array(n * dim);
  const wasmOut = new Float64Array(n * dim);
  const jsTimes: number[] = [];
  const wasmTimes: number[] = [];
  let identical = true;
  for (let r = 0; r <= runs; r++) {
    const a = timed(false, () => repulsiveForces(tree, 0.5, jsOut));
    const b = timed(true, () => repulsiveForces(tree, 0.5, wasmOut));
    // Run 0 warms both paths up.
    if (r > 0) {
      jsTimes.push(a.ms);
      wasmTimes.push(b.ms);
    }
    identical &&= a.result === b.result && same(jsOut, wasmOut);
  }
  const figure = `t-SNE repulsion ${dim}D, theta 0.5 (one tree walk per leaf, then its points' sums)`;
  log(`wasm: ${name} ${figure}: js ${median(jsTimes).toFixed(2)} ms, wasm ${median(wasmTimes).toFixed(2)} ms`);
  return {
    dataset: name, figure, jsMs: median(jsTimes), wasmMs: median(wasmTimes), runs, identical,
    notes: `median of ${runs}; the walks are JavaScript in both, only the sums differ; ${tree.leafCount} leaves`,
  };
}

/** t-SNE's attraction over P's upper triangle by either kernel, alternating runs (the kernel holds the triangle). */
function measureAttraction({ name, n, dim, Y, U }: LayoutCase, runs: number, log: (line: string) => void): WasmFigure {
  const jsOut = new Float64Array(n * dim);
  const wasmOut = new Float64Array(n * dim);
  const kernel = new Attraction();
  const jsTimes: number[] = [];
  const wasmTimes: number[] = [];
  let identical = true;
  for (let r = 0; r <= runs; r++) {
    const a = timed(false, () => attractiveForcesUpper(U, Y, dim, 1, jsOut));
    const b = timed(true, () => kernel.run(U, Y, dim, 1, wasmOut));
    // Run 0 warms both up (and copies the triangle into the kernel's memory).
    if (r > 0) {
      jsTimes.push(a.ms);
      wasmTimes.push(b.ms);
    }
    identical &&= same(jsOut, wasmOut);
  }
  const figure = `t-SNE attraction ${dim}D (P's upper triangle, ${U.cols.length} pairs)`;
  log(`wasm: ${name} ${figure}: js ${median(jsTimes).toFixed(2)} ms, wasm ${median(wasmTimes).toFixed(2)} ms`);
  return {
    dataset: name, figure, jsMs: median(jsTimes), wasmMs: median(wasmTimes), runs, identical,
    notes: `median of ${runs}; the kernel's time includes copying the layout in and the forces out`,
  };
}
