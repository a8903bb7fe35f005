/**
 * Seeded synthetic projector datasets for the render bench: 10 gaussian clusters, a `label`
 * metadata column (one class per cluster) beside an `index` column, a sprite atlas with one glyph shape per class and a
 * projector_config.json. Files are reused when a stamp says they were written with the same
 * parameters, so reruns skip the (for 1M x 50 TSV, ~450 MB) writes.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { encode } from 'fast-png';
import { createRandom } from '../src/reduce/random';

export interface SyntheticOptions {
  /** Vector dimensions; with 3 the tensor is a precomputed layout the app draws as is. Default 3. */
  dims?: number;
  /** Write sprite.png and reference it from the config. Default true. */
  withSprite?: boolean;
  format: 'bytes' | 'tsv';
}

export interface SyntheticDataset {
  dir: string;
  n: number;
  d: number;
  /** File names inside dir. */
  config: string;
  tensor: string;
  /** Whether the files were (re)written in this call. */
  written: boolean;
}

export const CLASSES = 10;
export const CELL = 8;
const SEED = 7;
// Bump when the generated content changes, so old stamps stop matching.
const VERSION = 2;
const STAMP = 'stamp.json';

export async function writeSyntheticDataset(dir: string, n: number, opts: SyntheticOptions): Promise<SyntheticDataset> {
  const d = opts.dims ?? 3;
  const withSprite = opts.withSprite ?? true;
  const tensor = opts.format === 'bytes' ? 'tensors.bytes' : 'tensors.tsv';
  const files = [tensor, 'metadata.tsv', 'projector_config.json', ...(withSprite ? ['sprite.png'] : [])];
  const stamp = JSON.stringify({ version: VERSION, seed: SEED, n, d, withSprite, format: opts.format });
  const result = { dir, n, d, config: 'projector_config.json', tensor };
  const stampPath = path.join(dir, STAMP);
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp && files.every((f) => existsSync(path.join(dir, f)))) {
    return { ...result, written: false };
  }

  mkdirSync(dir, { recursive: true });
  // A half-written set must not be mistaken for a finished one.
  writeFileSync(stampPath, '');
  const { data, labels } = clusters(n, d);
  if (opts.format === 'bytes') writeBytes(path.join(dir, tensor), data);
  else writeTsv(path.join(dir, tensor), data, d);
  writeMetadata(path.join(dir, 'metadata.tsv'), labels);
  if (withSprite) writeFileSync(path.join(dir, 'sprite.png'), spriteAtlas(labels));
  const config = {
    embeddings: [
      {
        tensorName: `synthetic-${n}`,
        tensorShape: [n, d],
        tensorPath: tensor,
        metadataPath: 'metadata.tsv',
        ...(withSprite ? { sprite: { imagePath: 'sprite.png', singleImageDim: [CELL, CELL] } } : {}),
      },
    ],
  };
  writeFileSync(path.join(dir, 'projector_config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(stampPath, stamp);
  return { ...result, written: true };
}

/**
 * n points in 10 gaussian clusters. For d = 3 they are centred and scaled so the farthest point
 * lies at radius 1 — what the app does to every layout — so a bare page given the same bytes
 * draws the same points.
 */
export function clusters(n: number, d: number): { data: Float32Array; labels: Uint8Array } {
  const rng = createRandom(SEED);
  const centres = Array.from({ length: CLASSES }, () => Array.from({ length: d }, () => (rng.next() * 2 - 1) * 4));
  const spread = Array.from({ length: CLASSES }, () => 0.4 + rng.next() * 0.8);
  const values = new Float64Array(n * d);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rng.next() * CLASSES);
    labels[i] = c;
    for (let j = 0; j < d; j++) values[i * d + j] = centres[c][j] + spread[c] * rng.gaussian();
  }
  if (d === 3) normalise(values, n, d);
  return { data: new Float32Array(values), labels };
}

function normalise(v: Float64Array, n: number, d: number): void {
  const centroid = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centroid[j] += v[i * d + j] / n;
  let maxSq = 0;
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let j = 0; j < d; j++) {
      v[i * d + j] -= centroid[j];
      sq += v[i * d + j] ** 2;
    }
    maxSq = Math.max(maxSq, sq);
  }
  const scale = maxSq > 0 ? 1 / Math.sqrt(maxSq) : 1;
  for (let k = 0; k < v.length; k++) v[k] *= scale;
}

