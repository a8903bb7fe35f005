/// <reference lib="webworker" />
/** Thin entry: downloads or reads one file, parses it off the main thread, transfers the result. */
import { VectorsTsvParser } from '../data/vectors-tsv';
import { BytesTensorParser } from '../data/bytes-tensor';
import { parseMetadata } from '../data/metadata-tsv';
import { checkImageSize, checkTensorSize, setMemoryBudgetMB } from '../data/memory-limit';
import { imageSizeFromHeader } from '../data/image-header';
import { DataError } from '../data/errors';
import { npyTensor } from '../data/npy';
import { valueRange } from '../data/value-range';
import { bitmapIsGreyscale } from './bitmap-greyscale';
import { drawTableImages } from './table-images';
import type { ParseRequest, ParseResult, WorkerReply } from './messages';
import { readSourceBytes, streamSource } from './read-source';
import { errorReply } from './error-transfer';
import { sharedFloats, sharedInts, toShared, transferables } from './shared-tensor';
import { RowCompressor, type Allocate, type CompressedRows } from '../data/compressed-rows';

const post = (msg: WorkerReply<ParseResult>, transfer: Transferable[] = []) =>
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

/** Vectors go out in shared memory where the page is isolated: one copy for the page and all its workers. */
function postVectors(parsed: Float32Array, n: number, d: number, rowLabels: string[] | null, compressed: CompressedRows | null = null): void {
  const data = toShared(parsed);
  const transfer = compressed ? transferables(data, compressed.ptr, compressed.col, compressed.val) : transferables(data);
  post({ type: 'result', result: { job: 'vectors', data, n, d, rowLabels, range: valueRange(data), compressed } }, transfer);
}

const sharedRows: Allocate = (ptrLength, nonZeros) => ({
  ptr: sharedInts(ptrLength),
  col: sharedInts(nonZeros),
  val: sharedFloats(nonZeros),
});

async function handle(req: ParseRequest): Promise<void> {
  if (req.budgetMB) setMemoryBudgetMB(req.budgetMB);
  const name = req.source.name;
  const progress = (stage: string) => (loaded: number, total: number | null) =>
    post({ type: 'progress', stage: `${stage} ${name}`, loaded, total });

  if (req.job === 'vectors') {
    if (req.shape) checkTensorSize(req.shape[0], req.shape[1], name);
    if (req.format === 'npy') {
      const bytes = await readSourceBytes(req.source, progress('Downloading'));
      const t = npyTensor(bytes, name);
      if (req.shape && (req.shape[0] !== t.n || req.shape[1] !== t.d)) {
        throw new DataError(name, `tensorShape says [${req.shape.join(', ')}] but the .npy holds ${t.n} x ${t.d}`);
      }
      postVectors(t.data, t.n, t.d, null);
      return;
    }
    if (req.format === 'bytes') {
      // Streamed into one buffer of the declared size: reading stops once more arrives.
      const parser = new BytesTensorParser(name, req.shape);
      await streamSource(req.source, (c) => parser.push(c), progress('Downloading'));
      const t = parser.finish();
      postVectors(t.data, t.n, t.d, null);
      return;
    }
    // Parse while the bytes arrive: no whole-file string, no array of rows; straight into shared
    // memory when the config declares the shape. Mostly-zero vectors are compressed batch by batch
    // as they are parsed, while the next bytes are on their way (../data/compressed-rows).
    const parser = new VectorsTsvParser(name, req.shape, sharedFloats);
    let rows: RowCompressor | null = null;
    const compress = (data: Float32Array, upTo: number) => {
      if (upTo === 0) return;
      rows ??= new RowCompressor(parser.width, req.shape?.[0]);
      rows.addRows(data, upTo);
    };
    await streamSource(req.source, (c) => {
      parser.push(c);
      compress(parser.parsedValues, parser.rowsParsed);
    }, progress('Loading and parsing'));
    const v = parser.finish();
    compress(v.data, v.n);
    postVectors(v.data, v.n, v.d, v.rowLabels, (rows as RowCompressor | null)?.finish(v.n, sharedRows) ?? null);
    return;
  }
  if (req.job === 'table') {
    const bytes = await readSourceBytes(req.source, progress('Loading'));
    // Loaded on first use: the table readers (apache-arrow, hyparquet, papaparse) are most of this
    // worker's code, and every parse worker would otherwise compile them as it starts.
    const { readTable } = await import('../data/tables/read-table');
    const t = await readTable(bytes, name, { vector: req.vector });
    const sprite = t.images ? await drawTableImages(t.images, name, progress('Drawing pictures of')) : null;
    // Shared like any other vectors where the page is isolated.
    const data = toShared(t.data);
    const result: ParseResult = {
      job: 'table', data, n: t.n, d: t.d, range: valueRange(data),
      vectorColumns: t.vectorColumns, vectorChoices: t.vectorChoices, metadata: t.metadata, sprite,
    };
    post({ type: 'result', result }, sprite ? [...transferables(data), sprite.bitmap] : transferables(data));
    return;
  }
  if (req.job === 'metadata') {
    const bytes = await readSourceBytes(req.source, progress('Loading'));
    const text = new TextDecoder('utf-8').decode(bytes);
    post({ type: 'result', result: { job: 'metadata', metadata: parseMetadata(text, name) } });
    return;
  }
  const bytes = await readSourceBytes(req.source, progress('Loading'));
  // The decoded size from the header, before decoding: a tiny file can declare a huge picture.
  const declared = imageSizeFromHeader(bytes);
  // Only PNG and JPEG are read: their declared size is checked before decoding.
  if (!declared) throw new DataError(name, 'not a PNG or JPEG image');
  checkImageSize(declared.width, declared.height, name);
  let bitmap: ImageBitmap;
  try {
    // Straight alpha and no colour conversion: transparent pixels must stay exactly transparent.
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch {
    throw new Error(`${name}: not a readable PNG or JPEG image`);
  }
  post({ type: 'result', result: { job: 'sprite', bitmap, greyscale: bitmapIsGreyscale(bitmap) } }, [bitmap]);
}

self.onmessage = (e: MessageEvent<ParseRequest>) => {
  handle(e.data).catch((err: unknown) => post(errorReply(err)));
};
