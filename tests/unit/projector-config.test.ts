import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { parseProjectorConfig } from '../../src/data/projector-config';
import { thrown } from './dataset-helpers';

const config = (embeddings: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ embeddings, ...extra });

function errorOf(text: string, fileName = 'projector_config.json'): DataError {
  const e = thrown(() => parseProjectorConfig(text, fileName));
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

describe('parseProjectorConfig', () => {
  it('reads the TF format', () => {
    const g = parseProjectorConfig(
      config(
        [
          {
            tensorName: 'Mnist',
            tensorShape: [10000, 784],
            tensorPath: 'mnist.tsv',
            metadataPath: 'labels.tsv',
            sprite: { imagePath: 'sprite.png', singleImageDim: [28, 28] },
          },
          { tensorName: 'Iris', tensorPath: 'iris.bytes', tensorShape: [150, 4] },
        ],
        { modelCheckpointPath: 'Demo datasets' },
      ),
      'oss_data/projector_config.json',
    );
    expect(g).toEqual({
      name: 'Demo datasets',
      baseName: 'oss_data/projector_config.json',
      embeddings: [
        {
          tensorName: 'Mnist',
          tensorShape: [10000, 784],
          tensorPath: 'mnist.tsv',
          metadataPath: 'labels.tsv',
          bookmarksPath: null,
          sprite: { imagePath: 'sprite.png', singleImageDim: [28, 28] },
        },
        { tensorName: 'Iris', tensorShape: [150, 4], tensorPath: 'iris.bytes', metadataPath: null, bookmarksPath: null, sprite: null },
      ],
    });
  });

  it('names the group after a Comet template, else the checkpoint, else the file (a projector_config.json by its folder)', () => {
    const body = config([{ tensorPath: 'v.tsv' }], { modelCheckpointPath: 'ckpt' });
    expect(parseProjectorConfig(body, 'x/template-hidden-layer-1-configs.json').name).toBe('hidden-layer-1');
    expect(parseProjectorConfig(body, 'https://host/a/projector_config.json').name).toBe('ckpt');
    const bare = config([{ tensorPath: 'v.tsv' }]);
    expect(parseProjectorConfig(bare, 'data/my_config.json').name).toBe('my_config');
    expect(parseProjectorConfig(bare, 'https://host/c/proj.json?v=2').name).toBe('proj');
    expect(parseProjectorConfig(bare, 'http://127.0.0.1:4180/logs/run-2/projector_config.json').name).toBe('run-2');
    expect(parseProjectorConfig(bare, 'projector_config.json').name).toBe('projector_config');
    expect(parseProjectorConfig(bare, 'https://example.com/projector_config.json').name).toBe('projector_config');
  });

  it('falls back to tensorPath for a missing title and keeps repeated titles apart', () => {
    const g = parseProjectorConfig(
      config([{ tensorPath: 'a.tsv' }, { tensorName: 'x', tensorPath: 'b.tsv' }, { tensorName: 'x', tensorPath: 'c.tsv' }]),
      'p.json',
    );
    expect(g.embeddings.map((e) => e.tensorName)).toEqual(['a.tsv', 'x', 'x (2)']);
  });

  it('reads TF\'s bookmarksPath', () => {
    const [e] = parseProjectorConfig(config([{ tensorPath: 'v.tsv', bookmarksPath: 'bookmarks.json' }]), 'p.json').embeddings;
    expect(e.bookmarksPath).toBe('bookmarks.json');
    expect(() => parseProjectorConfig(config([{ tensorPath: 'v.tsv', bookmarksPath: 3 }]), 'p.json')).toThrow(/bookmarksPath/);
  });

  it('treats a missing tensorShape, metadataPath or sprite as absent', () => {
    const [e] = parseProjectorConfig(config([{ tensorPath: 'v.tsv', metadataPath: '' }]), 'p.json').embeddings;
    expect(e).toEqual({ tensorName: 'v.tsv', tensorShape: null, tensorPath: 'v.tsv', metadataPath: null, bookmarksPath: null, sprite: null });
  });
});

describe('parseProjectorConfig: errors name the field', () => {
  it('not JSON, with the parser message', () => {
    const e = errorOf('{"embeddings": [', 'p.json');
    expect(e.message).toMatch(/^p\.json: not valid JSON: .+/);
  });

  it('no embeddings array', () => {
    expect(errorOf('[]').message).toContain('must be a JSON object');
    expect(errorOf('{"dataset": "x"}').message).toBe(
      'projector_config.json field "embeddings": missing the "embeddings" array; is this a projector config?',
    );
    expect(errorOf('{"embeddings": []}').field).toBe('embeddings');
  });

  it('missing tensorPath', () => {
    const e = errorOf(config([{ tensorPath: 'a' }, { tensorPath: 'b' }, { tensorName: 'c' }]));
    expect(e.field).toBe('embeddings[2].tensorPath');
    expect(e.message).toContain('field "embeddings[2].tensorPath": missing');
  });

  it('bad tensorShape', () => {
    for (const shape of [[10], [10, 0], [10, 2.5], ['10', 4], 'x', [1, 2, 3]]) {
      const e = errorOf(config([{ tensorPath: 'a', tensorShape: shape }]));
      expect(e.field, JSON.stringify(shape)).toBe('embeddings[0].tensorShape');
      expect(e.message).toContain(JSON.stringify(shape));
    }
  });

  it('bad sprite fields', () => {
    expect(errorOf(config([{ tensorPath: 'a', sprite: { imagePath: 's.png', singleImageDim: [28] } }])).field).toBe(
      'embeddings[0].sprite.singleImageDim',
    );
    expect(errorOf(config([{ tensorPath: 'a', sprite: { imagePath: 's.png' } }])).message).toContain(
      'field "embeddings[0].sprite.singleImageDim": must be [width, height]',
    );
    expect(errorOf(config([{ tensorPath: 'a', sprite: { singleImageDim: [8, 8] } }])).field).toBe('embeddings[0].sprite.imagePath');
  });
});
