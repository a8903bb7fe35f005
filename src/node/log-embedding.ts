/**
 * The writing side of Comet's log_embedding for Node: vectors TSV, metadata TSV, sprite PNG
 * and a projector config, laid out as Comet logs them so this viewer and TF's projector read
 * them. Groups accumulate titles in template-<group>-configs.json, as Comet's epochs do.
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { metadataColumn } from '../data/metadata-tsv';
import { spriteGeometry } from '../data/sprite-geometry';
import { colorBy } from '../color/color-by';
import {
  createEmbeddingImage,
  encodePng,
  toImageStack,
  type ImageInput,
  type Rgb,
} from '../sprite/embedding-image';

export type { ImageInput, Rgb };

/** A metadata cell; null, undefined and '' are written as empty (missing in the viewer). */
export type Cell = string | number | boolean | null | undefined;

export type VectorsInput = number[][] | { data: ArrayLike<number>; n: number; d: number };

/**
 * One label per point; or, as Comet takes them, rows of fields with the header row first;
 * or named columns with rows of fields.
 */
export type LabelsInput = Cell[] | Cell[][] | { columns: string[]; rows: Cell[][] } | null | undefined;

type CreateOptions = NonNullable<Parameters<typeof createEmbeddingImage>[2]>;

export interface LogEmbeddingOptions {
  /** The title (tensorName) in the viewer; Comet's default is "Comet Embedding". */
  title?: string;
  /** Adds the title to template-<group>-configs.json; without it projector_config.json is written. */
  group?: string;
  /** Image data for the sprite, or the path (or URL) of an existing sprite PNG used as it is. */
  images?: ImageInput | string;
  /** [width, height] or [width, height, channels] of one image. */
  imageSize?: [number, number] | [number, number, number];
  preprocess?: CreateOptions['preprocess'];
  transparentColor?: Rgb;
  /** Each tile is composited over this colour (0..255) and becomes opaque. */
  backgroundColor?: (i: number) => Rgb;
  /** A labels column: tile backgrounds in the viewer's palette for that column. */
  backgroundBy?: string;
  /** With backgroundBy: colours (0..255) for some labels, palette colours for the rest. */
  colors?: Record<string, Rgb>;
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
// Doubles at or beyond this become Infinity as float32, which the viewer rejects.
const FLOAT32_OVERFLOW = 3.4028235677973366e38;

export class LogEmbeddingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogEmbeddingError';
  }
}

const fail = (message: string): never => {
  throw new LogEmbeddingError(message);
};

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

interface Vectors {
  data: ArrayLike<number>;
  n: number;
  d: number;
  float32: boolean;
}

function readVectors(vectors: VectorsInput): Vectors {
  if (Array.isArray(vectors)) {
    const n = vectors.length;
    if (n === 0) fail('vectors: no rows');
    const first = vectors[0];
    if (!Array.isArray(first) && !ArrayBuffer.isView(first)) fail('vectors: must be a list of rows (number[][]) or { data, n, d }');
    const d = first.length;
    if (d === 0) fail('vectors: row 0 is empty');
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = vectors[i];
      if (!Array.isArray(row) && !ArrayBuffer.isView(row)) fail(`vectors: row ${i} is not an array`);
      if (row.length !== d) fail(`vectors: row ${i} has ${row.length} values but row 0 has ${d} (ragged rows)`);
      for (let j = 0; j < d; j++) data[i * d + j] = checkValue(row[j], i, j);
    }
    return { data, n, d, float32: false };
  }
  if (!vectors || typeof vectors !== 'object' || !('data' in vectors)) fail('vectors: must be a list of rows (number[][]) or { data, n, d }');
  const { data, n, d } = vectors;
  if (!Number.isSafeInteger(n) || n <= 0 || !Number.isSafeInteger(d) || d <= 0) {
    fail(`vectors: n and d must be positive integers, got n=${n}, d=${d}`);
  }
  if (data.length !== n * d) fail(`vectors: data has ${data.length} values but n x d = ${n} x ${d} = ${n * d}`);
  for (let k = 0; k < data.length; k++) checkValue(data[k], Math.floor(k / d), k % d);
  return { data, n, d, float32: data instanceof Float32Array };
}

