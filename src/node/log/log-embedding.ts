/**
 * The writing side of Comet's log_embedding for Node: vectors TSV, metadata TSV, sprite PNG
 * and a projector config, laid out as Comet logs them so this viewer and TF's projector read
 * them. Groups accumulate titles in template-<group>-configs.json, as Comet's epochs do.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fail, isRecord } from './errors';
import { readTemplate, writeAtomic, writeShared } from './files';
import { withLock } from './lock';
import { prepareSprite, type SpriteOptions } from './sprite';
import { metadataTsv, vectorsTsv } from './tsv';
import { checkGroupName, readLabels, readVectors, safeFileName, type LabelsInput, type VectorsInput } from './validate';

export interface LogEmbeddingOptions extends SpriteOptions {
  /** The title (tensorName) in the viewer; Comet's default is "Comet Embedding". */
  title?: string;
  /** Adds the title to template-<group>-configs.json; without it projector_config.json is written. */
  group?: string;
  /** Names the shared files, metadata-<name>-<n>.tsv and embedding-image-<name>-<n>.png; defaults to the group, else the title. */
  name?: string;
}

export interface LogEmbeddingResult {
  /** The config that now lists this title. */
  configPath: string;
  /** The vectors, metadata and sprite files the title uses (some may be shared with other titles). */
  files: string[];
}

interface ConfigEntry {
  tensorName: string;
  tensorShape: [number, number];
  tensorPath: string;
  metadataPath?: string;
  sprite?: { imagePath: string; singleImageDim: [number, number] };
}

const DEFAULT_TITLE = 'Comet Embedding';

export async function logEmbedding(
  dir: string,
  vectors: VectorsInput,
  labels: LabelsInput,
  options: LogEmbeddingOptions = {},
): Promise<LogEmbeddingResult> {
  const title = options.title ?? DEFAULT_TITLE;
  if (typeof title !== 'string' || title.trim() === '') fail('title must be a non-empty string');
  const group = options.group;
  if (group !== undefined) checkGroupName(group);

  const tensor = readVectors(vectors);
  const table = readLabels(labels, tensor.n);
  const name = safeFileName(options.name ?? group ?? title);

  // Everything is checked and built before the first write, so bad input leaves no files.
  const vectorsText = vectorsTsv(tensor);
  const metadataBytes = table ? Buffer.from(metadataTsv(table), 'utf8') : null;
  const sprite = await prepareSprite(dir, tensor.n, table, options);
  if (!sprite && (options.backgroundBy !== undefined || options.backgroundColor || options.colors || options.imageSize || options.preprocess || options.transparentColor)) {
    fail('image options were given without images');
  }
  const configPath = join(dir, group !== undefined ? `template-${group}-configs.json` : 'projector_config.json');
  if (group !== undefined) await readTemplate(configPath);

  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const vectorsFile = `vectors-${group !== undefined ? `${safeFileName(group)}-` : ''}${safeFileName(title)}.tsv`;
  await writeAtomic(join(dir, vectorsFile), vectorsText);
  files.push(join(dir, vectorsFile));
  const entry: ConfigEntry = { tensorName: title, tensorShape: [tensor.n, tensor.d], tensorPath: vectorsFile };

  if (metadataBytes) {
    const file = await writeShared(dir, `metadata-${name}-${tensor.n}`, '.tsv', metadataBytes);
    entry.metadataPath = file;
    files.push(join(dir, file));
  }
  if (sprite) {
    let imagePath = sprite.imagePath;
    if (sprite.png) imagePath = await writeShared(dir, `embedding-image-${name}-${tensor.n}`, '.png', sprite.png);
    entry.sprite = { imagePath, singleImageDim: sprite.singleImageDim };
    if (sprite.png) files.push(join(dir, imagePath));
    else if (sprite.file) files.push(sprite.file);
  }

  await withLock(resolve(configPath), async () => {
    const embeddings = group !== undefined ? await readTemplate(configPath) : [];
    const at = embeddings.findIndex((e) => isRecord(e) && e.tensorName === title);
    // The same title again replaces its entry in place, so the order of titles is kept.
    if (at >= 0) embeddings[at] = entry;
    else embeddings.push(entry);
    await writeAtomic(configPath, `${JSON.stringify({ embeddings }, null, 2)}\n`);
  });
  return { configPath, files };
}
