import { DataError } from './errors';
import { baseName, dirName } from './paths';
import type { EmbeddingSpec, GroupSpec, SpriteSpec } from './types';
import { uniqueNames } from './unique-names';
import { parseJsonFile } from './json';

// Comet writes one config per logged group, named after the group.
const COMET_TEMPLATE = /^template-(.+)-configs\.json$/i;

/**
 * Parses a TF-projector config (`projector_config.json` or Comet's
 * `template-<group>-configs.json`) into a group of titles with unresolved paths.
 */
export function parseProjectorConfig(text: string, fileName: string): GroupSpec {
  const root = parseJsonFile(text, fileName);
  if (!isRecord(root)) {
    throw new DataError(fileName, 'a projector config must be a JSON object with an "embeddings" array');
  }
  const list = root.embeddings;
  if (!Array.isArray(list)) {
    throw new DataError(fileName, 'missing the "embeddings" array; is this a projector config?', {
      field: 'embeddings',
    });
  }
  if (list.length === 0) {
    throw new DataError(fileName, 'the "embeddings" array is empty', { field: 'embeddings' });
  }

  const specs = list.map((entry, i) => parseEmbedding(entry, `embeddings[${i}]`, fileName));
  const titles = uniqueNames(specs.map((s) => s.tensorName));
  return {
    name: groupName(fileName, root.modelCheckpointPath),
    baseName: fileName,
    embeddings: specs.map((s, i) => ({ ...s, tensorName: titles[i] })),
  };
}

function groupName(fileName: string, checkpoint: unknown): string {
  const base = baseName(fileName);
  const comet = COMET_TEMPLATE.exec(base);
  if (comet) return comet[1];
  if (typeof checkpoint === 'string' && checkpoint.trim() !== '') return checkpoint.trim();
  const stem = base.replace(/\.json$/i, '');
  // Runs logged into folders all have a projector_config.json: the folder tells them apart.
  const dir = dirName(fileName);
  const isOrigin = /^[a-z][\w+.-]*:\/\/[^/]*$/i.test(dir);
  return stem === 'projector_config' && dir !== '' && !isOrigin ? baseName(dir) : stem;
}

function parseEmbedding(entry: unknown, at: string, fileName: string): EmbeddingSpec {
  if (!isRecord(entry)) throw new DataError(fileName, 'must be an object', { field: at });

  const tensorPath = entry.tensorPath;
  if (typeof tensorPath !== 'string' || tensorPath.trim() === '') {
    // TF can also read a tensor from a model checkpoint by name; a browser cannot.
    throw new DataError(fileName, 'missing; this page needs a .tsv, .bytes, .npy, .parquet, .arrow or .csv tensor file', {
      field: `${at}.tensorPath`,
    });
  }
  const tensorName =
    typeof entry.tensorName === 'string' && entry.tensorName.trim() !== '' ? entry.tensorName : tensorPath;

  let tensorShape: [number, number] | null = null;
  if (entry.tensorShape != null) {
    tensorShape = readPair(entry.tensorShape);
    if (!tensorShape) {
      throw new DataError(
        fileName,
        `must be [points, dimensions] with two positive integers, got ${preview(entry.tensorShape)}`,
        { field: `${at}.tensorShape` },
      );
    }
  }

  let metadataPath: string | null = null;
  if (entry.metadataPath != null) {
    if (typeof entry.metadataPath !== 'string') {
      throw new DataError(fileName, 'must be a string', { field: `${at}.metadataPath` });
    }
    metadataPath = entry.metadataPath.trim() === '' ? null : entry.metadataPath;
  }

  let bookmarksPath: string | null = null;
  if (entry.bookmarksPath != null) {
    if (typeof entry.bookmarksPath !== 'string') throw new DataError(fileName, 'must be a string', { field: `${at}.bookmarksPath` });
    bookmarksPath = entry.bookmarksPath.trim() === '' ? null : entry.bookmarksPath;
  }
  return { tensorName, tensorShape, tensorPath, metadataPath, bookmarksPath, sprite: parseSprite(entry.sprite, `${at}.sprite`, fileName) };
}

function parseSprite(sprite: unknown, at: string, fileName: string): SpriteSpec | null {
  if (sprite == null) return null;
  if (!isRecord(sprite)) throw new DataError(fileName, 'must be an object', { field: at });
  const { imagePath } = sprite;
  if (typeof imagePath !== 'string' || imagePath.trim() === '') {
    throw new DataError(fileName, 'missing or not a string', { field: `${at}.imagePath` });
  }
  const singleImageDim = readPair(sprite.singleImageDim);
  if (!singleImageDim) {
    throw new DataError(
      fileName,
      `must be [width, height] in pixels, two positive integers, got ${preview(sprite.singleImageDim)}`,
      { field: `${at}.singleImageDim` },
    );
  }
  return { imagePath, singleImageDim };
}

function readPair(v: unknown): [number, number] | null {
  if (!Array.isArray(v) || v.length !== 2) return null;
  const [a, b] = v;
  if (!isPositiveInt(a) || !isPositiveInt(b)) return null;
  return [a, b];
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PREVIEW_CHARS = 80;

/**
 * A value as JSON for an error message, cut short: JSON.stringify on what a config holds could
 * be megabytes long, or nested deep enough to overflow the stack.
 */
function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  let out = '';
  const walk = (v: unknown, depth: number): void => {
    if (out.length > PREVIEW_CHARS) return;
    if (Array.isArray(v)) {
      if (depth >= 8) {
        out += '[…]';
        return;
      }
      out += '[';
      for (let i = 0; i < v.length && out.length <= PREVIEW_CHARS; i++) {
        if (i > 0) out += ',';
        walk(v[i], depth + 1);
      }
      out += ']';
    } else if (isRecord(v)) {
      if (depth >= 8) {
        out += '{…}';
        return;
      }
      out += '{';
      let first = true;
      for (const key of Object.keys(v)) {
        if (out.length > PREVIEW_CHARS) break;
        out += `${first ? '' : ','}${JSON.stringify(key.slice(0, PREVIEW_CHARS))}:`;
        first = false;
        walk(v[key], depth + 1);
      }
      out += '}';
    } else if (typeof v === 'string') {
      out += JSON.stringify(v.slice(0, PREVIEW_CHARS + 1));
    } else {
      out += String(JSON.stringify(v));
    }
  };
  walk(value, 0);
  return out.length > PREVIEW_CHARS ? `${out.slice(0, PREVIEW_CHARS)}…` : out;
}