function checkValue(v: unknown, row: number, col: number): number {
  if (typeof v !== 'number') return fail(`vectors: row ${row}, column ${col}: ${JSON.stringify(v) ?? String(v)} is not a number`);
  if (!Number.isFinite(v)) return fail(`vectors: row ${row}, column ${col}: ${v} is not a finite number`);
  if (Math.abs(v) >= FLOAT32_OVERFLOW) return fail(`vectors: row ${row}, column ${col}: ${v} is too large for float32`);
  return v;
}

/** Labels as named columns of cells; the header is written only when there are several columns. */
interface Table {
  columns: string[];
  rows: Cell[][];
}

function readLabels(labels: LabelsInput, n: number): Table | null {
  if (labels == null) return null;
  let table: Table;
  if (Array.isArray(labels)) {
    if (labels.length > 0 && Array.isArray(labels[0])) {
      // Comet's table form: the header row first.
      const [header, ...rows] = labels as Cell[][];
      table = { columns: header.map((c) => (c == null ? '' : String(c))), rows };
      if (rows.length === n - 1) {
        fail(`labels: ${rows.length} rows after the header row but there are ${n} vectors; a list of rows starts with a header row (or pass { columns, rows })`);
      }
    } else {
      table = { columns: ['label'], rows: (labels as Cell[]).map((v) => [v]) };
    }
  } else if (typeof labels === 'object' && Array.isArray(labels.columns) && Array.isArray(labels.rows)) {
    table = { columns: labels.columns.map(String), rows: labels.rows };
  } else {
    return fail('labels: must be a list of labels, a list of rows with a header row first, or { columns, rows }');
  }
  if (table.rows.length !== n) fail(`labels: ${table.rows.length} labels but ${n} vectors; there must be one per vector`);
  const width = table.columns.length;
  if (width === 0) fail('labels: no columns');
  const seen = new Set<string>();
  for (const c of table.columns) {
    if (c.trim() === '') fail('labels: a column name is empty');
    if (/[\t\r\n]/.test(c)) fail(`labels: column name ${JSON.stringify(c)} holds a tab or line break`);
    if (seen.has(c)) fail(`labels: column name ${JSON.stringify(c)} appears twice`);
    seen.add(c);
  }
  table.rows.forEach((row, i) => {
    if (!Array.isArray(row)) fail(`labels: row ${i} is not a list of fields`);
    if (row.length !== width) fail(`labels: row ${i} has ${row.length} fields but there are ${width} columns`);
  });
  return table;
}

const cellText = (v: Cell): string => (v == null ? '' : String(v));

/** What the viewer's metadata parser makes of a written cell (null = missing). */
const cellValue = (v: Cell): string | null => (cellText(v) === '' ? null : cellText(v));

