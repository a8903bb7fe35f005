import { DataError } from './errors';
import { checkTensorSize, formatBytes } from './memory-limit';
import type { Tensor } from './types';

/**
 * A TF-projector `.bytes` tensor: raw little-endian float32, row-major, with no header, so
 * the shape has to come from the config's tensorShape. Accepts a Uint8Array too (Node's
 * Buffer, a slice of a larger read): it is copied unless it spans its whole buffer, so the
 * result's buffer is always aligned and holds exactly the tensor, ready to transfer.
 */
export function parseBytesTensor(
  buf: ArrayBuffer | Uint8Array,
  fileName: string,
  shape: [number, number] | null,
): Tensor {
  if (!shape) {
    throw new DataError(fileName, 'a .bytes tensor needs tensorShape in its config');
  }
  const [n, d] = shape;
  checkTensorSize(n, d, fileName);
  const byteLength = buf.byteLength;
  const expected = n * d * 4;
  if (byteLength !== expected) {
    throw new DataError(
      fileName,
      `file has ${sizeText(byteLength)} but tensorShape [${n}, ${d}] needs ${n} x ${d} x 4 = ${sizeText(expected)}`,
    );
  }
  const data = toFloat32(buf);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      const row = Math.floor(i / d) + 1;
      const col = (i % d) + 1;
      throw new DataError(fileName, `row ${row}, column ${col} is not a finite number (${v})`);
    }
  }
  return { data, n, d };
}

function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${bytes} bytes (${formatBytes(bytes)})`;
}

function toFloat32(buf: ArrayBuffer | Uint8Array): Float32Array {
  if (buf instanceof Uint8Array) {
    if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength) return new Float32Array(buf.buffer);
    // Not buf.slice(): on a Node Buffer that is a view of the same memory, not a copy.
    const copy = new Uint8Array(buf.byteLength);
    copy.set(buf);
    return new Float32Array(copy.buffer);
  }
  return new Float32Array(buf);
}
