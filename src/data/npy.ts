/**
 * NumPy `.npy` reader (format 1.0, 2.0, 3.0), C order only. Every dtype is converted to float32,
 * the only thing the projector keeps. Pure: no DOM, no Node built-ins.
 *
 * Layout: "\x93NUMPY", major, minor, header length (uint16 LE in 1.0, uint32 LE in 2.0/3.0),
 * then a Python dict literal like {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
 * (latin-1 in 1.0/2.0, UTF-8 in 3.0), then the raw data.
 */
import { DataError } from './errors';
import { formatBytes, memoryBudgetBytes } from './memory-limit';
import type { Tensor } from './types';

export interface NpyArray {
  data: Float32Array;
  shape: number[];
  /** The header's descr, e.g. '<f4'. */
  dtype: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Far above any header NumPy writes (a dict of three keys, padded to 64 bytes). */
const MAX_HEADER_BYTES = 1024 * 1024;

/** Header text quoted in an error, cut short. */
function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

type Reader = (view: DataView, offset: number, little: boolean) => number;

/** Reader and byte size per kind+size; '<' / '>' / '|' / '=' pick the byte order. */
const READERS: Record<string, { size: number; read: Reader }> = {
  f2: { size: 2, read: (v, o, le) => halfToFloat(v.getUint16(o, le)) },
  f4: { size: 4, read: (v, o, le) => v.getFloat32(o, le) },
  f8: { size: 8, read: (v, o, le) => v.getFloat64(o, le) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  b1: { size: 1, read: (v, o) => (v.getUint8(o) !== 0 ? 1 : 0) },
  i2: { size: 2, read: (v, o, le) => v.getInt16(o, le) },
  u2: { size: 2, read: (v, o, le) => v.getUint16(o, le) },
  i4: { size: 4, read: (v, o, le) => v.getInt32(o, le) },
  u4: { size: 4, read: (v, o, le) => v.getUint32(o, le) },
  i8: { size: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)) },
  u8: { size: 8, read: (v, o, le) => Number(v.getBigUint64(o, le)) },
};

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

interface Header {
  descr: string;
  fortran: boolean;
  shape: number[];
}

/** Parses the header dict; only the three keys NumPy writes are understood. */
function parseHeader(text: string, fileName: string): Header {
  const bad = (why: string): DataError => new DataError(fileName, `unparseable .npy header (${why}): ${clip(text.trim())}`, { field: 'header' });
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) throw bad('not a dict');
  const descr = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(body);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)\b/.exec(body);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(body);
  if (!descr) {
    if (/['"]descr['"]\s*:\s*\[/.test(body)) {
      throw new DataError(fileName, 'structured dtypes (records) are not supported; save a plain numeric array', { field: 'descr' });
    }
    throw bad("no 'descr'");
  }
  if (!fortran) throw bad("no 'fortran_order'");
  if (!shape) throw bad("no 'shape'");
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (/^\d+L?$/.test(s) ? Number.parseInt(s, 10) : NaN));
  if (dims.some((d) => !Number.isSafeInteger(d))) throw bad(`shape (${clip(shape[1])}) is not a tuple of integers`);
  return { descr: descr[2], fortran: fortran[1] === 'True', shape: dims };
}

