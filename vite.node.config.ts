import { defineConfig } from 'vite';

/**
 * The Node side as the package ships it: the `projector` command and `embedding-projector/node`
 * bundled into dist-node/ with their dependencies (fast-png), so an installed package runs plain
 * JavaScript without tsx, vite or TypeScript.
 */
export default defineConfig({
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'dist-node',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      // The repulsion thread keeps the name repulsion-threads.ts starts it by, from the sources or the bundle.
      input: { projector: 'src/node/bin.ts', index: 'src/node/log/index.ts', 'repulsion-thread': 'src/node/repulsion-thread.ts' },
      output: {
        format: 'es',
        entryFileNames: (chunk) => (chunk.name === 'repulsion-thread' ? '[name].mjs' : '[name].js'),
        chunkFileNames: '[name]-[hash].js',
        banner: (chunk) => (chunk.name === 'projector' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
  ssr: { noExternal: true, target: 'node' },
});
