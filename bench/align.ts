/**
 * Aligned layouts across training epochs (src/reduce/align): public/data/digits-mlp-epochs, groups
 * hidden-layer-1 (1797 x 32) and hidden-layer-2 (1797 x 16), titles epoch-0..epoch-4.
 *
 * Per group and method (PCA 3D, UMAP 2D, and t-SNE 2D at 500 iterations unless --quick), the
 * unaligned layouts (each title reduced alone, same seed, as the app does today) against the
 * aligned chain (title 0 as today; title t warm-started from title t-1's aligned layout — UMAP
 * also anchored to it — then Procrustes-registered onto it; PCA gets the registration only):
 *   displacement  mean over points of |x_t(i) - x_{t-1}(i)| / RMS radius of x_t, on layouts
 *                 normalised as the app's (centred, farthest point at 1), averaged over the 4
 *                 consecutive pairs; target: aligned <= 1/3 of unaligned;
 *   preservation  10-NN preservation of each layout against the exact 10-NN of its title in the
 *                 original space (cosine, the app's default metric), mean over the titles;
 *                 target: aligned within 10% (relative) of unaligned.
 * The targets are PCA's and UMAP's; the t-SNE rows are context (warm start only, no anchor).
 * Times: oursMs = the aligned chain, baselineMs = the unaligned layouts (all 5 titles; the
 * neighbour graphs, the same for both, are built beforehand and not counted).
 * `--align-anchors=0,0.05,...` sets the UMAP anchor weights run (default: 0 and ALIGN_ANCHOR).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VectorsTsvParser } from '../src/data/vectors-tsv';
import type { Tensor } from '../src/data/types';
import { ALIGN_ANCHOR, alignedChain } from '../src/reduce/align/align';
import { neighbourPreservation } from '../src/reduce/embedding-quality';
import { knnExact, knnGraph, type KnnGraph } from '../src/reduce/knn/knn';
import { layoutFromProjections, normalizeLayout } from '../src/reduce/layout';
import { pca } from '../src/reduce/pca/pca';
import { Tsne } from '../src/reduce/tsne/tsne';
import { Umap } from '../src/reduce/umap/umap';
import type { Row } from './common';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIR = path.join(ROOT, 'public/data/digits-mlp-epochs');
const GROUPS = ['hidden-layer-1', 'hidden-layer-2'];
const CHUNK_BYTES = 64 * 1024;
const K_QUALITY = 10;
const TSNE_ITERATIONS = 500;

export interface AlignBenchOptions {
  /** Skips t-SNE. */
  quick?: boolean;
  /** UMAP anchor weights to run; default [0, ALIGN_ANCHOR] (or --align-anchors=...). */
  anchors?: number[];
  skipped?: string[];
  log?: (line: string) => void;
}

interface Title {
  name: string;
  t: Tensor;
}

function loadGroup(group: string): Title[] {
  const config = JSON.parse(readFileSync(path.join(DIR, `template-${group}-configs.json`), 'utf8')) as {
    embeddings: { tensorName: string; tensorShape?: [number, number]; tensorPath: string }[];
  };
  return config.embeddings.map((e) => {
    const bytes = new Uint8Array(readFileSync(path.join(DIR, e.tensorPath)));
    const parser = new VectorsTsvParser(e.tensorPath, e.tensorShape ?? null);
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) parser.push(bytes.subarray(at, at + CHUNK_BYTES));
    const { data, n, d } = parser.finish();
    return { name: e.tensorName, t: { data, n, d } };
  });
}

// ---------------------------------------------------------------------------------------------
// Measures