/** Raw little-endian float32, row-major. */
function writeBytes(file: string, data: Float32Array): void {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('big-endian host: .bytes must be little-endian');
  writeFileSync(file, bytes);
}

/** Streams rows to disk in ~4 MB pieces: a 1M x 50 TSV is too big for one string. */
function writeTsv(file: string, data: Float32Array, d: number): void {
  const fd = openSync(file, 'w');
  try {
    const n = data.length / d;
    let piece: string[] = [];
    let size = 0;
    for (let i = 0; i < n; i++) {
      const cells = new Array<string>(d);
      for (let j = 0; j < d; j++) cells[j] = data[i * d + j].toFixed(5);
      const line = cells.join('\t') + '\n';
      piece.push(line);
      size += line.length;
      if (size > 4 << 20) {
        writeSync(fd, piece.join(''));
        piece = [];
        size = 0;
      }
    }
    if (piece.length) writeSync(fd, piece.join(''));
  } finally {
    closeSync(fd);
  }
}

function writeMetadata(file: string, labels: Uint8Array): void {
  const fd = openSync(file, 'w');
  try {
    // Two columns: a one-column metadata file has no header line in TF's format.
    writeSync(fd, 'label\tindex\n');
    const names = Array.from({ length: CLASSES }, (_, c) => `class-${c}\t`);
    for (let at = 0; at < labels.length; at += 1 << 16) {
      let s = '';
      for (let i = at; i < Math.min(labels.length, at + (1 << 16)); i++) s += `${names[labels[i]]}${i}\n`;
      writeSync(fd, s);
    }
  } finally {
    closeSync(fd);
  }
}

/** 8x8 masks, one simple shape per class. */
const GLYPHS: ((x: number, y: number) => boolean)[] = [
  (x, y) => x >= 1 && x <= 6 && y >= 1 && y <= 6, // filled square
  (x, y) => (x === 1 || x === 6 || y === 1 || y === 6) && x >= 1 && x <= 6 && y >= 1 && y <= 6, // hollow square
  (x, y) => (x - 3.5) ** 2 + (y - 3.5) ** 2 <= 10, // disc
  (x, y) => Math.abs(Math.hypot(x - 3.5, y - 3.5) - 2.6) < 0.8, // ring
  (x, y) => (x === 3 || x === 4 || y === 3 || y === 4) && x >= 1 && x <= 6 && y >= 1 && y <= 6, // plus
  (x, y) => Math.abs(x - y) <= 0.5 || Math.abs(x + y - 7) <= 0.5, // cross
  (x, y) => y >= 1 && y <= 6 && Math.abs(x - 3.5) <= (y - 0.5) * 0.6, // triangle
  (x, y) => Math.abs(x - 3.5) + Math.abs(y - 3.5) <= 3.5, // diamond
  (_x, y) => y >= 2 && y <= 5, // horizontal bar
  (x) => x >= 2 && x <= 5, // vertical bar
];

/** RGBA atlas: ceil(sqrt(n)) columns of 8x8 cells, a light glyph on a transparent background. */
function spriteAtlas(labels: Uint8Array): Uint8Array {
  const n = labels.length;
  const columns = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / columns);
  const width = columns * CELL;
  const height = rows * CELL;
  const cells = GLYPHS.map((inside) => {
    const cell = new Uint8Array(CELL * CELL * 4);
    for (let y = 0; y < CELL; y++) {
      for (let x = 0; x < CELL; x++) {
        if (!inside(x, y)) continue;
        cell.set([235, 235, 235, 255], (y * CELL + x) * 4);
      }
    }
    return cell;
  });
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < n; i++) {
    const cx = (i % columns) * CELL;
    const cy = Math.floor(i / columns) * CELL;
    const cell = cells[labels[i]];
    for (let y = 0; y < CELL; y++) {
      data.set(cell.subarray(y * CELL * 4, (y + 1) * CELL * 4), ((cy + y) * width + cx) * 4);
    }
  }
  return encode({ width, height, data, channels: 4 });
}
