import { DataError } from './errors';
import { checkTensorSize, formatBytes } from './memory-limit';
import type { Tensor } from './types';

/**
 * A TF-projector `.bytes` tensor: raw little-endian float32, row-major, with no header, so
 * the shape has to come from the config's tensorShape. Accepts a Uint8Array too (Node's
 * Buffer, a slice of a larger read): it is copied unless it spans its whole buffer, so the
 * result's buffer is always aligned and holds exactly the tensor, ready to transfer.
 * The length is checked against the shape before anything is allocated or copied.
 */
export function parseBytesTensor(
  buf: ArrayBuffer | Uint8Array,
  fileName: string,
  shape: [number, number] | null,
): Tensor {
  const [n, d] = checkShape(shape, fileName);
  const byteLength = buf.byteLength;
  const expected = n * d * 4;
  if (byteLength !== expected) throw lengthError(fileName, n, d, sizeText(byteLength));
  const data = toFloat32(buf);
  checkFinite(data, d, fileName);
  return { data, n, d };
}

/**
 * Streaming `.bytes` reader: the shape is judged and the tensor allocated once, up front; each
 * chunk is copied straight into it, and reading stops with a DataError as soon as more bytes
 * arrive than the shape holds (a wrong shape or the wrong file), never growing past it.
 */
export class BytesTensorParser {
  private readonly fileName: string;
  private readonly n: number;
  private readonly d: number;
  private readonly data: Float32Array;
  private readonly bytes: Uint8Array;
  private received = 0;
  private failure: unknown = null;
  private result: Tensor | null = null;

  constructor(fileName: string, shape: [number, number] | null) {
    this.fileName = fileName;
    [this.n, this.d] = checkShape(shape, fileName);
    this.data = new Float32Array(this.n * this.d);
    this.bytes = new Uint8Array(this.data.buffer);
  }

  get bytesSeen(): number {
    return this.received;
  }

  push(chunk: Uint8Array): void {
    if (this.result) throw new Error('BytesTensorParser.push called after finish');
    if (this.failure) throw this.failure;
    const end = this.received + chunk.byteLength;
    if (end > this.bytes.length) {
      this.failure = lengthError(this.fileName, this.n, this.d, `more than ${sizeText(this.bytes.length)}`);
      throw this.failure;
    }
    this.bytes.set(chunk, this.received);
    this.received = end;
  }

  finish(): Tensor {
    if (this.failure) throw this.failure;
    if (this.result) return this.result;
    try {
      if (this.received !== this.bytes.length) throw lengthError(this.fileName, this.n, this.d, sizeText(this.received));
      checkFinite(this.data, this.d, this.fileName);
    } catch (e) {
      this.failure = e;
      throw e;
    }
    this.result = { data: this.data, n: this.n, d: this.d };
    return this.result;
  }
}

function checkShape(shape: [number, number] | null, fileName: string): [number, number] {
  if (!shape) {
    throw new DataError(fileName, 'a .bytes tensor needs tensorShape in its config');
  }
  const [n, d] = shape;
  checkTensorSize(n, d, fileName);
  return [n, d];
}

function lengthError(fileName: string, n: number, d: number, found: string): DataError {
  return new DataError(fileName, `file has ${found} but tensorShape [${n}, ${d}] needs ${n} x ${d} x 4 = ${sizeText(n * d * 4)}`);
}

function checkFinite(data: Float32Array, d: number, fileName: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      const row = Math.floor(i / d) + 1;
      const col = (i % d) + 1;
      throw new DataError(fileName, `row ${row}, column ${col} is not a finite number (${v})`);
    }
  }
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
