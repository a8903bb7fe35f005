import { DataError } from './errors';

/**
 * Largest tensor we agree to hold: 1.5 GiB of float32. Browsers cap a single ArrayBuffer at
 * 2-4 GiB and a tab's heap not much higher; the projections and the GPU copy need room too.
 * Refusing up front gives the user a message instead of a crashed tab.
 */
export const MAX_TENSOR_BYTES = 1.5 * 1024 ** 3;

/** Throws a DataError unless an n x d float32 tensor is a sane shape within MAX_TENSOR_BYTES. */
export function checkTensorSize(n: number, d: number, fileName: string): void {
  if (!Number.isSafeInteger(n) || n <= 0 || !Number.isSafeInteger(d) || d <= 0) {
    throw new DataError(fileName, `tensor shape [${n}, ${d}] must be two positive integers`);
  }
  const bytes = n * d * 4;
  if (bytes > MAX_TENSOR_BYTES) {
    throw new DataError(
      fileName,
      `a ${n} x ${d} float32 tensor needs ${formatBytes(bytes)}, over the ${formatBytes(MAX_TENSOR_BYTES)} this page can hold`,
    );
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
