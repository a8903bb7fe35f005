/**
 * Pixel size of a PNG or JPEG from its header alone, so a sprite's decoded size can be checked
 * against the memory budget before the browser decodes it (a small file can declare a huge
 * image). Pure: no DOM, no allocation beyond the result; reads at most the bytes it is given.
 */

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface ImageSize {
  width: number;
  height: number;
}

/**
 * Width and height as the header declares them (PNG: the IHDR chunk, which must come first;
 * JPEG: the first SOFn frame marker), or null when the bytes are neither format or end before
 * the size. Values are returned as declared, even 0 or huge: judging them is checkImageSize's job.
 */
export function imageSizeFromHeader(bytes: Uint8Array): ImageSize | null {
  if (isPng(bytes)) return pngSize(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes);
  return null;
}

function isPng(bytes: Uint8Array): boolean {
  if (bytes.length < PNG_SIGNATURE.length) return false;
  for (let i = 0; i < PNG_SIGNATURE.length; i++) if (bytes[i] !== PNG_SIGNATURE[i]) return false;
  return true;
}

function pngSize(bytes: Uint8Array): ImageSize | null {
  // Signature, chunk length (13), "IHDR", width, height: all big-endian.
  if (bytes.length < 24) return null;
  if (bytes[12] !== 0x49 || bytes[13] !== 0x48 || bytes[14] !== 0x44 || bytes[15] !== 0x52) return null;
  return { width: uint32(bytes, 16), height: uint32(bytes, 20) };
}

/** Markers that carry a frame header with the image size: SOF0-3, 5-7, 9-11, 13-15. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(bytes: Uint8Array): ImageSize | null {
  let i = 2;
  while (i < bytes.length) {
    if (bytes[i] !== 0xff) return null; // not at a marker: damaged, let the decoder say so
    while (i < bytes.length && bytes[i] === 0xff) i++; // fill bytes
    if (i >= bytes.length) return null;
    const marker = bytes[i++];
    // Stand-alone markers have no length: TEM, RST0-7, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    // End of image or start of scan before any frame header: no size to be had.
    if (marker === 0xd9 || marker === 0xda || marker === 0x00) return null;
    if (i + 2 > bytes.length) return null;
    const length = (bytes[i] << 8) | bytes[i + 1];
    if (length < 2) return null;
    if (isStartOfFrame(marker)) {
      // Length, precision (1 byte), height, width (2 bytes each).
      if (length < 7 || i + 7 > bytes.length) return null;
      return { width: (bytes[i + 5] << 8) | bytes[i + 6], height: (bytes[i + 3] << 8) | bytes[i + 4] };
    }
    i += length;
  }
  return null;
}

function uint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}
