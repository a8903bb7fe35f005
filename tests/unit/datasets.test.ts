/**
 * Every parser on every real dataset: the bundled copies in public/data always, and the full
 * set in ../shared/data when it is there (CI may run without it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBytesTensor } from '../../src/data/bytes-tensor';
import { DataError } from '../../src/data/errors';
import { planFileSet, resolveDroppedPath } from '../../src/data/file-set';
import { checkMetadataRows, parseMetadata } from '../../src/data/metadata-tsv';
import { parseProjectorConfig } from '../../src/data/projector-config';
import { spriteGeometry } from '../../src/data/sprite-geometry';
import type { Metadata, ParsedVectors, Tensor } from '../../src/data/types';
import {
  HAS_SHARED,
  PUBLIC_DATA,
  SHARED_DATA,
  nonBlankLines,
  parseInRandomChunks,
  parseVectorsFile,
  parseVectorsText,
  pngSize,
  readText,
} from './dataset-helpers';

interface MetaExpect {
  columns: string[];
  numeric: boolean[];
}

interface ConfigExpect {
  config: string;
  group: string;
  titles: string[];
  shapes: [number, number][];
  metadata: Record<string, MetaExpect>;
  /** Sprite grid as [columns, rows] per title; null for a title without a sprite. */
  sprites?: ([number, number] | null)[];
}

const IRIS_META: MetaExpect = {
  columns: ['species', 'sample_id', 'sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'],
  numeric: [false, true, true, true, true, true],
};
const TF_IRIS_LABELS: MetaExpect = {
  columns: ['sepal-length', 'sepal-width', 'petal-length', 'petal-width', 'class'],
  numeric: [true, true, true, true, false],
};
const ONE_COLUMN_LABELS: MetaExpect = { columns: ['label'], numeric: [true] };
const DIGITS_MLP_META: MetaExpect = {
  columns: ['label', 'predicted_epoch4', 'correct_epoch4', 'split'],
  numeric: [true, true, false, false],
};
const EPOCHS = ['epoch-0', 'epoch-1', 'epoch-2', 'epoch-3', 'epoch-4'];

/** Folder name -> what each of its configs must give. Folders not listed here must not exist. */
const DATASETS: Record<string, ConfigExpect[]> = {
  iris: [
    {
      config: 'projector_config.json',
      group: 'Iris',
      titles: ['Iris (150 x 4)'],
      shapes: [[150, 4]],
      metadata: { 'metadata.tsv': IRIS_META },
    },
  ],
  'palmer-penguins': [
    {
      config: 'projector_config.json',
      group: 'Palmer penguins',
      titles: ['Palmer penguins (342 x 4, unscaled)'],
      shapes: [[342, 4]],
      metadata: {
        'metadata.tsv': {
          columns: ['Species', 'Island', 'Sex', 'Body Mass (g)', 'row_in_source'],
          numeric: [false, false, false, true, true],
        },
      },
    },
  ],
  'sklearn-digits-8x8': [
    {
      config: 'projector_config.json',
      group: 'sklearn digits 8x8',
      titles: ['UCI optdigits 8x8 (sklearn digits, 1797 x 64)'],
      shapes: [[1797, 64]],
      metadata: { 'metadata.tsv': { columns: ['digit', 'sample_index'], numeric: [true, true] } },
      sprites: [[43, 43]],
    },
  ],
  'mnist-2k': [
    {
      config: 'projector_config.json',
      group: 'MNIST 2k (784d pixels)',
      titles: ['MNIST 2k (784d pixels)'],
      shapes: [[2000, 784]],
      metadata: { 'metadata.tsv': { columns: ['label', 'mnist_test_index'], numeric: [true, true] } },
      sprites: [[45, 45]],
    },
  ],
  'mnist-10k': [
    {
      config: 'projector_config.json',
      group: 'MNIST 10k (784d pixels)',
      titles: ['MNIST 10k (784d pixels)'],
      shapes: [[10000, 784]],
      metadata: { 'metadata.tsv': ONE_COLUMN_LABELS },
      sprites: [[100, 100]],
    },
  ],
  'glove-100d-10k': [
    {
      config: 'projector_config.json',
      group: 'GloVe 100d 10000',
      titles: ['GloVe 6B 100d, top 10000 words'],
      shapes: [[10000, 100]],
      metadata: { 'metadata.tsv': { columns: ['word', 'glove_rank'], numeric: [false, true] } },
    },
  ],
  'tf-demo': [
    {
      config: 'projector_config.json',
      group: 'Demo datasets',
      titles: ['Mnist with images', 'Iris'],
      shapes: [
        [10000, 784],
        [150, 4],
      ],
      metadata: { 'mnist_10k_784d_labels.tsv': ONE_COLUMN_LABELS, 'iris_labels.tsv': TF_IRIS_LABELS },
      sprites: [[100, 100], null],
    },
    {
      config: 'projector_config.bytes-iris.json',
      group: 'Demo datasets (binary tensor)',
      titles: ['Iris (.bytes float32)'],
      shapes: [[150, 4]],
      metadata: { 'iris_labels.tsv': TF_IRIS_LABELS },
    },
  ],
  'tf-demo-iris': [
    {
      config: 'projector_config.bytes-iris.json',
      group: 'Demo datasets (binary tensor)',
      titles: ['Iris (.bytes float32)'],
      shapes: [[150, 4]],
      metadata: { 'iris_labels.tsv': TF_IRIS_LABELS },
    },
  ],
  'digits-mlp-epochs': [
    {
      config: 'template-hidden-layer-1-configs.json',
      group: 'hidden-layer-1',
      titles: EPOCHS,
      shapes: EPOCHS.map(() => [1797, 32] as [number, number]),
      metadata: { 'metadata-digits-1797.tsv': DIGITS_MLP_META },
      sprites: EPOCHS.map(() => [43, 43] as [number, number]),
    },
    {
      config: 'template-hidden-layer-2-configs.json',
      group: 'hidden-layer-2',
      titles: EPOCHS,
      shapes: EPOCHS.map(() => [1797, 16] as [number, number]),
      metadata: { 'metadata-digits-1797.tsv': DIGITS_MLP_META },
      sprites: EPOCHS.map(() => [43, 43] as [number, number]),
    },
  ],
};

