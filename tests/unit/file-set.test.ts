import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { candidateUrls, planFileSet, resolveDroppedPath, type DroppedFile } from '../../src/data/file-set';
import { rejected } from './dataset-helpers';

function fileSet(heads: Record<string, string>): { files: DroppedFile[]; readHead: (p: string) => Promise<string> } {
  const files = Object.keys(heads).map((path) => ({ path, name: path.split('/').pop() ?? path, size: heads[path].length }));
  const readHead = async (path: string) => {
    if (!(path in heads)) throw new Error(`no such file ${path}`);
    return heads[path];
  };
  return { files, readHead };
}

describe('planFileSet', () => {
  it('returns the configs when there are any, and ignores other JSON', async () => {
    const { files, readHead } = fileSet({
      'd/template-hidden-layer-2-configs.json': '{"embeddings": []}',
      'd/template-hidden-layer-1-configs.json': '{"embeddings": []}',
      'd/training-log.json': '{"dataset": "digits"}',
      'd/custom.json': '{\n  "embeddings": [',
      'd/vectors-a.tsv': '1\t2',
      'd/metadata.tsv': 'x\ty',
    });
    const plan = await planFileSet(files, readHead);
    expect(plan.configs).toEqual([
      'd/custom.json',
      'd/template-hidden-layer-1-configs.json',
      'd/template-hidden-layer-2-configs.json',
    ]);
    expect(plan.bareGroups).toEqual([]);
  });

  it('makes one title per vectors file sharing the only metadata file, named after the folder', async () => {
    const { files, readHead } = fileSet({
      'digits/vectors-epoch-10.tsv': '0\t1',
      'digits/vectors-epoch-2.tsv': '0\t1',
      'digits/metadata-digits.tsv': 'label\tsplit',
      'digits/sprite.png': '',
    });
    const { bareGroups } = await planFileSet(files, readHead);
    expect(bareGroups).toEqual([
      {
        name: 'digits',
        baseName: '',
        embeddings: [
          { tensorName: 'vectors-epoch-2', tensorShape: null, tensorPath: 'digits/vectors-epoch-2.tsv', metadataPath: 'digits/metadata-digits.tsv', bookmarksPath: null, sprite: null },
          { tensorName: 'vectors-epoch-10', tensorShape: null, tensorPath: 'digits/vectors-epoch-10.tsv', metadataPath: 'digits/metadata-digits.tsv', bookmarksPath: null, sprite: null },
        ],
      },
    ]);
  });

  it('pairs vectors and metadata by the rest of their names when there are several', async () => {
    const { files, readHead } = fileSet({
      'mnist_10k_784d_tensors.tsv': '0\t0',
      'mnist_10k_784d_labels.tsv': '7',
      'iris_tensors.tsv': '5.1\t3.5',
      'iris_labels.tsv': 'a\tb',
      'other_vectors.tsv': '1\t2',
    });
    const [group] = (await planFileSet(files, readHead)).bareGroups;
    expect(group.name).toBe('Dropped files');
    expect(group.embeddings.map((e) => [e.tensorName, e.metadataPath])).toEqual([
      ['iris_tensors', 'iris_labels.tsv'],
      ['mnist_10k_784d_tensors', 'mnist_10k_784d_labels.tsv'],
      ['other_vectors', null],
    ]);
  });

  it('sniffs the first line when names say nothing', async () => {
    const { files, readHead } = fileSet({
      'a/points.tsv': '0.5\t-1\t2e3\n',
      'a/info.tsv': 'word\trank\n',
      'a/words.tsv': 'the\t0.1\t0.2\n',
    });
    const [group] = (await planFileSet(files, readHead)).bareGroups;
    expect(group.embeddings.map((e) => [e.tensorPath, e.metadataPath])).toEqual([
      ['a/points.tsv', 'a/info.tsv'],
      ['a/words.tsv', 'a/info.tsv'],
    ]);
  });

  it('takes the widest file as vectors when none looks numeric', async () => {
    const { files, readHead } = fileSet({ 'x.tsv': 'a\tb\tc\td', 'y.tsv': 'name\tkind' });
    const [group] = (await planFileSet(files, readHead)).bareGroups;
    expect(group.embeddings.map((e) => [e.tensorPath, e.metadataPath])).toEqual([['x.tsv', 'y.tsv']]);
  });

  it('gives repeated titles suffixes', async () => {
    const { files, readHead } = fileSet({ 'a/tensors.tsv': '1\t2', 'b/tensors.tsv': '1\t2' });
    const [group] = (await planFileSet(files, readHead)).bareGroups;
    expect(group.embeddings.map((e) => e.tensorName)).toEqual(['tensors', 'tensors (2)']);
  });

  it('a bare .npy is vectors (it carries its own shape), with the metadata beside it', async () => {
    const { files, readHead } = fileSet({ 'run/embeddings.npy': '', 'run/labels.tsv': 'label' });
    const plan = await planFileSet(files, readHead);
    expect(plan.bareGroups).toHaveLength(1);
    expect(plan.bareGroups[0].embeddings).toEqual([
      { tensorName: 'embeddings', tensorShape: null, tensorPath: 'run/embeddings.npy', metadataPath: 'run/labels.tsv', bookmarksPath: null, sprite: null },
    ]);
  });

  it('refuses a .bytes tensor without a config, an empty set, and a set with no vectors', async () => {
    const bytes = fileSet({ 'iris_tensors.bytes': '', 'iris_labels.tsv': 'a' });
    const e = await rejected(planFileSet(bytes.files, bytes.readHead));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(/^iris_tensors\.bytes: a \.bytes tensor has no shape of its own/);

    expect((await rejected(planFileSet([], async () => ''))).message).toBe('Dropped files: no files to load');

    const onlyMeta = fileSet({ 'metadata.tsv': 'a\tb' });
    expect((await rejected(planFileSet(onlyMeta.files, onlyMeta.readHead))).message).toMatch(/no vectors file among metadata\.tsv/);

    const nothing = fileSet({ 'readme.md': '', 'log.json': '{}' });
    expect((await rejected(planFileSet(nothing.files, nothing.readHead))).message).toMatch(/no projector config \(\.json\) and no \.tsv, \.npy, \.parquet, \.arrow\/\.feather or \.csv file/);
  });

  it('takes a Parquet, Arrow or CSV table as vectors: each one title, its own metadata inside', async () => {
    const set = fileSet({ 'runs/a.parquet': '', 'runs/b.arrow': '', 'runs/c.csv': 'x,y' });
    const plan = await planFileSet(set.files, set.readHead);
    expect(plan.bareGroups[0].name).toBe('runs');
    expect(plan.bareGroups[0].embeddings.map((e) => [e.tensorName, e.tensorPath, e.metadataPath])).toEqual([
      ['a', 'runs/a.parquet', null],
      ['b', 'runs/b.arrow', null],
      ['c', 'runs/c.csv', null],
    ]);
  });
});