/** Reads a whole .npy file into float32. Throws DataError naming the file and what is wrong. */
export function parseNpy(bytes: Uint8Array, fileName: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataError(fileName, 'not a NumPy .npy file (missing the \\x93NUMPY magic bytes)');
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3) {
    throw new DataError(fileName, `unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`, { field: 'version' });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new DataError(fileName, 'file ends inside the .npy header', { field: 'header' });
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLen > MAX_HEADER_BYTES) {
    // NumPy's own reader refuses headers over 10000 bytes; a huge one is damage, not a dict.
    throw new DataError(fileName, `the .npy header claims ${headerLen} bytes, far more than NumPy writes`, { field: 'header' });
  }
  const dataStart = 8 + lenBytes + headerLen;
  if (dataStart > bytes.length) {
    throw new DataError(fileName, `file ends inside the .npy header (${headerLen} bytes declared, ${bytes.length - 8 - lenBytes} present)`, {
      field: 'header',
    });
  }
  const headerBytes = bytes.subarray(8 + lenBytes, dataStart);
  // 1.0/2.0 headers are latin-1; 3.0 allows UTF-8 (only for field names, which we reject anyway).
  let headerText = '';
  if (major === 3) headerText = new TextDecoder('utf-8').decode(headerBytes);
  else for (const b of headerBytes) headerText += String.fromCharCode(b);
  const header = parseHeader(headerText, fileName);

  const m = /^([<>|=])([a-z])(\d+)$/.exec(header.descr);
  const reader = m ? READERS[m[2] + m[3]] : undefined;
  if (!m || !reader) {
    throw new DataError(
      fileName,
      `unsupported dtype '${header.descr}' (supported: float16/32/64, int8/16/32/64, uint8/16/32/64, bool)`,
      { field: 'descr' },
    );
  }
  if (header.fortran) {
    throw new DataError(fileName, 'Fortran-order arrays are not supported; save with np.ascontiguousarray(a) first', {
      field: 'fortran_order',
    });
  }
  const little = m[1] !== '>'; // '|' is byte-order-free; '=' is native, little on every platform we run on

  const count = header.shape.reduce((a, b) => a * b, 1);
  const shapeText = `shape (${header.shape.join(', ')})`;
  // The header alone decides what we would allocate: judge it before reading any data.
  if (count * 4 > memoryBudgetBytes()) {
    throw new DataError(
      fileName,
      `${shapeText} holds ${count} values, which need ${formatBytes(count * 4)} as float32, over the ${formatBytes(memoryBudgetBytes())} this page can hold`,
      { field: 'shape' },
    );
  }
  const need = count * reader.size;
  const have = bytes.length - dataStart;
  if (have < need) {
    throw new DataError(
      fileName,
      `data is shorter than the shape says: ${shapeText} of '${header.descr}' needs ${need} bytes, found ${have}`,
      { field: 'shape' },
    );
  }
  if (have > need) {
    // NumPy writes nothing after the data: extra bytes mean a damaged file or a wrong shape.
    throw new DataError(
      fileName,
      `${have - need} bytes after the data: ${shapeText} of '${header.descr}' needs ${need} bytes, found ${have}`,
      { field: 'shape' },
    );
  }

  const data = new Float32Array(count);
  if (reader === READERS.f4 && little && (bytes.byteOffset + dataStart) % 4 === 0) {
    data.set(new Float32Array(bytes.buffer, bytes.byteOffset + dataStart, count)); // fast path: the common case
  } else if (reader === READERS.u1) {
    data.set(bytes.subarray(dataStart, dataStart + count));
  } else {
    for (let i = 0, o = dataStart; i < count; i++, o += reader.size) data[i] = reader.read(view, o, little);
  }
  return { data, shape: header.shape, dtype: header.descr };
}

/** A .npy as an n x d matrix: shape [n, ...rest] -> n x prod(rest); 1-D -> n x 1. */
export function npyTensor(bytes: Uint8Array, fileName: string): Tensor {
  const { data, shape } = parseNpy(bytes, fileName);
  if (shape.length === 0) {
    throw new DataError(fileName, 'a 0-d (scalar) array is not a tensor; expected shape (n, ...)', { field: 'shape' });
  }
  const n = shape[0];
  const d = shape.slice(1).reduce((a, b) => a * b, 1);
  if (n === 0 || d === 0) throw new DataError(fileName, `empty array: shape (${shape.join(', ')}) holds no vectors`, { field: 'shape' });
  // As for TSV and .bytes: a point with NaN or infinity cannot be placed (NumPy happily saves them).
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (v - v !== 0) throw new DataError(fileName, `row ${Math.floor(k / d) + 1}, column ${(k % d) + 1} is not a finite number (${v})`);
  }
  return { data, n, d };
}
