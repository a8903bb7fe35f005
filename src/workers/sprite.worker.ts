/// <reference lib="webworker" />
/** Thin entry: builds a sprite from vectors read as images, and its PNG, off the main thread. */
import { createEmbeddingImage, encodePng, type Rgb } from '../sprite/embedding-image';
import { rangePreprocess } from '../sprite/vector-images';
import type { SpriteReply, SpriteRequest, WorkerReply } from './messages';
import { errorReply } from './error-transfer';

const post = (msg: WorkerReply<SpriteReply>, transfer: Transferable[] = []) =>
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

self.onmessage = (e: MessageEvent<SpriteRequest>) => {
  try {
    const { data, n, d, settings: s, backgrounds } = e.data;
    if (s.width * s.height * s.channels !== d) {
      throw new Error(`${s.width} x ${s.height} x ${s.channels} = ${s.width * s.height * s.channels} values per image, but the vectors have ${d}`);
    }
    const image = createEmbeddingImage({ data, n, d }, [s.width, s.height, s.channels], {
      preprocess: rangePreprocess(s.range, s.invert),
      transparentColor: s.transparent ?? undefined,
      backgroundColor: backgrounds ? (i): Rgb => [backgrounds[3 * i], backgrounds[3 * i + 1], backgrounds[3 * i + 2]] : undefined,
    });
    post({ type: 'progress', stage: 'Encoding PNG', loaded: 0.5, total: 1 });
    const png = encodePng(image);
    const reply: SpriteReply = { job: 'sprite-from-vectors', rgba: image.rgba, width: image.width, height: image.height, cell: image.singleImageDim, png };
    post({ type: 'result', result: reply }, [image.rgba.buffer, png.buffer]);
  } catch (err) {
    post(errorReply(err));
  }
};