/** Each pair's mean displacement / RMS radius of the later layout (both normalised as the app). */
export function displacements(layouts: Float32Array[], n: number): number[] {
  const norm = layouts.map((l) => normalizeLayout(l, n, 3));
  const out: number[] = [];
  for (let t = 1; t < norm.length; t++) {
    const a = norm[t - 1], b = norm[t];
    let disp = 0, sq = 0;
    for (let i = 0; i < n; i++) {
      const o = i * 3;
      disp += Math.hypot(b[o] - a[o], b[o + 1] - a[o + 1], b[o + 2] - a[o + 2]);
      sq += b[o] * b[o] + b[o + 1] * b[o + 1] + b[o + 2] * b[o + 2]; // centred by normalizeLayout
    }
    out.push(disp / n / Math.sqrt(sq / n));
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

interface Run {
  layouts: Float32Array[];
  ms: number;
}

function timed(fn: () => Float32Array[]): Run {
  const t0 = performance.now();
  const layouts = fn();
  return { layouts, ms: performance.now() - t0 };
}

// ---------------------------------------------------------------------------------------------
// Methods (as the app: src/workers/layout.worker.ts, PCA with 10 components, seed 42, axes 0-2)

function pcaLayout(t: Tensor): Float32Array {
  const r = pca(t, 10, { seed: 42 });
  return layoutFromProjections(r.projections, t.n, r.k, [0, 1, 2]);
}

function umapLayout(g: KnnGraph, init: Float32Array | null, anchor: number): Float32Array {
  const umap = new Umap(g, { dim: 2, nNeighbors: 15, minDist: 0.1, epochs: 'auto', seed: 1, ...(init ? { init, anchor } : {}) });
  while (!umap.done) umap.step(50);
  return normalizeLayout(umap.positions(), g.n, 2);
}

function tsneLayout(g: KnnGraph, init: Float32Array | null): Float32Array {
  const tsne = new Tsne(g, { dim: 2, perplexity: 30, learningRate: 'auto', iterations: TSNE_ITERATIONS, theta: 0.5, seed: 1, ...(init ? { init } : {}) });
  while (!tsne.done) tsne.step();
  return normalizeLayout(tsne.positions(), g.n, 2);
}

// ---------------------------------------------------------------------------------------------

function anchorsFromArgv(): number[] | null {
  const arg = process.argv.find((a) => a.startsWith('--align-anchors='));
  if (!arg) return null;
  return arg.slice('--align-anchors='.length).split(',').map(Number).filter((x) => x >= 0);
}

export function benchAlign(opts: AlignBenchOptions = {}): Row[] {
  const log = opts.log ?? ((line: string) => console.log(line));
  if (!existsSync(path.join(DIR, 'template-hidden-layer-1-configs.json'))) {
    const why = `${DIR} is missing: align section skipped`;
    log(why);
    opts.skipped?.push(why);
    return [];
  }
  const anchors = opts.anchors ?? anchorsFromArgv() ?? [0, ALIGN_ANCHOR];
  const rows: Row[] = [];
  for (const group of GROUPS) {
    const titles = loadGroup(group);
    const { n, d } = titles[0].t;
    const count = titles.length;
    const reference = titles.map(({ t }) => knnExact(t, K_QUALITY, 'cosine'));
    const kept = (layouts: Float32Array[]) => layouts.map((l, i) => neighbourPreservation(reference[i].indices, reference[i].k, l, n, 3, K_QUALITY));
    const label = `digits-mlp-epochs ${group} (${n}x${d}, ${count} titles)`;

    const row = (method: string, unaligned: Run, aligned: Run, extra: Record<string, unknown> = {}, targeted = true): Row => {
      const dU = displacements(unaligned.layouts, n);
      const dA = displacements(aligned.layouts, n);
      const kU = kept(unaligned.layouts);
      const kA = kept(aligned.layouts);
      const ratio = mean(dA) / mean(dU);
      const keptRatio = mean(kA) / mean(kU);
      const pass = ratio <= 1 / 3 && keptRatio >= 0.9;
      // Epoch 0 is often the untrained network: the first pair's change is the data's own.
      const laterRatio = mean(dA.slice(1)) / mean(dU.slice(1));
      log(`  ${group} ${method}: displacement ${ratio.toFixed(3)}x, 10-NN ${mean(kA).toFixed(3)} vs ${mean(kU).toFixed(3)}`);
      return {
        section: 'align',
        case: `${label} ${method}`,
        oursMs: aligned.ms,
        baselineMs: unaligned.ms,
        speedup: unaligned.ms / aligned.ms,
        runs: { ours: 1, baseline: 1 },
        notes:
          `displacement ${ratio.toFixed(3)}x (${mean(dA).toFixed(3)} vs ${mean(dU).toFixed(3)} RMS radii); ` +
          `10-NN kept ${mean(kA).toFixed(3)} vs ${mean(kU).toFixed(3)} (${(100 * keptRatio).toFixed(1)}%); ` +
          `${!targeted ? 'context, no target' : pass ? 'targets met' : 'TARGET MISSED'} (<= 0.333x, >= 90%); ` +
          `first pair ${dA[0].toFixed(2)} vs ${dU[0].toFixed(2)}, later pairs ${laterRatio.toFixed(2)}x`,
        extra: {
          displacementRatio: ratio,
          displacementRatioAfterFirstPair: laterRatio,
          displacementAligned: dA,
          displacementUnaligned: dU,
          preservationAligned: kA,
          preservationUnaligned: kU,
          preservationRatio: keptRatio,
          targetsMet: targeted ? pass : null,
          ...extra,
        },
      };
    };

    // PCA 3D: registration only.
    log(`align: ${group} PCA…`);
    const pcaU = timed(() => titles.map(({ t }) => pcaLayout(t)));
    const pcaA = timed(() => alignedChain(count, n, 3, (i) => pcaLayout(titles[i].t)));
    rows.push(row('PCA 3D', pcaU, pcaA));

    // UMAP 2D.
    log(`align: ${group} UMAP…`);
    const graphs15 = titles.map(({ t }) => knnGraph(t, Math.min(n - 1, 15), 'cosine', { seed: 1 }));
    const umapU = timed(() => graphs15.map((g) => umapLayout(g, null, 0)));
    for (const anchor of anchors) {
      const umapA = timed(() => alignedChain(count, n, 2, (i, warm) => umapLayout(graphs15[i], warm, anchor)));
      const chosen = anchor === ALIGN_ANCHOR ? ' (ALIGN_ANCHOR)' : '';
      rows.push(row(`UMAP 2D, warm start + anchor ${anchor}${chosen}`, umapU, umapA, { anchor }));
    }

    if (opts.quick) continue;
    // t-SNE 2D, warm start only.
    log(`align: ${group} t-SNE (${TSNE_ITERATIONS} iterations)…`);
    const graphs90 = titles.map(({ t }) => knnGraph(t, Math.min(n - 1, 90), 'cosine', { seed: 1 }));
    const tsneU = timed(() => graphs90.map((g) => tsneLayout(g, null)));
    const tsneA = timed(() => alignedChain(count, n, 2, (i, warm) => tsneLayout(graphs90[i], warm)));
    rows.push(row(`t-SNE 2D (${TSNE_ITERATIONS} it.), warm start`, tsneU, tsneA, {}, false));
  }
  return rows;
}