/** JSON files in the datasets that are not projector configs. */
const NOT_CONFIGS = new Set(['training-log.json']);

/**
 * Index of the first float32 that differs from the naive split/Number parse, or -1. Big files
 * check the first and last rows and every 7th between, to keep the suite fast.
 */
function firstMismatch(v: Tensor, text: string): number {
  const lines = nonBlankLines(text);
  if (lines.length !== v.n) return -2;
  const step = text.length > 5_000_000 ? 7 : 1;
  const rows: number[] = [];
  for (let i = 0; i < v.n - 1; i += step) rows.push(i);
  rows.push(v.n - 1);
  for (const i of rows) {
    const cells = lines[i].replace(/\r$/, '').split('\t');
    if (cells.length !== v.d) return i * v.d;
    for (let j = 0; j < v.d; j++) {
      if (!Object.is(v.data[i * v.d + j], Math.fround(Number(cells[j])))) return i * v.d + j;
    }
  }
  return -1;
}

function sameBytes(a: Float32Array, b: Float32Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

function expectMetadata(meta: Metadata, want: MetaExpect, n: number, fileName: string): void {
  expect(meta.columns.map((c) => c.name)).toEqual(want.columns);
  expect(meta.columns.map((c) => c.numeric)).toEqual(want.numeric);
  expect(meta.rows).toBe(n);
  for (const c of meta.columns) expect(c.values.length).toBe(n);
  checkMetadataRows(meta, n, fileName);
}

function datasetSuite(root: string, folders: string[]): void {
  for (const folder of folders) {
    const dir = join(root, folder);
    const specs = DATASETS[folder];

    describe(folder, () => {
      it('has exactly the configs we expect, and nothing else parses as one', () => {
        const jsons = readdirSync(dir).filter((f) => f.endsWith('.json'));
        expect(jsons.filter((f) => !NOT_CONFIGS.has(f)).sort()).toEqual(specs.map((s) => s.config).sort());
        for (const f of jsons.filter((j) => NOT_CONFIGS.has(j))) {
          expect(() => parseProjectorConfig(readText(join(dir, f)), f)).toThrow(DataError);
        }
      });

      for (const spec of specs) {
        describe(spec.config, () => {
          const group = parseProjectorConfig(readText(join(dir, spec.config)), `${folder}/${spec.config}`);
          const files = readdirSync(dir).map((name) => ({ path: `${folder}/${name}`, name }));
          const pathOf = (ref: string): string => {
            const hit = resolveDroppedPath(ref, group.baseName, files);
            if (!hit) throw new Error(`${ref} does not resolve in ${folder}`);
            return join(root, hit);
          };

          it('parses with the right group, titles and shapes', () => {
            expect(group.name).toBe(spec.group);
            expect(group.baseName).toBe(`${folder}/${spec.config}`);
            expect(group.embeddings.map((e) => e.tensorName)).toEqual(spec.titles);
            expect(group.embeddings.map((e) => e.tensorShape)).toEqual(spec.shapes);
          });

          group.embeddings.forEach((emb, k) => {
            it(`${emb.tensorName}: tensor matches a naive parse, metadata and sprite fit`, async () => {
              const tensorFile = pathOf(emb.tensorPath);
              let tensor: Tensor;
              if (emb.tensorPath.endsWith('.bytes')) {
                tensor = parseBytesTensor(readFileSync(tensorFile), emb.tensorPath, emb.tensorShape);
                // TF ships the same Iris as text; the two must agree to the bit.
                const asText = await parseVectorsFile(tensorFile.replace(/\.bytes$/, '.tsv'));
                expect(sameBytes(tensor.data, asText.data)).toBe(true);
              } else {
                const parsed: ParsedVectors = await parseVectorsFile(tensorFile, emb.tensorShape, 65_537);
                expect(parsed.rowLabels).toBeNull();
                tensor = parsed;
                expect(firstMismatch(tensor, readText(tensorFile))).toBe(-1);
              }
              expect([tensor.n, tensor.d]).toEqual(spec.shapes[k]);
              expect(tensor.data.length).toBe(tensor.n * tensor.d);

              expect(emb.metadataPath).not.toBeNull();
              const metaPath = emb.metadataPath ?? '';
              const meta = parseMetadata(readText(pathOf(metaPath)), metaPath);
              expectMetadata(meta, spec.metadata[metaPath], tensor.n, metaPath);

              const grid = spec.sprites?.[k] ?? null;
              if (grid) {
                expect(emb.sprite).not.toBeNull();
                const sprite = emb.sprite ?? { imagePath: '', singleImageDim: [0, 0] };
                const [w, h] = pngSize(pathOf(sprite.imagePath));
                const geom = spriteGeometry(w, h, sprite.singleImageDim, tensor.n, sprite.imagePath);
                expect([geom.columns, geom.rows]).toEqual(grid);
              } else {
                expect(emb.sprite).toBeNull();
              }
            });
          });
        });
      }
    });
  }
}

describe('bundled datasets (public/data)', () => {
  const folders = readdirSync(PUBLIC_DATA).sort();
  it('are all covered here', () => {
    for (const f of folders) expect(Object.keys(DATASETS)).toContain(f);
  });
  datasetSuite(PUBLIC_DATA, folders);

  it('iris: identical output for random chunk boundaries, and with a label column added', () => {
    const bytes = readFileSync(join(PUBLIC_DATA, 'iris/tensors.tsv'));
    const whole = parseVectorsText(bytes, 'tensors.tsv');
    for (let seed = 1; seed <= 25; seed++) {
      const chunked = parseInRandomChunks(bytes, seed, seed * 13, 'tensors.tsv');
      expect(sameBytes(chunked.data, whole.data)).toBe(true);
    }
    const spoiled = { ...whole, data: whole.data.slice() };
    spoiled.data[599] += 0.5;
    expect(firstMismatch(spoiled, bytes.toString('utf8'))).toBe(599);

    const species = parseMetadata(readText(join(PUBLIC_DATA, 'iris/metadata.tsv')), 'metadata.tsv').columns[0].values;
    const lines = nonBlankLines(bytes.toString('utf8'));
    const labelled = parseVectorsText(lines.map((l, i) => `${species[i]}\t${l}`).join('\n'), 'labelled.tsv', [150, 4]);
    expect(labelled.rowLabels).toEqual(species);
    expect(sameBytes(labelled.data, whole.data)).toBe(true);
  });

  it('digits-mlp-epochs: random chunk boundaries give identical output on every epoch file', () => {
    const dir = join(PUBLIC_DATA, 'digits-mlp-epochs');
    const files = readdirSync(dir).filter((f) => f.startsWith('vectors-'));
    expect(files).toHaveLength(10);
    files.forEach((f, i) => {
      const bytes = readFileSync(join(dir, f));
      const whole = parseVectorsText(bytes, f);
      const chunked = parseInRandomChunks(bytes, 100 + i, 4096, f, [1797, whole.d]);
      expect(sameBytes(chunked.data, whole.data)).toBe(true);
    });
  });

  it('penguins: empty Sex cells are null, "." is kept, numeric columns stay numeric', () => {
    const meta = parseMetadata(readText(join(PUBLIC_DATA, 'palmer-penguins/metadata.tsv')), 'metadata.tsv');
    const sex = meta.columns[2].values;
    expect(sex.filter((v) => v === null)).toHaveLength(8);
    expect(sex.filter((v) => v === '.')).toHaveLength(1);
    expect(sex[7]).toBeNull();
    expect(meta.columns[3].values.every((v) => v !== null)).toBe(true);
  });

  it('dropping bundled folders without their configs', async () => {
    const listing = (folder: string) =>
      readdirSync(join(PUBLIC_DATA, folder)).map((name) => ({ path: `${folder}/${name}`, name, size: 0 }));
    const readHead = async (path: string) => readText(join(PUBLIC_DATA, path)).slice(0, 4096);

    const digits = await planFileSet(listing('digits-mlp-epochs'), readHead);
    expect(digits.configs).toEqual([
      'digits-mlp-epochs/template-hidden-layer-1-configs.json',
      'digits-mlp-epochs/template-hidden-layer-2-configs.json',
    ]);

    const irisTsvs = listing('iris').filter((f) => f.name.endsWith('.tsv'));
    const iris = await planFileSet(irisTsvs, readHead);
    expect(iris.bareGroups).toHaveLength(1);
    expect(iris.bareGroups[0].name).toBe('iris');
    expect(iris.bareGroups[0].embeddings.map((e) => [e.tensorName, e.tensorPath, e.metadataPath])).toEqual([
      ['tensors', 'iris/tensors.tsv', 'iris/metadata.tsv'],
    ]);

    const tfIris = listing('tf-demo-iris').filter((f) => !f.name.endsWith('.json'));
    await expect(planFileSet(tfIris, readHead)).rejects.toThrow(/iris_tensors\.bytes: a \.bytes tensor has no shape/);
  });
});

describe.skipIf(!HAS_SHARED)('shared datasets (../shared/data)', () => {
  const folders = HAS_SHARED
    ? readdirSync(SHARED_DATA, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];
  it('are all covered here', () => {
    for (const f of folders) expect(Object.keys(DATASETS)).toContain(f);
  });
  datasetSuite(SHARED_DATA, folders);

  it('mnist-10k: the TF demo copy is the same file, parsed the same in any chunk size, labels agree', async () => {
    const fileA = join(SHARED_DATA, 'mnist-10k/tensors.tsv');
    const fileB = join(SHARED_DATA, 'tf-demo/mnist_10k_784d_tensors.tsv');
    expect(readFileSync(fileA).equals(readFileSync(fileB))).toBe(true);
    const a = await parseVectorsFile(fileA, [10000, 784], 1 << 20);
    const b = await parseVectorsFile(fileB, null, 8191);
    expect(sameBytes(a.data, b.data)).toBe(true);
    const la = parseMetadata(readText(join(SHARED_DATA, 'mnist-10k/metadata.tsv')), 'metadata.tsv');
    const lb = parseMetadata(readText(join(SHARED_DATA, 'tf-demo/mnist_10k_784d_labels.tsv')), 'labels.tsv');
    expect(la.columns[0].values).toEqual(lb.columns[0].values);
    // Values are pixel/255 at 4 decimals: all in [0, 1].
    let min = Infinity;
    let max = -Infinity;
    for (const v of a.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 1]);
  });
});

