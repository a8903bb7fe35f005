/** `projector log` and `projector reduce` read Parquet, Arrow and CSV as the viewer does. */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/node/cli';
import { readLabelsInput, readVectorsInput } from '../../src/node/read-inputs';

const T = 'tests/fixtures/tables';
const work = mkdtempSync(join(tmpdir(), 'cli-tables-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the CLI reads tables', () => {
  it('vectors from Parquet, Arrow and CSV, their other columns as labels', async () => {
    for (const file of ['iris.parquet', 'iris.arrow', 'iris.csv']) {
      const v = await readVectorsInput(join(T, file), '--vectors');
      expect([v.n, v.d]).toEqual([150, 4]);
      expect(v.labels?.columns).toContain('species');
      expect(v.labels?.rows[0][v.labels.columns.indexOf('species')]).toMatch(/^setosa/);
    }
  });

  it('labels from a table, one row per vector; a count that differs is named', async () => {
    const labels = await readLabelsInput(join(T, 'iris.parquet'), 150);
    expect(labels.columns).toContain('species');
    expect(labels.rows).toHaveLength(150);
    await expect(readLabelsInput(join(T, 'iris.parquet'), 149)).rejects.toThrow(/150 label rows but 149 vectors/);
  });

  it('a table with two vector columns asks for --vector', async () => {
    await expect(readVectorsInput(join(T, 'two-vectors.parquet'), '--vectors')).rejects.toThrow(/choose one with --vector <column>/);
    const v = await readVectorsInput(join(T, 'two-vectors.parquet'), '--vectors', 'petals');
    expect(v.n).toBe(150);
  });

  it('projector log --vectors x.parquet writes vectors and the table columns as metadata', async () => {
    const out = join(work, 'log');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = await main(['log', '--vectors', join(T, 'iris.parquet'), '--title', 'iris', '--out', out]);
    log.mockRestore();
    expect(code).toBe(0);
    const meta = readdirSync(out).find((f) => f.startsWith('metadata-'))!;
    const lines = readFileSync(join(out, meta), 'utf8').trim().split('\n');
    expect(lines[0].split('\t')).toContain('species');
    expect(lines).toHaveLength(151);
  });

  it('projector reduce --vectors x.parquet writes the layout and the table columns as metadata', async () => {
    const out = join(work, 'reduce');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await main(['reduce', '--method', 'pca', '--vectors', join(T, 'iris.parquet'), '--out', out]);
    log.mockRestore();
    err.mockRestore();
    expect(code).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'projector_config.json'), 'utf8'));
    expect(config.embeddings[0]).toMatchObject({ tensorShape: [150, 2], metadataPath: 'metadata-iris.tsv' });
    expect(readFileSync(join(out, 'metadata-iris.tsv'), 'utf8').split('\n')[0]).toContain('species');
  });
});
