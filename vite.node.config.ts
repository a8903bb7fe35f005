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
      input: { projector: 'src/node/bin.ts', index: 'src/node/log/index.ts' },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-[hash].js',
        banner: (chunk) => (chunk.name === 'projector' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
  ssr: { noExternal: true, target: 'node' },
});