// Committed under public/data: runs on a fresh clone too.
it('a declared shape that disagrees with the file fails at the first telling row (mnist-2k)', async () => {
  const file = join(PUBLIC_DATA, 'mnist-2k/tensors.tsv');
  await expect(parseVectorsFile(file, [100, 784])).rejects.toThrow(
    'tensors.tsv line 101: more than 100 rows, but tensorShape declares [100, 784]',
  );
  await expect(parseVectorsFile(file, [2000, 785])).rejects.toThrow(
    'tensors.tsv line 1: found 784 values but tensorShape declares [2000, 785]',
  );
});

// TF's demo iris labels are committed (byte for byte) under public/data/tf-demo-iris: this runs on a fresh clone too.
it('tf-demo: iris_labels.tsv ends with a blank line and still has 150 rows', () => {
  const text = readText(join(PUBLIC_DATA, 'tf-demo-iris/iris_labels.tsv'));
  expect(text.endsWith('\n\n')).toBe(true);
  expect(parseMetadata(text, 'iris_labels.tsv').rows).toBe(150);
});

// GloVe is committed under public/data: this runs on a fresh clone too.
describe('glove-100d-10k (public/data)', () => {
  it('glove: lone ", \' and # are words, and a word-labelled copy parses to the same vectors', async () => {
    const dir = 'public/data/glove-100d-10k';
    const meta = parseMetadata(readText(join(dir, 'metadata.tsv')), 'metadata.tsv');
    const words = meta.columns[0].values;
    expect([words[0], words[7], words[52], words[2602]]).toEqual(['the', '"', "'", '#']);
    expect(words.every((w) => w !== null && w !== '')).toBe(true);
    expect(meta.columns[1].values[9999]).toBe('10000');

    const plain = await parseVectorsFile(join(dir, 'tensors.tsv'));
    const lines = nonBlankLines(readText(join(dir, 'tensors.tsv')));
    // Numeric and NaN-spelled words do occur in full GloVe; slip two in to exercise that path.
    const labels = words.map((w, i) => (i === 5000 ? '2000' : i === 6000 ? 'nan' : (w ?? '')));
    const labelled = parseVectorsText(lines.map((l, i) => `${labels[i]}\t${l}`).join('\n'), 'glove-words.tsv');
    expect(labelled.rowLabels).toEqual(labels);
    expect(sameBytes(labelled.data, plain.data)).toBe(true);
  });});
