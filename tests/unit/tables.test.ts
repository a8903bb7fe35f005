/** The table readers on files written by DuckDB and apache-arrow (tests/fixtures/tables). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isDataError } from '../../src/data/errors';
import { setMemoryBudgetMB } from '../../src/data/memory-limit';
import { readTable, tableFormat } from '../../src/data/tables/read-table';
import { isVectorChoiceError } from '../../src/data/tables/types';
import { atlasLayout } from '../../src/data/tables/atlas-layout';

const fixture = (f: string) => new Uint8Array(readFileSync(join('tests/fixtures/tables', f)));
const iris = readFileSync('public/data/iris/tensors.tsv', 'utf8').trim().split('\n').map((l) => l.split('\t').map((x) => Math.fround(Number(x))));
const read = (f: string, vector: string | null = null) => readTable(fixture(f), f, { vector });

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    expect(isDataError(e)).toBe(true);
    return e as Error;
  }
  throw new Error('expected a DataError');
}

afterEach(() => setMemoryBudgetMB(0));

describe('readTable', () => {
  it.each(['iris.parquet', 'iris-columns.parquet', 'iris.arrow', 'iris.csv'])('%s: 150 x 4 iris, species and sample_id as metadata', async (f) => {
    const t = await read(f);
    expect([t.n, t.d]).toEqual([150, 4]);
    expect(Array.from(t.data.slice(0, 8))).toEqual([...iris[0], ...iris[1]]);
    expect(Array.from(t.data.slice(596))).toEqual(iris[149]);
    const [species, id] = t.metadata!.columns;
    expect(species.name).toBe('species');
    expect(species.numeric).toBe(false);
    expect(species.distinct).toBe(3);
    expect(species.values[0]).toBe(f === 'iris.csv' ? 'setosa, iris' : 'setosa');
    expect([id.name, id.numeric, id.values[149]]).toEqual(['sample_id', true, '150']);
    expect(t.images).toBeNull();
  });

  it('tells the formats apart by content, not name', () => {
    expect(tableFormat(fixture('iris.parquet'))).toBe('parquet');
    expect(tableFormat(fixture('iris.arrow'))).toBe('arrow');
    expect(tableFormat(fixture('iris.csv'))).toBe('delimited');
  });

  it('a JSON-array vector column in a CSV, with quoted words', async () => {
    const t = await read('glove-words.csv');
    expect([t.n, t.d, t.vectorColumns]).toEqual([60, 100, ['vector']]);
    const words = t.metadata!.columns[0].values;
    expect(words.slice(0, 3)).toEqual(['the', ',', '.']);
    expect(words).toContain('"');
    expect(words).toContain("'");
    expect(t.data[0]).toBeCloseTo(-0.038194, 6);
  });

  it('CSV/TSV text: space-separated vectors, a TSV by name, quotes and line breaks in quotes', async () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const tsv = await readTable(enc('id\tvec\tnote\n1\t0.5 1 2\t"a\tb"\n2\t3 4 5\t"multi\nline"\n'), 'x.tsv');
    expect([tsv.n, tsv.d, Array.from(tsv.data)]).toEqual([2, 3, [0.5, 1, 2, 3, 4, 5]]);
    expect(tsv.metadata!.columns.map((c) => c.values)).toEqual([['1', '2'], ['a\tb', 'multi\nline']]);
    // Only integers: they are the vector.
    const ints = await readTable(enc('a,b\n1,2\n3,4\n'), 'x.csv');
    expect([ints.d, ints.metadata]).toEqual([2, null]);
  });

  it('an image-bytes column (Hugging Face {bytes, path} structs) is returned as pictures', async () => {
    const t = await read('mnist-images.parquet');
    expect([t.n, t.d, t.vectorColumns]).toEqual([120, 784, ['embedding']]);
    expect(t.metadata!.columns.map((c) => c.name)).toEqual(['label']);
    expect(t.images!.column).toBe('image');
    expect(t.images!.cells.every((c) => c !== null && c[1] === 0x50)).toBe(true);
    expect(atlasLayout(t.images!.cells, 'mnist-images.parquet', 'image')).toEqual({ cell: [28, 28], columns: 11, width: 308, height: 308 });
  });

  it('null and NaN vectors name the file, the column and the row', async () => {
    expect((await rejection(read('null-vector.parquet'))).message).toBe(
      'null-vector.parquet: column "embedding", row 3: is empty (null); every vector needs all its values',
    );
    expect((await rejection(read('nan-vector.parquet'))).message).toMatch(/^nan-vector\.parquet: column "embedding", row 4: is NaN/);
    const csv = new TextEncoder().encode('a,b,label\n1.5,2,x\n,3,y\n');
    expect((await rejection(readTable(csv, 'gap.csv'))).message).toBe('gap.csv: column "a", row 2: is empty; every vector needs all its values');
    const nan = new TextEncoder().encode('v,label\n"[1,2]",x\n"[1,NaN]",y\n');
    expect((await rejection(readTable(nan, 'nan.csv'))).message).toMatch(/^nan\.csv: column "v", row 2: is NaN/);
  });

  it('several vector columns: an error carrying the choices, until one is chosen', async () => {
    const e = await rejection(read('two-vectors.parquet'));
    expect(isVectorChoiceError(e)).toBe(true);
    expect((e as Error & { choices: string[] }).choices).toEqual(['measurements', 'petals']);
    expect(e.message).toMatch(/two-vectors\.parquet: has 2 vector columns \(measurements, petals\)/);
    const petals = await read('two-vectors.parquet', 'petals');
    expect([petals.n, petals.d, petals.vectorChoices]).toEqual([150, 2, ['measurements', 'petals']]);
    expect(Array.from(petals.data.slice(0, 2))).toEqual(iris[0].slice(2));
    expect((await rejection(read('two-vectors.parquet', 'sepals'))).message).toMatch(/no vector column "sepals" \(vector columns: measurements, petals\)/);
  });

  it('no vector column, damaged files and sizes over the budget are DataErrors', async () => {
    const text = new TextEncoder().encode('name,colour\na,red\n');
    expect((await rejection(readTable(text, 'words.csv'))).message).toMatch(/^words\.csv: no vector column/);
    const cut = fixture('iris.parquet').slice(0, 900);
    expect((await rejection(readTable(cut, 'cut.parquet'))).message).toMatch(/^cut\.parquet: /);
    expect((await rejection(readTable(new TextEncoder().encode('x'), 'x.arrow'))).message).toMatch(/not an Arrow IPC file/);
    setMemoryBudgetMB(0.0001);
    expect((await rejection(read('mnist-images.parquet'))).message).toMatch(/^mnist-images\.parquet: a 120 x 784 float32 tensor needs/);
  });

  it('an Arrow file whose footer points at a message other than a record batch is named, not read forever', async () => {
    // Found by fuzzing (a mutated iris.arrow): apache-arrow's reader looped on it without end.
    const e = await rejection(readTable(fixture('damaged-batch.arrow'), 'damaged-batch.arrow'));
    expect(e.message).toBe('damaged-batch.arrow: is a damaged Arrow file: record batch 0 is not a record batch message');
    expect((await readTable(fixture('iris.arrow'), 'iris.arrow')).n).toBe(150);
  });
});
