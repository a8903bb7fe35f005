/** logEmbedding writes what the viewer reads: files, configs, and groups that accumulate titles. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMetadata } from '../../src/data/metadata-tsv';
import { parseProjectorConfig } from '../../src/data/projector-config';
import { VectorsTsvParser } from '../../src/data/vectors-tsv';
import { logEmbedding } from '../../src/node/log';
import { categoricalColor } from '../../src/color/palette';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'log-embedding-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const config = (name: string) => parseProjectorConfig(read(name), name);
const vectorsOf = (name: string) => {
  const p = new VectorsTsvParser(name);
  p.push(readFileSync(join(dir, name)));
  return p.finish();
};
const vectors3 = [
  [1, 2.5],
  [-3, 0.1],
  [1e-7, 4],
];

describe('logEmbedding', () => {
  it('without a group: vectors, metadata, sprite and a TF projector_config.json', async () => {
    const images = [
      [[0, 16], [16, 0]],
      [[8, 8], [8, 8]],
      [[16, 16], [16, 16]],
    ];
    const r = await logEmbedding(dir, vectors3, ['a', 'b', 'c'], { title: 'run', images, imageSize: [2, 2], preprocess: (s) => {
      const d = s.data as Float64Array;
      for (let k = 0; k < d.length; k++) d[k] = (d[k] * 255) / 16;
    } });
    expect(r.configPath).toBe(join(dir, 'projector_config.json'));
    expect(r.files).toEqual(['vectors-run.tsv', 'metadata-run-3.tsv', 'embedding-image-run-3.png'].map((f) => join(dir, f)));
    expect(JSON.parse(read('projector_config.json'))).toEqual({
      embeddings: [
        {
          tensorName: 'run',
          tensorShape: [3, 2],
          tensorPath: 'vectors-run.tsv',
          metadataPath: 'metadata-run-3.tsv',
          sprite: { imagePath: 'embedding-image-run-3.png', singleImageDim: [2, 2] },
        },
      ],
    });
    expect(config('projector_config.json').embeddings[0].tensorName).toBe('run');
    const v = vectorsOf('vectors-run.tsv');
    expect([v.n, v.d]).toEqual([3, 2]);
    expect(Array.from(v.data)).toEqual(vectors3.flat().map(Math.fround));
    // One column: no header line (TF's rule).
    expect(read('metadata-run-3.tsv')).toBe('a\nb\nc\n');
    const png = decode(readFileSync(join(dir, 'embedding-image-run-3.png')));
    expect([png.width, png.height]).toEqual([4, 4]);
    expect(Array.from(png.data.slice(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(png.data.slice(4, 8))).toEqual([255, 255, 255, 255]);
  });

  it('three calls with one group accumulate three titles; the same title again replaces its entry', async () => {
    for (const title of ['epoch-0', 'epoch-1', 'epoch-2']) {
      await logEmbedding(dir, vectors3, ['a', 'b', 'c'], { title, group: 'digits' });
    }
    const g = config('template-digits-configs.json');
    expect(g.name).toBe('digits');
    expect(g.embeddings.map((e) => [e.tensorName, e.tensorPath, e.metadataPath])).toEqual([
      ['epoch-0', 'vectors-digits-epoch-0.tsv', 'metadata-digits-3.tsv'],
      ['epoch-1', 'vectors-digits-epoch-1.tsv', 'metadata-digits-3.tsv'],
      ['epoch-2', 'vectors-digits-epoch-2.tsv', 'metadata-digits-3.tsv'],
    ]);

    await logEmbedding(dir, [[1, 2, 3], [4, 5, 6], [7, 8, 9]], ['a', 'b', 'c'], { title: 'epoch-1', group: 'digits' });
    const again = config('template-digits-configs.json');
    expect(again.embeddings.map((e) => e.tensorName)).toEqual(['epoch-0', 'epoch-1', 'epoch-2']);
    expect(again.embeddings[1].tensorShape).toEqual([3, 3]);
    expect(vectorsOf('vectors-digits-epoch-1.tsv').d).toBe(3);
    // Another group is another file.
    await logEmbedding(dir, vectors3, null, { title: 'epoch-0', group: 'other' });
    expect(config('template-other-configs.json').embeddings).toHaveLength(1);
    expect(config('template-digits-configs.json').embeddings).toHaveLength(3);
  });

  it('refuses to overwrite a group config it cannot read', async () => {
    writeFileSync(join(dir, 'template-g-configs.json'), '{"embeddings": [');
    await expect(logEmbedding(dir, vectors3, null, { title: 't', group: 'g' })).rejects.toThrow(/template-g-configs\.json: not valid JSON .*; fix or remove it/);
    writeFileSync(join(dir, 'template-g-configs.json'), '{"tensors": []}');
    await expect(logEmbedding(dir, vectors3, null, { title: 't', group: 'g' })).rejects.toThrow(/not a projector config \(no "embeddings" array\)/);
    expect(readdirSync(dir)).toEqual(['template-g-configs.json']);
  });

  it('concurrent calls into one group all land', async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map((title) => logEmbedding(dir, vectors3, null, { title, group: 'g' })));
    expect(config('template-g-configs.json').embeddings.map((e) => e.tensorName).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('labels shared by titles are written once; different labels get their own file', async () => {
    await logEmbedding(dir, vectors3, ['a', 'b', 'c'], { title: 't0', group: 'g' });
    await logEmbedding(dir, vectors3, ['a', 'b', 'c'], { title: 't1', group: 'g' });
    await logEmbedding(dir, vectors3, ['x', 'y', 'z'], { title: 't2', group: 'g' });
    const paths = config('template-g-configs.json').embeddings.map((e) => e.metadataPath!);
    expect(paths[0]).toBe('metadata-g-3.tsv');
    expect(paths[1]).toBe(paths[0]);
    expect(paths[2]).toMatch(/^metadata-g-3-[0-9a-f]{8}\.tsv$/);
    expect(read(paths[0])).toBe('a\nb\nc\n');
    expect(read(paths[2])).toBe('x\ny\nz\n');
  });

  it('several label columns get a header; awkward cells read back unchanged', async () => {
    const rows = [['a\tb', 1], ['"quoted"', null], ['', true]];
    await logEmbedding(dir, vectors3, { columns: ['name', 'n'], rows }, { title: 't' });
    const meta = parseMetadata(read('metadata-t-3.tsv'), 'm.tsv');
    expect(meta.columns.map((c) => c.name)).toEqual(['name', 'n']);
    expect(meta.columns[0].values).toEqual(['a\tb', '"quoted"', null]);
    expect(meta.columns[1].values).toEqual(['1', null, 'true']);

    // Comet's table form: header row first.
    await logEmbedding(dir, vectors3, [['digit', 'split'], ['0', 'train'], ['1', 'test'], ['2', 'train']], { title: 'u' });
    expect(read('metadata-u-3.tsv')).toBe('digit\tsplit\n0\ttrain\n1\ttest\n2\ttrain\n');
    // A one-column file keeps a trailing empty label as a row.
    await logEmbedding(dir, vectors3, ['a', 'b', ''], { title: 'w' });
    expect(parseMetadata(read('metadata-w-3.tsv'), 'm.tsv').columns[0].values).toEqual(['a', 'b', null]);
  });

  it('float32 vectors are written with the shortest text that reads back the same', async () => {
    const data = new Float32Array([0.1, 1 / 3, -2.5e-8, 123456.789]);
    await logEmbedding(dir, { data, n: 2, d: 2 }, null, { title: 'f' });
    expect(read('vectors-f.tsv')).toBe('0.1\t0.33333334\n-2.5e-8\t123456.79\n');
    expect(Array.from(vectorsOf('vectors-f.tsv').data)).toEqual(Array.from(data));
  });

  it('rejects bad input with errors that say what and where', async () => {
    await expect(logEmbedding(dir, vectors3, ['a', 'b'], { title: 't' })).rejects.toThrow('labels: 2 labels but 3 vectors; there must be one per vector');
    await expect(logEmbedding(dir, vectors3, [['h'], ['a'], ['b'], ['c'], ['d']], {})).rejects.toThrow('labels: 4 labels but 3 vectors');
    await expect(logEmbedding(dir, vectors3, [['a'], ['b'], ['c']], {})).rejects.toThrow(/starts with a header row/);
    await expect(logEmbedding(dir, [[1, 2], [3]], null, {})).rejects.toThrow('vectors: row 1 has 1 values but row 0 has 2 (ragged rows)');
    await expect(logEmbedding(dir, [[1, 2], [3, NaN]], null, {})).rejects.toThrow('vectors: row 1, column 1: NaN is not a finite number');
    await expect(logEmbedding(dir, { data: [1, 2, Infinity, 4], n: 2, d: 2 }, null, {})).rejects.toThrow('vectors: row 1, column 0: Infinity is not a finite number');
    await expect(logEmbedding(dir, { data: [1, 2, 3], n: 2, d: 2 }, null, {})).rejects.toThrow('vectors: data has 3 values but n x d = 2 x 2 = 4');
    await expect(logEmbedding(dir, [], null, {})).rejects.toThrow('vectors: no rows');
    await expect(logEmbedding(dir, vectors3, null, { images: [[0, 0, 0, 0], [0, 0, 0, 0]], imageSize: [2, 2] })).rejects.toThrow('images: 2 images but 3 vectors');
    await expect(logEmbedding(dir, vectors3, null, { images: [[0, 0, 0], [0, 0, 0], [0, 0, 0]], imageSize: [2, 2] })).rejects.toThrow(/^images: image 0: expected 4 values/);
    await expect(logEmbedding(dir, vectors3, null, { images: [[0], [0], [0]] })).rejects.toThrow('imageSize is required');
    await expect(logEmbedding(dir, vectors3, ['a', 'b', 'c'], { images: new Array(3).fill([0]), imageSize: [1, 1], backgroundBy: 'digit' })).rejects.toThrow(
      'backgroundBy: no labels column "digit"; the columns are "label"',
    );
    await expect(logEmbedding(dir, vectors3, null, { group: 'a/b' })).rejects.toThrow(/group "a\/b"/);
    await expect(logEmbedding(dir, vectors3, null, { images: join(dir, 'none.png'), imageSize: [1, 1] })).rejects.toThrow(`images: cannot read ${join(dir, 'none.png')}: no such file`);
    // Checked before the first write: nothing was written.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('backgroundBy colours tiles in the viewer palette, in its category order; colors override', async () => {
    const blank = new Array(5).fill([0]); // 1x1 black images, made transparent: tiles show the background
    const tile = (png: ReturnType<typeof decode>, i: number) => {
      const x = i % 3;
      const y = Math.floor(i / 3);
      return Array.from(png.data.slice((y * png.width + x) * 4, (y * png.width + x) * 4 + 4));
    };
    const rgb = (k: number) => [...categoricalColor(k).map((c) => Math.round(c * 255)), 255];

    // Text: most frequent first, ties alphabetical: b (2), then a, c, d.
    await logEmbedding(dir, new Array(5).fill([0, 1]), ['c', 'b', 'a', 'b', 'd'], { title: 'text', images: blank, imageSize: [1, 1], transparentColor: [0, 0, 0], backgroundBy: 'label' });
    let png = decode(readFileSync(join(dir, 'embedding-image-text-5.png')));
    expect([0, 1, 2, 3, 4].map((i) => tile(png, i))).toEqual([rgb(2), rgb(0), rgb(1), rgb(0), rgb(3)]);

    // Numbers in numeric order: 1, 2, 10.
    await logEmbedding(dir, new Array(5).fill([0, 1]), { columns: ['digit', 'x'], rows: [['10', 'p'], ['2', 'q'], ['1', 'p'], ['2', 'p'], ['10', 'q']] }, {
      title: 'num',
      images: blank,
      imageSize: [1, 1],
      transparentColor: [0, 0, 0],
      backgroundBy: 'digit',
      colors: { '2': [255, 0, 0] },
    });
    png = decode(readFileSync(join(dir, 'embedding-image-num-5.png')));
    expect([0, 1, 2, 3, 4].map((i) => tile(png, i))).toEqual([rgb(2), [255, 0, 0, 255], rgb(0), [255, 0, 0, 255], rgb(2)]);
  });

  it('an existing sprite is used as it is: referenced inside the folder, copied from outside', async () => {
    const { encode } = await import('fast-png');
    const png = encode({ width: 4, height: 4, data: new Uint8Array(64).fill(255), channels: 4, depth: 8 });
    writeFileSync(join(dir, 'mine.png'), png);
    await logEmbedding(dir, vectors3, null, { title: 'in', group: 'g', images: join(dir, 'mine.png'), imageSize: [2, 2] });
    const outside = mkdtempSync(join(tmpdir(), 'sprite-'));
    writeFileSync(join(outside, 'theirs.png'), png);
    await logEmbedding(dir, vectors3, null, { title: 'out', group: 'g', images: join(outside, 'theirs.png'), imageSize: [2, 2] });
    rmSync(outside, { recursive: true });
    const g = config('template-g-configs.json');
    expect(g.embeddings.map((e) => e.sprite)).toEqual([
      { imagePath: 'mine.png', singleImageDim: [2, 2] },
      { imagePath: 'embedding-image-g-3.png', singleImageDim: [2, 2] },
    ]);
    expect(readFileSync(join(dir, 'embedding-image-g-3.png'))).toEqual(Buffer.from(png));
    // Too small for the points: 2x2 cells of 2x2 in 4x4 hold 4, not 5.
    await expect(
      logEmbedding(dir, new Array(5).fill([0]), null, { images: join(dir, 'mine.png'), imageSize: [2, 2] }),
    ).rejects.toThrow(/sprite holds 4 cells .* but there are 5 points/);
  });
});
