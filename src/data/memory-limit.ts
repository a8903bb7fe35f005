import { DataError } from './errors';

/**
 * Default for the largest tensor we agree to hold: 1.5 GiB of float32. Browsers cap a single
 * ArrayBuffer at 2-4 GiB and a tab's heap not much higher; the projections and the GPU copy
 * need room too. Refusing up front gives the user a message instead of a crashed tab.
 */
export const MAX_TENSOR_BYTES = 1.5 * 1024 ** 3;

/** Sides a browser decodes and draws into a canvas (Chrome and Firefox stop at 32767). */
export const MAX_IMAGE_SIDE = 32767;
/** Pixels a browser canvas holds (Chrome's area limit, 16384 x 16384). */
export const MAX_IMAGE_PIXELS = 16384 * 16384;

let budgetBytes = MAX_TENSOR_BYTES;

/** The memory budget in force, in bytes: MAX_TENSOR_BYTES unless setMemoryBudgetMB changed it. */
export function memoryBudgetBytes(): number {
  return budgetBytes;
}

/**
 * Sets the budget for one tensor (and one decoded image) to `mb` MiB, e.g. from `?maxMemoryMB=`.
 * Anything but a positive finite number restores the default. The budget is per JavaScript
 * realm: a worker has its own and must be told too. Returns the budget now in force, in bytes.
 */
export function setMemoryBudgetMB(mb: number): number {
  budgetBytes = Number.isFinite(mb) && mb > 0 ? Math.max(4, Math.floor(mb * 1024 * 1024)) : MAX_TENSOR_BYTES;
  return budgetBytes;
}

/** Throws a DataError unless an n x d float32 tensor is a sane shape within the memory budget. */
export function checkTensorSize(n: number, d: number, fileName: string): void {
  if (!Number.isSafeInteger(n) || n <= 0 || !Number.isSafeInteger(d) || d <= 0) {
    throw new DataError(fileName, `tensor shape [${n}, ${d}] must be two positive integers`);
  }
  const bytes = n * d * 4;
  if (bytes > budgetBytes) {
    throw new DataError(
      fileName,
      `a ${n} x ${d} float32 tensor needs ${formatBytes(bytes)}, over the ${formatBytes(budgetBytes)} this page can hold`,
    );
  }
}

/**
 * Throws a DataError unless a width x height image (from its header, before decoding) is one
 * a browser decodes and whose RGBA pixels (4 bytes each) fit the memory budget.
 */
export function checkImageSize(width: number, height: number, fileName: string): void {
  if (!Number.isSafeInteger(width) || width <= 0 || !Number.isSafeInteger(height) || height <= 0) {
    throw new DataError(fileName, `image size ${width} x ${height} must be two positive integers`);
  }
  const bytes = width * height * 4;
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new DataError(
      fileName,
      `a ${width} x ${height} image would need ${formatBytes(bytes)} decoded, beyond what a browser decodes ` +
        `(at most ${MAX_IMAGE_SIDE} pixels a side and ${MAX_IMAGE_PIXELS / 1024 ** 2}M pixels, 16384 x 16384)`,
    );
  }
  if (bytes > budgetBytes) {
    throw new DataError(
      fileName,
      `a ${width} x ${height} image needs ${formatBytes(bytes)} decoded, over the ${formatBytes(budgetBytes)} this page can hold`,
    );
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
