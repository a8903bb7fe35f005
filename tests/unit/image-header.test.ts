import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import { imageSizeFromHeader } from '../../src/data/image-header';
import { checkImageSize } from '../../src/data/memory-limit';
import { PUBLIC_DATA, pngSize } from './dataset-helpers';

/** PNG signature and an IHDR chunk (CRC left zero: only the size is read), no image data. */
function pngHeader(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(b.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  b.set([8, 6, 0, 0, 0], 24); // 8-bit RGBA, deflate, no filter, no interlace
  return b;
}

/** SOI, a JFIF APP0 segment, then a frame header (SOFn) with the size, then the start of scan. */
function jpegHeader(width: number, height: number, sof = 0xc0, extra: number[] = []): Uint8Array {
  return new Uint8Array([
    0xff, 0xd8,
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
    ...extra,
    0xff, sof, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    0xff, 0xda, 0x00, 0x0c,
  ]);
}

describe('imageSizeFromHeader', () => {
  it('reads the committed sprites as their IHDR says', () => {
    for (const path of ['mnist-2k/sprite.png', 'sklearn-digits-8x8/sprite.png']) {
      const [width, height] = pngSize(join(PUBLIC_DATA, path));
      expect(imageSizeFromHeader(new Uint8Array(readFileSync(join(PUBLIC_DATA, path))))).toEqual({ width, height });
    }
  });

  it('reads a PNG size from the first 24 bytes, even a huge one, without image data', () => {
    expect(imageSizeFromHeader(pngHeader(100_000, 100_000))).toEqual({ width: 100_000, height: 100_000 });
    expect(imageSizeFromHeader(pngHeader(0xffffffff, 1))).toEqual({ width: 0xffffffff, height: 1 });
    expect(imageSizeFromHeader(pngHeader(28, 28).subarray(0, 24))).toEqual({ width: 28, height: 28 });
  });

  it('reads a JPEG size from its frame header, skipping other segments and fill bytes', () => {
    expect(imageSizeFromHeader(jpegHeader(640, 480))).toEqual({ width: 640, height: 480 });
    expect(imageSizeFromHeader(jpegHeader(65535, 3, 0xc2))).toEqual({ width: 65535, height: 3 }); // progressive
    // A DHT (0xc4) segment is not a frame header; fill bytes (0xff 0xff) before a marker are allowed.
    const dht = [0xff, 0xc4, 0x00, 0x05, 0x00, 0x00, 0x00, 0xff];
    expect(imageSizeFromHeader(jpegHeader(12, 34, 0xc1, dht))).toEqual({ width: 12, height: 34 });
  });

  it('gives null for anything else or a header cut before the size', () => {
    expect(imageSizeFromHeader(new Uint8Array(0))).toBeNull();
    expect(imageSizeFromHeader(new TextEncoder().encode('1\t2\n3\t4\n'))).toBeNull();
    expect(imageSizeFromHeader(pngHeader(10, 10).subarray(0, 23))).toBeNull();
    const noIhdr = pngHeader(10, 10);
    noIhdr[12] = 0x58;
    expect(imageSizeFromHeader(noIhdr)).toBeNull();
    const jpeg = jpegHeader(640, 480);
    expect(imageSizeFromHeader(jpeg.subarray(0, 26))).toBeNull();
    // Start of scan before any frame header.
    expect(imageSizeFromHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]))).toBeNull();
    // A segment length running off the end.
    expect(imageSizeFromHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 0x00]))).toBeNull();
  });
});

describe('a decompression bomb', () => {
  it('is refused from its header: valid signature and an IHDR declaring 100000 x 100000, no image data', () => {
    const bomb = pngHeader(100_000, 100_000);
    const size = imageSizeFromHeader(bomb);
    expect(size).not.toBeNull();
    let error: unknown = null;
    try {
      checkImageSize(size!.width, size!.height, 'sprite.png');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).file).toBe('sprite.png');
    expect((error as DataError).message).toMatch(/^sprite\.png: a 100000 x 100000 image would need 37\.25 GiB decoded/);
  });
});
