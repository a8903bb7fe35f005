import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { ISOLATION_HEADERS } from './src/node/isolation-headers.ts';

/**
 * The built app runs under a Content-Security-Policy: scripts and workers only from its own origin
 * (no inline script, no eval; 'wasm-unsafe-eval' lets the neighbour searches compile their
 * WebAssembly SIMD kernels, src/reduce/kernels/simd.ts, and allows nothing else), data from
 * http(s) anywhere (configs on other hosts), styles inline
 * (React's style attributes). Build only: the dev server injects inline scripts of its own.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self' http: https: blob: data:",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

const contentSecurityPolicy = {
  name: 'content-security-policy',
  apply: 'build' as const,
  transformIndexHtml: (html: string) => html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
};

export default defineConfig({
  plugins: [react(), contentSecurityPolicy],
  // Relative asset URLs so the built app also works when served from a sub-path.
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { headers: { ...ISOLATION_HEADERS } },
  preview: { host: '127.0.0.1', port: 4173, headers: { ...ISOLATION_HEADERS } },
  test: {
    projects: [
      {
        extends: true,
        // Units first, then the browser tests alone: CPU-heavy unit tests beside them would skew the long-task check.
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', testTimeout: 60_000, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          // One browser at a time: SwiftShader renders on the CPU, and this machine has two cores.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['tests/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
