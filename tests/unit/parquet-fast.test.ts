/**
 * The page-by-page Parquet vector reader (src/data/tables/parquet-vector.ts) against hyparquet's
 * general path, on every Parquet fixture (DuckDB and arrow-rs files: v1 and v2 pages, PLAIN,
 * dictionary and BYTE_STREAM_SPLIT floats, several row groups and pages): the same Float32Array
 * bit for bit, and the same named errors for nulls, NaN, infinities and ragged lists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { isDataError } from '../../src/data/errors';
import { readParquet, type ParquetPaths } from '../../src/data/tables/parquet';
import { parquetCompressors } from '../../src/data/tables/parquet-codecs';
import { Unsupported } from '../../src/data/tables/parquet-pages';
import { readVectorFast } from '../../src/data/tables/parquet-vector';
import { isVectorChoiceError } from '../../src/data/tables/types';

const DIR = 'tests/fixtures/tables';
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.parquet')).sort();
const bytesOf = (f: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, f)));

/** What a read gives, or the message of the error it throws. */
async function outcome(f: string, vector: string | null, vectorPath: ParquetPaths['vector']): Promise<{ data: Float32Array; d: number; metadata: unknown } | string> {
  try {
    const t = await readParquet(bytesOf(f), f, { vector }, { vector: vectorPath });
    return { data: t.data, d: t.d, metadata: t.metadata };
  } catch (e) {
    if (!isDataError(e)) throw e;
    return (e as Error).message;
  }
}

/** The vector choices of a file: each list column, or null when the scalars are the vector. */
async function choices(f: string): Promise<(string | null)[]> {
  try {
    const t = await readParquet(bytesOf(f), f, {}, { vector: 'general' });
    return t.vectorChoices.length ? t.vectorChoices : [null];
  } catch (e) {
    if (isVectorChoiceError(e)) return e.choices;
    return [null];
  }
}

/** The fast reader alone, without the fallback, on the given columns of a fixture. */
function fast(f: string, names: string[], list: boolean): Float32Array {
  const bytes = bytesOf(f);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(buffer);
  const tree = parquetSchema(metadata);
  const n = Number(metadata.num_rows);
  const columns = names.map((name) => ({ name, node: tree.children.find((c) => c.element.name === name)! }));
  const stored = list ? metadata.row_groups.reduce((s, g) => s + Number(g.columns.find((c) => c.meta_data?.path_in_schema[0] === names[0])!.meta_data!.num_values), 0) : 0;
  return readVectorFast(buffer, metadata, columns, list, n, list ? stored / n : names.length, f, parquetCompressors);
}

