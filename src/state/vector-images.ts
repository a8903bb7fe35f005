/**
 * "Images from vectors": for an embedding logged without a sprite, reads each vector as a picture
 * (built in a worker with Comet's sprite semantics), shows the result as the points' sprites at
 * once, and keeps the PNG and a config that uses it for download.
 */
import { isGreyscale } from '../data/greyscale';
import { spriteGeometry } from '../data/sprite-geometry';
import type { VectorImageSettings } from '../sprite/vector-images';
import { buildSpriteFromVectors } from '../workers/jobs';
import { CancelledError, type WorkerJob } from '../workers/worker-client';
import type { SpriteReply } from '../workers/messages';
import { coloringFor } from './color-by';
import { getState, setState } from './store';

export interface VectorImagesRequest extends VectorImageSettings {
  /** Metadata column whose view colours go behind each picture; null for none. */
  backgroundColumn: number | null;
}

let running: WorkerJob<SpriteReply> | null = null;

export async function buildImagesFromVectors(request: VectorImagesRequest): Promise<void> {
  const { dataset, groups, group, title } = getState();
  if (!dataset) return;
  running?.cancel();
  const column = request.backgroundColumn != null ? (dataset.metadata?.columns[request.backgroundColumn] ?? null) : null;
  let backgrounds: Uint8Array | null = null;
  if (column) {
    // The view's own palette, so each picture sits on the colour its point has in the legend.
    const colors = coloringFor(dataset.n, column).colors;
    backgrounds = new Uint8Array(colors.length);
    for (let i = 0; i < colors.length; i++) backgrounds[i] = Math.round(colors[i] * 255);
  }
  const { backgroundColumn: _, ...settings } = request;
  setState({ vectorImages: { state: 'building', datasetKey: dataset.key, message: null, png: null, config: null } });
  const job = buildSpriteFromVectors({ data: dataset.vectors, n: dataset.n, d: dataset.d, settings, backgrounds });
  running = job;
  try {
    const r = await job.promise;
    const bitmap = await createImageBitmap(new ImageData(new Uint8ClampedArray(r.rgba.buffer as ArrayBuffer), r.width, r.height), {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
    // A newer dataset on screen: this sprite is not its pictures.
    if (getState().dataset?.key !== dataset.key || running !== job) return bitmap.close();
    const emb = groups[group]?.embeddings[title];
    const spriteName = `${(emb?.title ?? 'embedding').replace(/[^\w.-]+/g, '-')}-sprite.png`;
    const config = {
      embeddings: [
        {
          tensorName: emb?.title ?? dataset.name,
          tensorShape: [dataset.n, dataset.d],
          tensorPath: emb?.tensor.name ?? 'tensors.tsv',
          ...(emb?.metadata ? { metadataPath: emb.metadata.name } : {}),
          sprite: { imagePath: spriteName, singleImageDim: r.cell },
        },
      ],
    };
    setState({
      dataset: {
        ...dataset,
        sprite: { bitmap, greyscale: isGreyscale(r.rgba), geometry: spriteGeometry(r.width, r.height, r.cell, dataset.n, spriteName) },
      },
      vectorImages: { state: 'done', datasetKey: dataset.key, message: null, png: { name: spriteName, bytes: r.png }, config: JSON.stringify(config, null, 2) },
    });
  } catch (err) {
    if (err instanceof CancelledError || running !== job) return;
    setState({ vectorImages: { state: 'error', datasetKey: dataset.key, message: err instanceof Error ? err.message : String(err), png: null, config: null } });
  } finally {
    if (running === job) running = null;
  }
}
