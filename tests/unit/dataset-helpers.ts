import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VectorsTsvParser } from '../../src/data/vectors-tsv';
import type { ParsedVectors } from '../../src/data/types';
import { createRandom } from '../../src/reduce/random';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '../..');
export const PUBLIC_DATA = join(REPO, 'public/data');
/** Real datasets beside the checkout; CI may not have them. NO_SHARED_DATA=1 acts out CI. */
export const SHARED_DATA = resolve(REPO, '../shared/data');
export const HAS_SHARED = !process.env.NO_SHARED_DATA && existsSync(join(SHARED_DATA, 'README.md'));

/** Streams a file into the parser in fs-sized chunks, as a worker would from a fetch body. */
export async function parseVectorsFile(
  path: string,
  expectedShape: [number, number] | null = null,
  highWaterMark = 64 * 1024,
): Promise<ParsedVectors> {
  const parser = new VectorsTsvParser(path.split('/').pop() ?? path, expectedShape);
  for await (const chunk of createReadStream(path, { highWaterMark })) parser.push(chunk as Buffer);
  return parser.finish();
}

/** Parses the whole text in one push: the baseline that chunked parsing must reproduce. */
export function parseVectorsText(text: string | Uint8Array, fileName = 'test.tsv', shape: [number, number] | null = null): ParsedVectors {
  const parser = new VectorsTsvParser(fileName, shape);
  parser.push(typeof text === 'string' ? new TextEncoder().encode(text) : text);
  return parser.finish();
}

/** Pushes bytes in random-sized chunks (1..maxChunk bytes) from a seeded generator. */
export function parseInRandomChunks(
  bytes: Uint8Array,
  seed: number,
  maxChunk: number,
  fileName = 'test.tsv',
  shape: [number, number] | null = null,
): ParsedVectors {
  const rand = createRandom(seed).next;
  const parser = new VectorsTsvParser(fileName, shape);
  for (let pos = 0; pos < bytes.length; ) {
    const size = 1 + Math.floor(rand() * maxChunk);
    parser.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  return parser.finish();
}

/** The naive reference: split lines and tabs, Number() each cell, round to float32. */
export function naiveRow(line: string): number[] {
  return line.replace(/\r$/, '').split('\t').map((cell) => Math.fround(Number(cell)));
}

export function nonBlankLines(text: string): string[] {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Width and height from a PNG's IHDR chunk, which always comes first. */
export function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  if (b.toString('latin1', 1, 4) !== 'PNG') throw new Error(`${path} is not a PNG`);
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}


/** Catches the error a call throws, so tests can check its class and message together. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`threw a non-Error: ${String(e)}`);
  }
  throw new Error('expected an error, but the call returned');
}

export async function rejected(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`);
  }
  throw new Error('expected a rejection, but the promise resolved');
}
