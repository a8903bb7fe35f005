/**
 * Cross-origin isolation: with these two headers on the page, SharedArrayBuffer exists, so the
 * vectors are held once for the page and all its workers (src/workers/shared-tensor.ts).
 * COEP `credentialless` (not `require-corp`) so configs, tensors and sprites on other hosts still
 * load: they are fetched without cookies instead of needing a Cross-Origin-Resource-Policy header.
 * Sent by `npm start`, the dev server, `projector serve` and the e2e server.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};
