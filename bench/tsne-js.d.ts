/** Just enough of tsne-js 1.0.3 (no bundled types) for the t-SNE bench and tests. */
declare module 'tsne-js' {
  import type { EventEmitter } from 'node:events';

  interface TsneJsNdArray {
    data: Float64Array;
    shape: number[];
  }

  export default class TSNE extends EventEmitter {
    constructor(config?: {
      dim?: number;
      perplexity?: number;
      earlyExaggeration?: number;
      learningRate?: number;
      nIter?: number;
      metric?: 'euclidean' | 'manhattan' | 'jaccard' | 'dice';
    });
    init(opts: { data: number[][]; type?: 'dense' | 'sparse' }): void;
    /** [final error, last iteration]. Emits 'progressIter' with [iteration, error, gradient norm] every iteration. */
    run(): [number, number];
    getOutput(): number[][];
    /** The joint probabilities after run() (n x n, floored at machine epsilon). */
    P: TsneJsNdArray;
    outputEmbedding: TsneJsNdArray;
  }
}