function fastError(f: string, names: string[], list: boolean): string {
  try {
    fast(f, names, list);
  } catch (e) {
    expect(isDataError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a DataError');
}

describe('Parquet vectors page by page', () => {
  it('the fixtures cover what the fast reader must decode', () => {
    expect(FILES).toEqual(expect.arrayContaining(['bad-vectors.parquet', 'many-pages.parquet', 'many-pages-v2.parquet', 'row-groups.parquet', 'row-groups-v2.parquet']));
  });

  it.each(FILES)('%s: the same tensor (or error) as the general path, for every vector column', async (f) => {
    for (const vector of await choices(f)) {
      const general = await outcome(f, vector, 'general');
      const quick = await outcome(f, vector, 'fast');
      if (typeof general === 'string') {
        expect(quick).toBe(general);
        continue;
      }
      if (typeof quick === 'string') throw new Error(`${f} ${vector}: ${quick}`);
      expect(quick.d).toBe(general.d);
      // Bit for bit: the bytes, so that NaN payloads and -0 count too.
      expect(new Uint8Array(quick.data.buffer)).toEqual(new Uint8Array(general.data.buffer));
      expect(quick.metadata).toEqual(general.metadata);
    }
  });

  it.each([
    ['iris.parquet', 'embedding'],
    ['mnist-images.parquet', 'embedding'],
    ['row-groups.parquet', 'wave'], // 3 row groups, PLAIN floats
    ['row-groups.parquet', 'steps'], // PLAIN_DICTIONARY floats
    ['row-groups-v2.parquet', 'wave'], // BYTE_STREAM_SPLIT
    ['row-groups-v2.parquet', 'steps'], // RLE_DICTIONARY
    ['many-pages.parquet', 'f32'], // dictionary pages, then PLAIN once it overflows; v1
    ['many-pages.parquet', 'f64'],
    ['many-pages.parquet', 'f16'],
    ['many-pages-v2.parquet', 'f32'], // v2 pages, gzip
    ['many-pages-v2.parquet', 'f64'],
  ])('%s %s is read by the fast reader itself, not its fallback', async (f, column) => {
    const general = await readParquet(bytesOf(f), f, { vector: column }, { vector: 'general' });
    expect(fast(f, [column], true)).toEqual(general.data);
  });

  it('falls back where it does not decode: float16 as DELTA_BYTE_ARRAY (arrow-rs v2)', async () => {
    expect(() => fast('many-pages-v2.parquet', ['f16'], true)).toThrow(Unsupported);
    const general = await readParquet(bytesOf('many-pages-v2.parquet'), 'x', { vector: 'f16' }, { vector: 'general' });
    const quick = await readParquet(bytesOf('many-pages-v2.parquet'), 'x', { vector: 'f16' });
    expect(quick.data).toEqual(general.data);
  });

  it('numeric scalar columns side by side, PLAIN and dictionary, INT32 and DOUBLE, over row groups', async () => {
    for (const f of ['row-groups.parquet', 'row-groups-v2.parquet']) {
      if (f === 'row-groups-v2.parquet') {
        // DuckDB's v2 ids are DELTA_BINARY_PACKED: left to the general path.
        expect(() => fast(f, ['id', 'level'], false)).toThrow(Unsupported);
        continue;
      }
      const rows = (await parquetReadObjects({ file: bytesOf(f).buffer as ArrayBuffer, columns: ['id', 'level'], compressors: parquetCompressors })) as { id: number; level: number }[];
      const expected = Float32Array.from(rows.flatMap((r) => [r.id, r.level]));
      expect(fast(f, ['id', 'level'], false)).toEqual(expected);
    }
    expect(fast('row-groups-v2.parquet', ['level'], false)).toEqual(fast('row-groups.parquet', ['level'], false));
  });

  it('nulls, NaN, infinities, empty and ragged lists: the fast reader names them as the general path does', async () => {
    const cases: [string, string, string][] = [
      ['null-vector.parquet', 'embedding', 'column "embedding", row 3: is empty (null); every vector needs all its values'],
      ['nan-vector.parquet', 'embedding', 'column "embedding", row 4: is NaN; vectors must be finite numbers'],
      ['bad-vectors.parquet', 'short_row', 'column "short_row", row 2: has 2 values but row 1 has 3'],
      ['bad-vectors.parquet', 'empty_first', 'column "empty_first", row 1: the vector is empty'],
      ['bad-vectors.parquet', 'null_item', 'column "null_item", row 3: is empty (null); every vector needs all its values'],
      ['bad-vectors.parquet', 'infinite', 'column "infinite", row 2: is Infinity; vectors must be finite numbers'],
      ['bad-vectors.parquet', 'short_nan', 'column "short_nan", row 2: has 2 values but row 1 has 3'],
    ];
    for (const [f, column, message] of cases) {
      expect(fastError(f, [column], true)).toBe(`${f}: ${message}`);
      expect(await outcome(f, column, 'general')).toBe(`${f}: ${message}`);
      expect(await outcome(f, column, 'fast')).toBe(`${f}: ${message}`);
    }
    expect(fastError('bad-vectors.parquet', ['id', 'gap'], false)).toBe('bad-vectors.parquet: column "gap", row 4: is empty (null); every vector needs all its values');
  });
});
