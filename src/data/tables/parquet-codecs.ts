/**
 * Decompressors for Parquet pages, all plain JavaScript: the page's Content-Security-Policy
 * allows no WebAssembly, so hyparquet-compressors' index (which starts a WASM snappy when
 * imported) is not used. Snappy is hyparquet's own; zstd (DuckDB's and pyarrow's choice) is
 * fzstd, the decoder hyparquet-compressors itself uses.
 */
import type { Compressors } from 'hyparquet';
import { decompress as zstd } from 'fzstd';
import { gunzip } from 'hyparquet-compressors/src/gzip.js';
import { decompressBrotli } from 'hyparquet-compressors/src/brotli.js';
import { decompressLz4, decompressLz4Raw } from 'hyparquet-compressors/src/lz4.js';

export const parquetCompressors: Compressors = {
  ZSTD: (input) => zstd(input),
  GZIP: (input, length) => gunzip(input, new Uint8Array(length)),
  BROTLI: decompressBrotli,
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};