/** Quoted as Python's csv (excel-tab) does, which the viewer and TF read back unchanged. */
function tsvField(v: Cell, oneColumn: boolean): string {
  const s = cellText(v);
  // Unquoted blank cells read as missing, and a one-column file drops trailing blank lines.
  if (s === '') return oneColumn ? '""' : '';
  if (/[\t\r\n"]/.test(s) || s.trim() === '') return `"${s.replace(/"/g, '""')}"`;
  return s;
}

function metadataTsv(table: Table): string {
  const one = table.columns.length === 1;
  // TF's rule: one column has no header line; several have one.
  const lines = one ? [] : [table.columns.join('\t')];
  for (const row of table.rows) lines.push(row.map((v) => tsvField(v, one)).join('\t'));
  return `${lines.join('\n')}\n`;
}

/** In blocks of rows: one string for a large tensor could pass V8's string length limit. */
function vectorsTsv({ data, n, d, float32 }: Vectors): string[] {
  const text = float32 ? float32Text : (v: number) => String(v);
  const blocks: string[] = [];
  const row = new Array<string>(d);
  for (let start = 0; start < n; start += 4096) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(n, start + 4096); i++) {
      for (let j = 0; j < d; j++) row[j] = text(data[i * d + j]);
      lines.push(row.join('\t'));
    }
    blocks.push(`${lines.join('\n')}\n`);
  }
  return blocks;
}

/** The shortest decimal that reads back as the same float32 (String() would print the double's digits). */
function float32Text(v: number): string {
  if (Number.isInteger(v)) return String(v);
  for (let p = 6; p < 9; p++) {
    const x = Number(v.toPrecision(p));
    if (Math.fround(x) === v) return String(x);
  }
  return String(Number(v.toPrecision(9)));
}

/** A sprite to reference as it is (imagePath), or PNG bytes to write into the folder. */
interface PreparedSprite {
  imagePath: string;
  singleImageDim: [number, number];
  /** The existing file referenced, if it is a local one. */
  file: string | null;
  png: Uint8Array | null;
}

async function prepareSprite(dir: string, n: number, table: Table | null, options: LogEmbeddingOptions): Promise<PreparedSprite | null> {
  const { images, imageSize } = options;
  if (images == null) return null;
  if (!imageSize) return fail('imageSize is required with images: [width, height] or [width, height, channels]');
  checkImageSize(imageSize);
  const singleImageDim: [number, number] = [imageSize[0], imageSize[1]];

  if (typeof images === 'string') {
    if (options.backgroundBy !== undefined || options.backgroundColor || options.colors || options.preprocess || options.transparentColor) {
      fail('image options apply to image data, not to an existing sprite used as it is');
    }
    // Comet also takes a sprite URL; the config points at it and the browser fetches it.
    if (/^https?:\/\//i.test(images)) return { imagePath: images, singleImageDim, file: null, png: null };
    const bytes = await readFile(images).catch((e: NodeJS.ErrnoException) => fail(`images: cannot read ${images}: ${e.code === 'ENOENT' ? 'no such file' : (e.code ?? e.message)}`));
    const size = pngSize(bytes);
    if (!size) return fail(`images: ${images} is not a PNG file`);
    try {
      spriteGeometry(size.width, size.height, singleImageDim, n, images);
    } catch (e) {
      fail(`images: ${e instanceof Error ? e.message : String(e)}`);
    }
    const inside = relative(resolve(dir), resolve(images));
    if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) {
      return { imagePath: inside.split(sep).join('/'), singleImageDim, file: images, png: null };
    }
    // Outside the log folder a server of that folder could not reach it: keep a copy inside.
    return { imagePath: '', singleImageDim, file: null, png: bytes };
  }

  const stack = imageCall(() => toImageStack(images, imageSize));
  if (stack.n !== n) fail(`images: ${stack.n} images but ${n} vectors; there must be one per vector`);
  const backgroundColor = backgroundFunction(n, table, options);
  const sprite = imageCall(() =>
    createEmbeddingImage(stack, imageSize, {
      preprocess: options.preprocess,
      transparentColor: options.transparentColor,
      backgroundColor,
    }),
  );
  return { imagePath: '', singleImageDim: [sprite.singleImageDim[0], sprite.singleImageDim[1]], file: null, png: encodePng(sprite) };
}

/** The sprite builder's errors name the image; say they are about the images. */
function imageCall<T>(job: () => T): T {
  try {
    return job();
  } catch (e) {
    return fail(`images: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function checkImageSize(size: readonly number[]): void {
  if (!Array.isArray(size) || (size.length !== 2 && size.length !== 3) || !size.every((v) => Number.isSafeInteger(v) && v > 0)) {
    fail(`imageSize must be [width, height] or [width, height, channels] of positive integers, got ${JSON.stringify(size)}`);
  }
  if (size.length === 3 && ![1, 3, 4].includes(size[2])) fail(`imageSize: channels must be 1, 3 or 4, got ${size[2]}`);
}

/**
 * Tile backgrounds (0..255) by a labels column, in the viewer's palette and category order, so
 * a sprite's colours match the view coloured by that column; `colors` overrides some labels.
 */
export function paletteBackground(labels: LabelsInput, n: number, column: string, colors?: Record<string, Rgb>): (i: number) => Rgb {
  return backgroundFunction(n, readLabels(labels, n), { backgroundBy: column, colors })!;
}

/** backgroundColor as given, or from a labels column in the viewer's palette and category order. */
function backgroundFunction(n: number, table: Table | null, options: LogEmbeddingOptions): ((i: number) => Rgb) | undefined {
  const { backgroundBy, backgroundColor, colors } = options;
  if (backgroundBy === undefined) {
    if (colors) fail('colors needs backgroundBy: the labels column the colours are for');
    return backgroundColor;
  }
  if (backgroundColor) fail('give backgroundColor or backgroundBy, not both');
  if (!table) return fail(`backgroundBy "${backgroundBy}" needs labels`);
  const c = table.columns.indexOf(backgroundBy);
  if (c < 0) fail(`backgroundBy: no labels column "${backgroundBy}"; the columns are ${table.columns.map((s) => JSON.stringify(s)).join(', ')}`);

  const values = table.rows.map((row) => cellValue(row[c]));
  const column = metadataColumn(backgroundBy, values);
  const palette = colorBy(n, column).colors;
  const fixed = new Map<string, Rgb>();
  for (const [label, rgb] of Object.entries(colors ?? {})) {
    if (!values.includes(label)) fail(`colors: no label "${label}" in column "${backgroundBy}"`);
    if (!Array.isArray(rgb) || rgb.length !== 3 || !rgb.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
      fail(`colors: "${label}" must be [r, g, b] with integers 0..255, got ${JSON.stringify(rgb)}`);
    }
    fixed.set(label, rgb);
  }
  return (i) => {
    const v = values[i];
    const given = v === null ? undefined : fixed.get(v);
    if (given) return given;
    return [0, 1, 2].map((k) => Math.round(palette[i * 3 + k] * 255)) as Rgb;
  };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Writes a file that titles share (metadata, sprite) under base+ext. The same content already
 * there is reused; different content gets a name with its hash, so earlier titles keep theirs.
 * The plain name is created only if absent, so two processes logging at once never replace
 * each other's file.
 */
async function writeShared(dir: string, base: string, ext: string, bytes: Uint8Array): Promise<string> {
  const plain = `${base}${ext}`;
  let existing = await readFile(join(dir, plain)).catch(() => null);
  if (existing === null) {
    if (await writeNew(join(dir, plain), bytes)) return plain;
    existing = await readFile(join(dir, plain)).catch(() => null);
  }
  if (existing !== null && Buffer.compare(existing, bytes) === 0) return plain;
  // Named by its content: writing it again, from any process, writes the same bytes.
  const hashed = `${base}-${createHash('sha256').update(bytes).digest('hex').slice(0, 8)}${ext}`;
  await writeAtomic(join(dir, hashed), bytes);
  return hashed;
}

/** Writes a whole new file at path unless one is there already (then false). */
async function writeNew(path: string, bytes: Uint8Array): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  try {
    // A hard link appears whole and fails if the name is taken, where rename would replace it.
    await link(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // File systems without hard links: the plain rename (the last writer wins).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EMLINK') {
      await rename(tmp, path);
      return true;
    }
    throw e;
  } finally {
    await rm(tmp, { force: true });
  }
}

async function readTemplate(configPath: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    return fail(`${configPath}: not valid JSON (${e instanceof Error ? e.message : String(e)}); fix or remove it`);
  }
  if (!isRecord(root) || !Array.isArray(root.embeddings)) return fail(`${configPath}: not a projector config (no "embeddings" array); fix or remove it`);
  return root.embeddings;
}

/** Write then rename, so a server reading the folder during training never sees half a file. */
async function writeAtomic(path: string, content: string | Uint8Array | string[]): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    if (Array.isArray(content)) {
      const file = await open(tmp, 'w');
      try {
        for (const block of content) await file.write(block);
      } finally {
        await file.close();
      }
    } else {
      await writeFile(tmp, content);
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

// Read-modify-write of a group's config: one call at a time within this process (this queue),
// and across processes (a lock file next to the config).
const locks = new Map<string, Promise<unknown>>();

async function withLock<T>(key: string, job: () => Promise<T>): Promise<T> {
  const before = locks.get(key) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => withLockFile(`${key}.lock`, job));
  locks.set(key, run);
  try {
    return await run;
  } finally {
    if (locks.get(key) === run) locks.delete(key);
  }
}

/** A lock older than this is taken to be left behind (the section it guards takes milliseconds). */
export const LOCK_STALE_MS = 10_000;
/** How long to wait for a lock that is held and not stale before giving up. */
const LOCK_WAIT_MS = 60_000;

interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

/**
 * Runs job while holding `lockPath`, created exclusively ('wx'). Another holder is waited for,
 * with a small growing backoff; a lock whose process is gone (same host) or that is older than
 * LOCK_STALE_MS is removed first.
 */
export async function withLockFile<T>(lockPath: string, job: () => Promise<T>): Promise<T> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(12).toString('hex') };
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (await tryLock(lockPath, owner)) break;
    if (await breakIfStale(lockPath)) continue;
    if (Date.now() - started > LOCK_WAIT_MS) {
      fail(`${lockPath}: another process has held this lock for over ${LOCK_WAIT_MS / 1000} s; if no other projector log is running, remove the file`);
    }
    await sleep(Math.min(100, 2 + attempt * 3) * (0.5 + Math.random()));
  }
  try {
    return await job();
  } finally {
    await unlock(lockPath, owner);
  }
}

async function tryLock(lockPath: string, owner: LockOwner): Promise<boolean> {
  let file;
  try {
    file = await open(lockPath, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await file.writeFile(JSON.stringify(owner));
    await file.close();
  } catch (e) {
    await file.close().catch(() => undefined);
    await rm(lockPath, { force: true });
    throw e;
  }
  return true;
}

async function readLockOwner(lockPath: string): Promise<Partial<LockOwner> | null> {
  try {
    const v: unknown = JSON.parse(await readFile(lockPath, 'utf8'));
    return isRecord(v) ? (v as Partial<LockOwner>) : null;
  } catch {
    return null;
  }
}

/** Removes a lock left behind; true when the lock was stale (or vanished) and the caller should retry at once. */
async function breakIfStale(lockPath: string): Promise<boolean> {
  const info = await stat(lockPath).catch(() => null);
  if (!info) return true;
  const who = await readLockOwner(lockPath);
  const old = Date.now() - info.mtimeMs > LOCK_STALE_MS;
  const gone = who !== null && who.host === hostname() && typeof who.pid === 'number' && !processAlive(who.pid);
  if (!old && !gone) return false;
  // Moved aside first, atomically: if another process replaced the stale lock with its own
  // meanwhile, the file moved is not the one judged stale and goes back.
  const aside = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
  const moved = await stat(aside).catch(() => null);
  if (moved && moved.ino !== info.ino) {
    await link(aside, lockPath).catch(() => undefined);
  }
  await rm(aside, { force: true });
  return true;
}

async function unlock(lockPath: string, owner: LockOwner): Promise<void> {
  // Only our own lock: one taken over as stale belongs to someone else now.
  const who = await readLockOwner(lockPath);
  if (who?.token === owner.token) await rm(lockPath, { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** The viewer reads the group's name from the file name, and fetches it by URL: keep both intact. */
function checkGroupName(group: string): void {
  if (typeof group !== 'string' || group.trim() === '') fail('group must be a non-empty string');
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._+-]*$/u.test(group)) {
    fail(`group ${JSON.stringify(group)}: use letters, digits, spaces and . _ + - (it becomes the file name template-<group>-configs.json)`);
  }
}

/** File-name part for a title or group: URL- and file-system-safe; a hash keeps lossy names apart. */
function safeFileName(s: string): string {
  const slug = s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'embedding';
  if (slug === s) return slug;
  return `${slug}-${createHash('sha256').update(s).digest('hex').slice(0, 6)}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
