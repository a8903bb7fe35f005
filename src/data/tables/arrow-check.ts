/**
 * A look at an Arrow IPC file's record-batch blocks before apache-arrow reads them: a damaged
 * footer that points a block at a message other than a record batch, or at bytes past the end,
 * makes its reader loop without end (found by fuzzing). Each block must hold a RecordBatch
 * message whose buffers lie inside its body, and the body inside the file.
 */
import { Message, MessageHeader, RecordBatchReader } from 'apache-arrow';
import { DataError } from '../errors';

interface BatchHeader {
  length: number | bigint;
  buffers: { offset: number | bigint; length: number | bigint }[];
}

export function checkArrowBlocks(bytes: Uint8Array, file: string): void {
  let reader;
  try {
    reader = RecordBatchReader.from(bytes);
    reader.open();
  } catch {
    return; // Not readable at all: apache-arrow's own error names it.
  }
  if (!reader.isFile()) return;
  const footer = reader.footer;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < reader.numRecordBatches; i++) {
    const block = footer?.getRecordBatch(i);
    const bad = (why: string) => new DataError(file, `is a damaged Arrow file: record batch ${i} ${why}`);
    if (!block) throw bad('is missing from the footer');
    const start = Number(block.offset);
    const metaEnd = start + Number(block.metaDataLength);
    const bodyLength = Number(block.bodyLength);
    if (!(start >= 0 && metaEnd > start + 8 && metaEnd + bodyLength <= bytes.length)) throw bad('lies outside the file');
    // A message: 0xFFFFFFFF, its flatbuffer length, the flatbuffer (older files omit the marker).
    const marked = view.getInt32(start, true) === -1;
    const length = view.getInt32(start + (marked ? 4 : 0), true);
    const from = start + (marked ? 8 : 4);
    if (!(length > 0 && from + length <= metaEnd)) throw bad('has a bad metadata length');
    let header: BatchHeader;
    try {
      const message = Message.decode(bytes.subarray(from, from + length));
      if (message.headerType !== MessageHeader.RecordBatch) throw new Error('not a record batch');
      header = message.header() as unknown as BatchHeader;
    } catch {
      throw bad('is not a record batch message');
    }
    for (const b of header.buffers) {
      if (Number(b.offset) < 0 || Number(b.length) < 0 || Number(b.offset) + Number(b.length) > bodyLength) throw bad('has a buffer outside its body');
    }
  }
}