describe('resolveDroppedPath', () => {
  const files = [
    { path: 'demo/oss_data/mnist.tsv', name: 'mnist.tsv' },
    { path: 'demo/config.json', name: 'config.json' },
    { path: 'demo/labels.tsv', name: 'labels.tsv' },
    { path: 'other/labels.tsv', name: 'labels.tsv' },
    { path: 'my file.tsv', name: 'my file.tsv' },
    { path: 'Sprite.PNG', name: 'Sprite.PNG' },
  ];

  it('resolves relative to the config folder, normalising ./ and ../', () => {
    expect(resolveDroppedPath('oss_data/mnist.tsv', 'demo/config.json', files)).toBe('demo/oss_data/mnist.tsv');
    expect(resolveDroppedPath('./labels.tsv', 'demo/config.json', files)).toBe('demo/labels.tsv');
    expect(resolveDroppedPath('../other/labels.tsv', 'demo/config.json', files)).toBe('other/labels.tsv');
    expect(resolveDroppedPath('labels.tsv', 'other/x/../config.json', files)).toBe('other/labels.tsv');
  });

  it('then as a path from the root of the set, then by base name, nearest the config first', () => {
    expect(resolveDroppedPath('demo/labels.tsv', 'other/config.json', files)).toBe('demo/labels.tsv');
    expect(resolveDroppedPath('/abs/where/mnist.tsv', 'demo/config.json', files)).toBe('demo/oss_data/mnist.tsv');
    expect(resolveDroppedPath('https://x.org/labels.tsv', 'other/c.json', files)).toBe('other/labels.tsv');
    expect(resolveDroppedPath('my%20file.tsv', 'c.json', files)).toBe('my file.tsv');
    expect(resolveDroppedPath('sprite.png', 'c.json', files)).toBe('Sprite.PNG');
    expect(resolveDroppedPath('missing.tsv', 'demo/config.json', files)).toBeNull();
  });

  it('accepts Windows separators and a leading slash on dropped paths', () => {
    const win = [{ path: '/demo\\data\\t.tsv', name: 't.tsv' }];
    expect(resolveDroppedPath('data/t.tsv', '/demo/config.json', win)).toBe('/demo\\data\\t.tsv');
  });
});

describe('candidateUrls', () => {
  const page = 'https://host.org/app/index.html';

  it('keeps absolute refs as they are', () => {
    expect(candidateUrls('https://cdn.org/t.tsv', 'data/c.json', page)).toEqual(['https://cdn.org/t.tsv']);
    expect(candidateUrls('blob:https://host.org/123', 'data/c.json', page)).toEqual(['blob:https://host.org/123']);
  });

  it('tries the config folder, then the page (TF standalone demo layout)', () => {
    expect(candidateUrls('oss_data/mnist.tsv', 'oss_data/oss_demo_projector_config.json', page)).toEqual([
      'https://host.org/app/oss_data/oss_data/mnist.tsv',
      'https://host.org/app/oss_data/mnist.tsv',
    ]);
    expect(candidateUrls('../x/t.tsv', 'https://other.org/a/b/c.json', page)).toEqual([
      'https://other.org/a/x/t.tsv',
      'https://host.org/x/t.tsv',
    ]);
  });

  it('removes duplicates', () => {
    expect(candidateUrls('t.tsv', 'c.json', page)).toEqual(['https://host.org/app/t.tsv']);
    expect(candidateUrls('/root/t.tsv', 'data/c.json', page)).toEqual(['https://host.org/root/t.tsv']);
  });
});
