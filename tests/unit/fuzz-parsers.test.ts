/**
 * Property-based fuzzing of every input parser: on random input and on mutations of the real
 * files under public/data, each parser either returns a result that keeps its invariants or
 * throws a DataError naming the file. Never another exception, never a run that takes seconds
 * (a hang), never a typed array or ArrayBuffer larger than the memory budget.
 *
 * `npm test` runs a quick, fixed-seed pass (a few thousand inputs). `npm run fuzz` runs the
 * same properties with FUZZ_RUNS inputs each and a random seed; FUZZ_SEED=<n> repeats a run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BytesTensorParser, parseBytesTensor } from '../../src/data/bytes-tensor';
import { isDataError } from '../../src/data/errors';
import { candidateUrls, planFileSet, resolveDroppedPath, type DroppedFile } from '../../src/data/file-set';
import { imageSizeFromHeader } from '../../src/data/image-header';
import { checkImageSize, checkTensorSize, memoryBudgetBytes, setMemoryBudgetMB } from '../../src/data/memory-limit';
import { checkMetadataRows, parseMetadata } from '../../src/data/metadata-tsv';
import { npyTensor, parseNpy } from '../../src/data/npy';
import { parseDecimal, scanDecimal } from '../../src/data/number-scan';
import { parseProjectorConfig } from '../../src/data/projector-config';
import { spriteCell, spriteGeometry } from '../../src/data/sprite-geometry';
import type { GroupSpec, Metadata, ParsedVectors, SpriteGeometry, Tensor } from '../../src/data/types';
import { VectorsTsvParser } from '../../src/data/vectors-tsv';
import { readTable } from '../../src/data/tables/read-table';
import { PUBLIC_DATA } from './dataset-helpers';

// ---------------------------------------------------------------------------------------------
// Run size, seed, bounds

const FUZZ_RUNS = Math.floor(Number(process.env.FUZZ_RUNS ?? 0)) || 0;
const FUZZ = FUZZ_RUNS > 0;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : FUZZ ? (Date.now() ^ (Math.random() * 2 ** 31)) | 0 : 20240611;
/** Whole-test limit: vitest's 60 s for the quick pass, generous for `npm run fuzz`. */
const TEST_TIMEOUT = FUZZ ? 4 * 3600_000 : 60_000;
/** One input must never take this long: the bound that turns a hang or a quadratic blow-up into a failure. */
const RUN_LIMIT_MS = 3000;
/** Error messages are shown on the page as they are: they must stay readable. */
const MAX_MESSAGE = 1000;

function options(quickRuns: number): fc.Parameters<unknown> {
  return { numRuns: FUZZ ? FUZZ_RUNS : quickRuns, seed: SEED };
}

// ---------------------------------------------------------------------------------------------
// Counting outcomes

interface Tally {
  tried: number;
  ok: number;
  rejected: number;
}
const tallies = new Map<string, Tally>();
function tally(target: string): Tally {
  let t = tallies.get(target);
  if (!t) tallies.set(target, (t = { tried: 0, ok: 0, rejected: 0 }));
  return t;
}

afterAll(() => {
  setMemoryBudgetMB(NaN);
  let tried = 0;
  let handled = 0;
  const lines = [...tallies].map(([name, t]) => {
    tried += t.tried;
    handled += t.ok + t.rejected;
    return `  ${name.padEnd(33)} inputs ${String(t.tried).padStart(7)}   ok ${String(t.ok).padStart(7)}   DataError ${String(t.rejected).padStart(7)}`;
  });
  const mode = FUZZ ? `FUZZ_RUNS=${FUZZ_RUNS}` : 'quick';
  console.log(
    [`fuzz-parsers (${mode}, seed ${SEED}):`, ...lines, `  total: ${tried} inputs tried, ${handled} handled (a result that keeps its invariants, or a DataError), ${tried - handled} not`].join('\n'),
  );
});

afterEach(() => {
  setMemoryBudgetMB(NaN);
});

// ---------------------------------------------------------------------------------------------
// Allocation guard: while a parser runs, any typed array or ArrayBuffer over the budget throws.

class OverBudget extends Error {
  constructor(what: string, bytes: number) {
    super(`allocation of ${bytes} bytes (${what}) over the ${memoryBudgetBytes()}-byte budget`);
    this.name = 'OverBudget';
  }
}

type Ctor = abstract new (...args: never[]) => object;
const GUARDED: [string, number][] = [
  ['Float32Array', 4],
  ['Float64Array', 8],
  ['Uint8Array', 1],
  ['Int32Array', 4],
  ['Uint32Array', 4],
];

function guardedCtor(name: string, bytesPer: number, Base: Ctor): Ctor {
  const B = Base as unknown as new (...args: unknown[]) => object;
  const G = class extends B {
    constructor(...args: unknown[]) {
      const a = args[0];
      let length = 0;
      if (typeof a === 'number') length = a;
      else if (a != null && typeof a === 'object' && !(a instanceof ArrayBuffer) && typeof (a as { length?: unknown }).length === 'number') {
        length = (a as { length: number }).length;
      }
      if (length * bytesPer > memoryBudgetBytes()) throw new OverBudget(`new ${name}(${length})`, length * bytesPer);
      super(...args);
    }
    static [Symbol.hasInstance](x: unknown): boolean {
      return x instanceof B;
    }
  };
  return G;
}

function withAllocationGuard<T>(fn: () => T): T {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = new Map<string, unknown>();
  for (const [name, bytesPer] of GUARDED) {
    saved.set(name, g[name]);
    g[name] = guardedCtor(name, bytesPer, g[name] as Ctor);
  }
  const OrigBuffer = ArrayBuffer;
  saved.set('ArrayBuffer', OrigBuffer);
  g.ArrayBuffer = class extends OrigBuffer {
    constructor(length: number) {
      if (length > memoryBudgetBytes()) throw new OverBudget(`new ArrayBuffer(${length})`, length);
      super(length);
    }
    static [Symbol.hasInstance](x: unknown): boolean {
      return x instanceof OrigBuffer;
    }
  };
  try {
    return fn();
  } finally {
    for (const [name, ctor] of saved) g[name] = ctor;
  }
}

// ---------------------------------------------------------------------------------------------
// The contract every parser run must keep

type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

/**
 * Runs `fn` under the allocation guard and the time bound; returns its result or the
 * DataError it threw, and fails the property on anything else. Counts one input for `target`;
 * a null target runs the same checks without counting (a second look at an input counted once).
 */
function attempt<T>(target: string | null, fileName: string | null, fn: () => T): Outcome<T> {
  const t = target === null ? { tried: 0, ok: 0, rejected: 0 } : tally(target);
  t.tried++;
  const started = performance.now();
  let out: Outcome<T>;
  try {
    out = { ok: true, value: withAllocationGuard(fn) };
  } catch (e) {
    if (!isDataError(e)) throw e;
    out = { ok: false, error: e };
  }
  const took = performance.now() - started;
  if (took > RUN_LIMIT_MS) throw new Error(`${target}: one input took ${took.toFixed(0)} ms`);
  if (out.ok) t.ok++;
  else {
    t.rejected++;
    checkErrorMessage(out.error, fileName);
  }
  return out;
}

async function attemptAsync<T>(target: string, fn: () => Promise<T>): Promise<Outcome<T>> {
  const t = tally(target);
  t.tried++;
  const started = performance.now();
  let out: Outcome<T>;
  try {
    out = { ok: true, value: await fn() };
  } catch (e) {
    if (!isDataError(e)) throw e;
    out = { ok: false, error: e };
  }
  const took = performance.now() - started;
  if (took > RUN_LIMIT_MS) throw new Error(`${target}: one input took ${took.toFixed(0)} ms`);
  if (out.ok) t.ok++;
  else {
    t.rejected++;
    checkErrorMessage(out.error, null);
  }
  return out;
}

function checkErrorMessage(e: Error, fileName: string | null): void {
  const err = e as Error & { file: string; detail: string };
  if (fileName !== null) expect(err.file).toBe(fileName);
  expect(err.message.startsWith(err.file)).toBe(true);
  expect(err.detail.length).toBeGreaterThan(0);
  expect(err.message.length).toBeLessThanOrEqual(MAX_MESSAGE + err.file.length);
}

// ---------------------------------------------------------------------------------------------
// Inputs: real files and mutations of them

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8');

function read(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(PUBLIC_DATA, path)));
}

/** The first `lines` lines of a file, so big files stay quick to mutate. */
function head(path: string, lines: number): Uint8Array {
  const b = read(path);
  let at = 0;
  for (let k = 0; k < lines && at >= 0; k++) at = b.indexOf(10, at) + 1 || -1;
  return at <= 0 ? b : b.slice(0, at);
}

const VECTOR_SEEDS: [string, Uint8Array][] = [
  ['iris/tensors.tsv', read('iris/tensors.tsv')],
  ['palmer-penguins/tensors.tsv', read('palmer-penguins/tensors.tsv')],
  ['tf-demo-iris/iris_tensors.tsv', read('tf-demo-iris/iris_tensors.tsv')],
  ['glove-100d-10k/tensors.tsv', head('glove-100d-10k/tensors.tsv', 12)],
  ['mnist-2k/tensors.tsv', head('mnist-2k/tensors.tsv', 4)],
  ['sklearn-digits-8x8/tensors.tsv', head('sklearn-digits-8x8/tensors.tsv', 30)],
  ['digits-mlp-epochs/vectors-hidden-layer-2-epoch-4.tsv', head('digits-mlp-epochs/vectors-hidden-layer-2-epoch-4.tsv', 20)],
];

const METADATA_SEEDS: [string, Uint8Array][] = [
  ['iris/metadata.tsv', read('iris/metadata.tsv')],
  ['palmer-penguins/metadata.tsv', read('palmer-penguins/metadata.tsv')],
  ['tf-demo-iris/iris_labels.tsv', read('tf-demo-iris/iris_labels.tsv')],
  ['glove-100d-10k/metadata.tsv', head('glove-100d-10k/metadata.tsv', 300)],
  ['mnist-2k/metadata.tsv', head('mnist-2k/metadata.tsv', 60)],
  ['sklearn-digits-8x8/metadata.tsv', head('sklearn-digits-8x8/metadata.tsv', 60)],
  ['digits-mlp-epochs/metadata-digits-1797.tsv', head('digits-mlp-epochs/metadata-digits-1797.tsv', 60)],
];

const CONFIG_SEEDS: [string, string][] = [
  'iris/projector_config.json',
  'glove-100d-10k/projector_config.json',
  'mnist-2k/projector_config.json',
  'palmer-penguins/projector_config.json',
  'sklearn-digits-8x8/projector_config.json',
  'tf-demo-iris/projector_config.bytes-iris.json',
  'digits-mlp-epochs/template-hidden-layer-1-configs.json',
  'digits-mlp-epochs/template-hidden-layer-2-configs.json',
  'digits-mlp-epochs/training-log.json',
].map((p) => [p, dec.decode(read(p))]);

const BYTES_SEED = read('tf-demo-iris/iris_tensors.bytes'); // 150 x 4 float32

const PNG_SEEDS: Uint8Array[] = [
  read('mnist-2k/sprite.png').slice(0, 256),
  read('sklearn-digits-8x8/sprite.png').slice(0, 256),
  read('digits-mlp-epochs/embedding-image-digits-1797.png').slice(0, 256),
];

/** What each file holds when whole: decides what "the right shape" means for a mutated copy. */
function cleanVectors(bytes: Uint8Array): ParsedVectors {
  const p = new VectorsTsvParser('seed.tsv');
  p.push(bytes);
  return p.finish();
}

const INSERTS = [
  '\t', '\n', '\r\n', '\r', ' ', '"', '""', "'", '#', '\t\t', '\n\n', '\n \n', 'NaN', 'nan', '-inf', 'Infinity', '-Infinity',
  '1e39', '-3.5e38', '3.4028235e38', '3.4028236e38', '1e-400', '1e100000', '99999999999999999999999999999',
  '0.1000000000000000055511151231257827', '0x1F', '1,5', '1_000', '-', '+', '.', 'e5', '1e', '--1', '\uFEFF', '\0', '\u00a0',
  '\u2028', 'é', 'word', '"a\tb"', '"x\ny"', '"unclosed', '\ud800', '<b>', '1\t2\t3\n', '\t1', 'label\t',
];

type Mutation =
  | { k: 'truncate'; at: number }
  | { k: 'flip'; at: number; bit: number }
  | { k: 'set'; at: number; v: number }
  | { k: 'insert'; at: number; s: string }
  | { k: 'insertBytes'; at: number; b: Uint8Array }
  | { k: 'delete'; at: number; len: number }
  | { k: 'replaceField'; at: number; s: string }
  | { k: 'duplicateLine'; at: number; times: number }
  | { k: 'dropLine'; at: number }
  | { k: 'crlf' }
  | { k: 'cr' }
  | { k: 'bom' }
  | { k: 'append'; s: string };

const at = fc.nat({ max: 2 ** 31 - 1 });
const insert = fc.oneof(fc.constantFrom(...INSERTS), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 4 }));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ k: fc.constant('truncate' as const), at }),
  fc.record({ k: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ k: fc.constant('set' as const), at, v: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ k: fc.constant('insert' as const), at, s: insert }),
  fc.record({ k: fc.constant('insertBytes' as const), at, b: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
  fc.record({ k: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ k: fc.constant('replaceField' as const), at, s: insert }),
  fc.record({ k: fc.constant('duplicateLine' as const), at, times: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ k: fc.constant('dropLine' as const), at }),
  fc.constant({ k: 'crlf' as const }),
  fc.constant({ k: 'cr' as const }),
  fc.constant({ k: 'bom' as const }),
  fc.record({ k: fc.constant('append' as const), s: insert }),
);
const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });
/** For binary formats, where any change of length is an error: mostly in-place changes. */
const inPlace = fc.oneof(
  fc.record({ k: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ k: fc.constant('set' as const), at, v: fc.integer({ min: 0, max: 255 }) }),
);
const binaryMutations = fc.array(fc.oneof({ weight: 3, arbitrary: inPlace }, { weight: 1, arbitrary: mutation }), { minLength: 1, maxLength: 4 });

function splice(b: Uint8Array, start: number, end: number, ins: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(b.length - (end - start) + ins.length);
  out.set(b.subarray(0, start));
  out.set(ins, start);
  out.set(b.subarray(end), start + ins.length);
  return out;
}

function lineAround(b: Uint8Array, i: number): [number, number] {
  let s = i;
  while (s > 0 && b[s - 1] !== 10) s--;
  let e = i;
  while (e < b.length && b[e] !== 10) e++;
  return [s, Math.min(e + 1, b.length)];
}

function applyMutation(b: Uint8Array, m: Mutation): Uint8Array {
  const pos = 'at' in m ? m.at % (b.length + 1) : 0;
  switch (m.k) {
    case 'truncate':
      return b.slice(0, pos);
    case 'flip':
    case 'set': {
      if (b.length === 0) return b;
      const out = b.slice();
      const i = pos % b.length;
      out[i] = m.k === 'flip' ? out[i] ^ (1 << m.bit) : m.v;
      return out;
    }
    case 'insert':
      return splice(b, pos, pos, enc.encode(m.s));
    case 'insertBytes':
      return splice(b, pos, pos, m.b);
    case 'delete':
      return splice(b, pos, Math.min(b.length, pos + m.len));
    case 'replaceField': {
      let s = pos;
      while (s > 0 && b[s - 1] !== 9 && b[s - 1] !== 10) s--;
      let e = pos;
      while (e < b.length && b[e] !== 9 && b[e] !== 10 && b[e] !== 13) e++;
      return splice(b, s, e, enc.encode(m.s));
    }
    case 'duplicateLine': {
      const [s, e] = lineAround(b, pos);
      const line = b.slice(s, e);
      const copies = new Uint8Array(line.length * m.times);
      for (let k = 0; k < m.times; k++) copies.set(line, k * line.length);
      return splice(b, e, e, copies);
    }
    case 'dropLine': {
      const [s, e] = lineAround(b, pos);
      return splice(b, s, e);
    }
    case 'crlf':
    case 'cr': {
      const text = dec.decode(b).replace(/\r?\n/g, m.k === 'crlf' ? '\r\n' : '\r');
      return enc.encode(text);
    }
    case 'bom':
      return splice(b, 0, 0, new Uint8Array([0xef, 0xbb, 0xbf]));
    case 'append':
      return splice(b, b.length, b.length, enc.encode(m.s));
  }
}

function mutate(b: Uint8Array, ms: Mutation[]): Uint8Array {
  return ms.reduce(applyMutation, b);
}

/** TSV-ish text from pieces that matter to a parser: separators, numbers, words, quotes. */
const TSV_PIECES = [
  '\t', '\t', '\t', '\n', '\n', '\r\n', ' ', '0', '1', '-2.5', '0.1', '3e-7', '1e39', '-1e39', '3.4028235e38', 'NaN', 'nan',
  'inf', '-Infinity', 'the', 'café', '"', '"q"', '1990', '\uFEFF', '', '0x10', '1,5', '.5', '5.', '-0', '1e-46', 'e', '\r',
];
const tsvText = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom(...TSV_PIECES), fc.string({ maxLength: 3 })), { maxLength: 120 }).map((p) => p.join('')),
  fc.string({ unit: 'binary', maxLength: 200 }),
);
/** Rows of numbers with a random width, optionally labelled: mostly valid files, some wide. */
const tsvRows = fc
  .record({
    d: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3000 })),
    n: fc.integer({ min: 1, max: 6 }),
    labels: fc.boolean(),
    value: fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom(0, 1e38, -1e-45)),
  })
  .map(({ d, n, labels, value }) =>
    Array.from({ length: n }, (_, i) => (labels ? `w${i}\t` : '') + Array.from({ length: d }, (_, j) => String(value + j)).join('\t')).join('\n'),
  );
const tsvBytes = fc.oneof(
  tsvText.map((t) => enc.encode(t)),
  tsvRows.map((t) => enc.encode(t)),
  fc.uint8Array({ maxLength: 300 }),
);

/** Chunk sizes for streaming: 1 byte at a time up to big blocks. */
const chunking = fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 12 });

/** Budgets in MiB: tiny ones make the size limits reachable with small inputs. */
const budgetMB = fc.constantFrom(1 / 64, 1 / 16, 0.25, 4);

const shapeArb = (trueShape: [number, number] | null): fc.Arbitrary<[number, number] | null> =>
  fc.oneof(
    fc.constant(null),
    fc.constant(trueShape),
    fc.tuple(fc.integer({ min: -1, max: 200 }), fc.integer({ min: -1, max: 200 })),
    fc.constantFrom<[number, number]>([1e9, 1e3], [2 ** 53, 1], [1, 2 ** 31], [150, 5], [151, 4]),
    fc.tuple(fc.double(), fc.double()),
  );

// ---------------------------------------------------------------------------------------------
// Invariants per result

function checkVectors(v: ParsedVectors, shape: [number, number] | null): void {
  expect(Number.isSafeInteger(v.n) && v.n >= 1).toBe(true);
  expect(Number.isSafeInteger(v.d) && v.d >= 1).toBe(true);
  expect(v.data).toBeInstanceOf(Float32Array);
  expect(v.data.length).toBe(v.n * v.d);
  expect(v.data.byteLength).toBeLessThanOrEqual(memoryBudgetBytes());
  for (let i = 0; i < v.data.length; i++) if (!Number.isFinite(v.data[i])) throw new Error(`value ${i} is ${v.data[i]}`);
  if (v.rowLabels !== null) {
    expect(v.rowLabels.length).toBe(v.n);
    if (!v.rowLabels.every((l) => typeof l === 'string')) throw new Error('a row label is not a string');
  }
  if (shape) expect([v.n, v.d]).toEqual(shape);
}

function checkTensor(t: Tensor): void {
  expect(Number.isSafeInteger(t.n) && t.n >= 1).toBe(true);
  expect(Number.isSafeInteger(t.d) && t.d >= 1).toBe(true);
  expect(t.data).toBeInstanceOf(Float32Array);
  expect(t.data.length).toBe(t.n * t.d);
  expect(t.data.byteLength).toBeLessThanOrEqual(memoryBudgetBytes());
  for (let i = 0; i < t.data.length; i++) if (!Number.isFinite(t.data[i])) throw new Error(`value ${i} is ${t.data[i]}`);
}

function checkMetadata(m: Metadata): void {
  expect(m.columns.length).toBeGreaterThanOrEqual(1);
  expect(Number.isSafeInteger(m.rows) && m.rows >= 0).toBe(true);
  if (m.columns.length === 1) expect(m.rows).toBeGreaterThanOrEqual(1);
  const names = m.columns.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
  for (const c of m.columns) {
    // Plain checks in this loop: a 3000-column file would make thousands of expect() calls.
    if (typeof c.name !== 'string' || c.name.length === 0) throw new Error(`column name ${JSON.stringify(c.name)}`);
    if (c.values.length !== m.rows) throw new Error(`column ${c.name} has ${c.values.length} values for ${m.rows} rows`);
    const distinct = new Set<string>();
    let numeric = true;
    let any = false;
    for (const v of c.values) {
      if (v === null) continue;
      if (typeof v !== 'string') throw new Error(`cell ${String(v)} is not a string`);
      distinct.add(v);
      any = true;
      if (!Number.isFinite(parseDecimal(v.trim()))) numeric = false;
    }
    if (c.distinct !== distinct.size) throw new Error(`column ${c.name}: distinct ${c.distinct}, counted ${distinct.size}`);
    if (c.numeric !== (numeric && any)) throw new Error(`column ${c.name}: numeric ${c.numeric}, expected ${numeric && any}`);
  }
}

function isPositiveInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

function checkGroup(g: GroupSpec, fileName: string): void {
  expect(typeof g.name).toBe('string');
  expect(g.baseName).toBe(fileName);
  expect(g.embeddings.length).toBeGreaterThanOrEqual(1);
  const names = g.embeddings.map((e) => e.tensorName);
  expect(new Set(names).size).toBe(names.length);
  for (const e of g.embeddings) {
    expect(typeof e.tensorName).toBe('string');
    expect(typeof e.tensorPath === 'string' && e.tensorPath.trim() !== '').toBe(true);
    if (e.tensorShape !== null) expect(e.tensorShape.length === 2 && e.tensorShape.every(isPositiveInt)).toBe(true);
    for (const p of [e.metadataPath, e.bookmarksPath]) if (p !== null) expect(typeof p === 'string' && p.trim() !== '').toBe(true);
    if (e.sprite !== null) {
      expect(typeof e.sprite.imagePath === 'string' && e.sprite.imagePath.trim() !== '').toBe(true);
      expect(e.sprite.singleImageDim.length === 2 && e.sprite.singleImageDim.every(isPositiveInt)).toBe(true);
    }
  }
}

function checkGeometry(g: SpriteGeometry, n: number): void {
  for (const k of ['cellWidth', 'cellHeight', 'columns', 'rows', 'imageWidth', 'imageHeight'] as const) {
    expect(isPositiveInt(g[k])).toBe(true);
  }
  expect(g.columns * g.cellWidth).toBeLessThanOrEqual(g.imageWidth);
  expect(g.rows * g.cellHeight).toBeLessThanOrEqual(g.imageHeight);
  expect(g.columns * g.rows).toBeGreaterThanOrEqual(n);
  if (n > 0) {
    const last = spriteCell(g, n - 1);
    expect(last.x + g.cellWidth).toBeLessThanOrEqual(g.imageWidth);
    expect(last.y + g.cellHeight).toBeLessThanOrEqual(g.imageHeight);
  }
}

// ---------------------------------------------------------------------------------------------
// Vectors TSV

function parseVectorsChunked(bytes: Uint8Array, name: string, shape: [number, number] | null, sizes: number[]): ParsedVectors {
  const parser = new VectorsTsvParser(name, shape);
  for (let pos = 0, k = 0; pos < bytes.length; k++) {
    const size = sizes[k % sizes.length];
    parser.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  return parser.finish();
}

/** Whole and chunked parsing must agree exactly: same values and labels, or the same error. */
function checkVectorsBothWays(target: string, bytes: Uint8Array, shape: [number, number] | null, sizes: number[]): void {
  const name = 'fuzz.tsv';
  const whole = attempt(target, name, () => parseVectorsChunked(bytes, name, shape, [Math.max(1, bytes.length)]));
  const chunked = attempt(null, name, () => parseVectorsChunked(bytes, name, shape, sizes));
  if (whole.ok) checkVectors(whole.value, shape);
  if (chunked.ok) checkVectors(chunked.value, shape);
  expect(chunked.ok).toBe(whole.ok);
  if (whole.ok && chunked.ok) {
    expect(chunked.value.n).toBe(whole.value.n);
    expect(chunked.value.d).toBe(whole.value.d);
    expect(chunked.value.rowLabels).toEqual(whole.value.rowLabels);
    expect(Buffer.from(chunked.value.data.buffer, 0, chunked.value.data.byteLength).equals(Buffer.from(whole.value.data.buffer, 0, whole.value.data.byteLength))).toBe(true);
  } else if (!whole.ok && !chunked.ok) {
    expect(chunked.error.message).toBe(whole.error.message);
  }
}

describe('fuzz: vectors TSV (VectorsTsvParser, random chunk sizes)', () => {
  it('random input', () => {
    fc.assert(
      fc.property(tsvBytes, shapeArb(null), chunking, budgetMB, (bytes, shape, sizes, mb) => {
        setMemoryBudgetMB(mb);
        checkVectorsBothWays('vectors-tsv (random)', bytes, shape, sizes);
      }),
      options(500),
    );
  }, TEST_TIMEOUT);

  it('well-formed rows read as Math.fround(Number(cell)), labels as written', () => {
    fc.assert(
      fc.property(tsvRows, chunking, fc.constantFrom('\n', '\r\n'), (text, sizes, eol) => {
        const bytes = enc.encode(text.replace(/\n/g, eol));
        const r = attempt('vectors-tsv (well-formed)', 'fuzz.tsv', () => parseVectorsChunked(bytes, 'fuzz.tsv', null, sizes));
        // Rows of one width with finite float32 values: nothing to refuse.
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const lines = text.split('\n');
        const labelled = lines[0].startsWith('w');
        const want = lines.flatMap((l) => l.split('\t').slice(labelled ? 1 : 0).map((c) => Math.fround(Number(c))));
        expect(Array.from(r.value.data)).toEqual(want);
        expect(r.value.rowLabels).toEqual(labelled ? lines.map((l) => l.split('\t')[0]) : null);
      }),
      options(200),
    );
  }, TEST_TIMEOUT);

  it('mutations of the committed TSVs', () => {
    const seeds = VECTOR_SEEDS.map(([name, bytes]) => {
      const v = cleanVectors(bytes);
      return { name, bytes, shape: [v.n, v.d] as [number, number] };
    });
    const seed = fc.constantFrom(...seeds).chain((s) => fc.tuple(fc.constant(s), shapeArb(s.shape)));
    fc.assert(
      fc.property(seed, mutations, chunking, fc.constantFrom(0.25, 4, 64), ([s, shape], ms, sizes, mb) => {
        setMemoryBudgetMB(mb);
        checkVectorsBothWays('vectors-tsv (real, mutated)', mutate(s.bytes, ms), shape, sizes);
      }),
      options(500),
    );
  }, TEST_TIMEOUT);
});

// ---------------------------------------------------------------------------------------------
// Metadata TSV

function checkMetadataRun(target: string, text: string): void {
  const name = 'fuzz-metadata.tsv';
  const r = attempt(target, name, () => parseMetadata(text, name));
  if (!r.ok) return;
  checkMetadata(r.value);
  expect(attempt(null, name, () => checkMetadataRows(r.value, r.value.rows, name)).ok).toBe(true);
  const wrong = attempt(null, name, () => checkMetadataRows(r.value, r.value.rows + 1, name));
  expect(wrong.ok).toBe(false);
}

describe('fuzz: metadata TSV (parseMetadata)', () => {
  it('random input', () => {
    fc.assert(
      fc.property(fc.oneof(tsvText, tsvBytes.map((b) => dec.decode(b))), (text) => checkMetadataRun('metadata-tsv (random)', text)),
      options(400),
    );
  }, TEST_TIMEOUT);

  it('mutations of the committed metadata files', () => {
    fc.assert(
      fc.property(fc.constantFrom(...METADATA_SEEDS), mutations, ([, bytes], ms) =>
        checkMetadataRun('metadata-tsv (real, mutated)', dec.decode(mutate(bytes, ms))),
      ),
      options(400),
    );
  }, TEST_TIMEOUT);
});

// ---------------------------------------------------------------------------------------------
// .bytes tensors

function checkBytesRun(target: string, bytes: Uint8Array, shape: [number, number] | null, sizes: number[]): void {
  const name = 'fuzz.bytes';
  const whole = attempt(target, name, () => parseBytesTensor(bytes, name, shape));
  const streamed = attempt(null, name, () => {
    const p = new BytesTensorParser(name, shape);
    for (let pos = 0, k = 0; pos < bytes.length; k++) {
      const size = sizes[k % sizes.length];
      p.push(bytes.subarray(pos, pos + size));
      pos += size;
    }
    return p.finish();
  });
  if (whole.ok) {
    checkTensor(whole.value);
    expect([whole.value.n, whole.value.d]).toEqual(shape);
  }
  if (streamed.ok) checkTensor(streamed.value);
  expect(streamed.ok).toBe(whole.ok);
  if (whole.ok && streamed.ok) expect(Array.from(streamed.value.data)).toEqual(Array.from(whole.value.data));
}

describe('fuzz: .bytes tensors (parseBytesTensor, BytesTensorParser)', () => {
  it('random bytes and shapes', () => {
    const input = fc.integer({ min: 0, max: 64 }).chain((floats) =>
      fc.tuple(
        fc.oneof(fc.uint8Array({ minLength: floats * 4, maxLength: floats * 4 }), fc.uint8Array({ maxLength: 300 })),
        fc.oneof(shapeArb(null), fc.constantFrom<[number, number]>([floats, 1], [1, floats], [floats / 2, 2])),
      ),
    );
    fc.assert(
      fc.property(input, fc.boolean(), chunking, budgetMB, ([bytes, shape], offset, sizes, mb) => {
        setMemoryBudgetMB(mb);
        // Also an unaligned view into a larger buffer, as a slice of a bigger read would be.
        let view = bytes;
        if (offset) {
          const big = new Uint8Array(bytes.length + 3);
          big.set(bytes, 1);
          view = big.subarray(1, 1 + bytes.length);
        }
        checkBytesRun('bytes-tensor (random)', view, shape, sizes);
      }),
      options(300),
    );
  }, TEST_TIMEOUT);

  it('mutations of the committed iris .bytes', () => {
    fc.assert(
      fc.property(binaryMutations, fc.oneof({ weight: 3, arbitrary: fc.constant<[number, number]>([150, 4]) }, { weight: 1, arbitrary: shapeArb([150, 4]) }), chunking, (ms, shape, sizes) =>
        checkBytesRun('bytes-tensor (real, mutated)', mutate(BYTES_SEED, ms), shape, sizes),
      ),
      options(300),
    );
  }, TEST_TIMEOUT);
});

// ---------------------------------------------------------------------------------------------
// .npy

interface NpySpec {
  version: number;
  dict: string;
  data: Uint8Array;
}

function npyFile({ version, dict, data }: NpySpec): Uint8Array {
  const lenBytes = version === 1 ? 2 : 4;
  const prefix = 8 + lenBytes;
  const padded = dict + ' '.repeat((64 - ((prefix + dict.length + 1) % 64)) % 64) + '\n';
  const header = new Uint8Array(padded.length);
  for (let i = 0; i < padded.length; i++) header[i] = padded.charCodeAt(i) & 0xff;
  const out = new Uint8Array(prefix + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version & 0xff, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, Math.min(header.length, 0xffff), true);
  else view.setUint32(8, header.length, true);
  out.set(header, prefix);
  out.set(data, prefix + header.length);
  return out;
}

function shapeTuple(shape: (number | string)[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function npyDict(descr: string, fortran: string, shape: (number | string)[]): string {
  return `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shapeTuple(shape)}, }`;
}

const DTYPES: [string, number][] = [
  ['<f4', 4], ['<f8', 8], ['<f2', 2], ['>f4', 4], ['|u1', 1], ['|i1', 1], ['|b1', 1], ['<i2', 2], ['<u2', 2],
  ['<i4', 4], ['<u4', 4], ['<i8', 8], ['<u8', 8], ['>i8', 8], ['=f4', 4],
];

/** The iris vectors as .npy files of several dtypes: real data to mutate. */
const NPY_SEEDS: Uint8Array[] = (() => {
  const v = cleanVectors(read('iris/tensors.tsv'));
  const f4 = new Uint8Array(v.data.buffer, 0, v.data.byteLength);
  const f8 = new Uint8Array(Float64Array.from(v.data).buffer);
  const u1 = Uint8Array.from(v.data, (x) => Math.round(x * 10) & 0xff);
  return [
    npyFile({ version: 1, dict: npyDict('<f4', 'False', [v.n, v.d]), data: f4 }),
    npyFile({ version: 2, dict: npyDict('<f8', 'False', [v.n, v.d]), data: f8 }),
    npyFile({ version: 3, dict: npyDict('|u1', 'False', [v.n, 2, 2]), data: u1 }),
    npyFile({ version: 1, dict: npyDict('<f4', 'False', [v.n * v.d]), data: f4 }),
  ];
})();

const dim = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom<number | string>(2 ** 31, 2 ** 40, 500_000_000, 9007199254740993, '3L', '-1', 'a', '1.5', '', ' 7 ') },
);
const npySpec: fc.Arbitrary<NpySpec> = fc
  .record({
    version: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(1, 2, 3) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
    dtype: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...DTYPES) }, { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 5 }), fc.constant(1)) }),
    fortran: fc.constantFrom('False', 'False', 'True', 'false', '0'),
    shape: fc.array(dim, { maxLength: 4 }),
    layout: fc.constantFrom('numpy', 'reordered', 'missing', 'raw'),
    raw: fc.string({ maxLength: 60 }),
    delta: fc.oneof(fc.constant(0), fc.integer({ min: -9, max: 9 })),
    fill: fc.constantFrom('random', 'zeros', 'nan'),
    bytes: fc.uint8Array({ maxLength: 64 }),
  })
  .map(({ version, dtype: [descr, size], fortran, shape, layout, raw, delta, fill, bytes }) => {
    const dict =
      layout === 'numpy'
        ? npyDict(descr, fortran, shape)
        : layout === 'reordered'
          ? `{"shape":${shapeTuple(shape)},"fortran_order":${fortran},"descr":"${descr}"}`
          : layout === 'missing'
            ? `{'descr': '${descr}', 'shape': ${shapeTuple(shape)}}`
            : raw;
    const count = shape.reduce<number>((a, b) => a * (typeof b === 'number' ? b : 1), 1);
    const want = count * size + delta;
    // Data as declared when that is small; a huge declared shape gets a few random bytes only.
    const length = want >= 0 && want <= 4096 ? want : bytes.length;
    const data = new Uint8Array(length);
    if (fill === 'random' || want > 4096) for (let i = 0; i < length; i++) data[i] = bytes[i % Math.max(1, bytes.length)] ?? 0;
    else if (fill === 'nan') data.fill(0xff);
    return { version, dict, data };
  });

function checkNpyRun(target: string, bytes: Uint8Array): void {
  const name = 'fuzz.npy';
  const arr = attempt(target, name, () => parseNpy(bytes, name));
  if (arr.ok) {
    const { data, shape } = arr.value;
    expect(shape.every((d) => Number.isSafeInteger(d) && d >= 0)).toBe(true);
    expect(data.length).toBe(shape.reduce((a, b) => a * b, 1));
    expect(data.byteLength).toBeLessThanOrEqual(memoryBudgetBytes());
  }
  const t = attempt(null, name, () => npyTensor(bytes, name));
  if (t.ok) checkTensor(t.value);
  if (!arr.ok) expect(t.ok).toBe(false);
}

type NpyMutation = Mutation | { k: 'npyShape'; shape: (number | string)[] } | { k: 'npyHeaderLen'; v: number };

const npyMutation: fc.Arbitrary<NpyMutation> = fc.oneof(
  { weight: 4, arbitrary: inPlace },
  { weight: 2, arbitrary: mutation },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('npyShape' as const), shape: fc.array(dim, { maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('npyHeaderLen' as const), v: fc.integer({ min: 0, max: 0xffffffff }) }) },
);

function applyNpyMutation(b: Uint8Array, m: NpyMutation): Uint8Array {
  if (m.k === 'npyShape') {
    // Rewrites the shape in the header, keeping the data: a huge declared shape among them.
    const text = String.fromCharCode(...b.subarray(0, Math.min(b.length, 256)));
    const replaced = text.replace(/'shape': \([^)]*\)/, `'shape': ${shapeTuple(m.shape)}`);
    const out = new Uint8Array(b.length - text.length + replaced.length);
    for (let i = 0; i < replaced.length; i++) out[i] = replaced.charCodeAt(i) & 0xff;
    out.set(b.subarray(text.length), replaced.length);
    return out;
  }
  if (m.k === 'npyHeaderLen') {
    if (b.length < 12) return b;
    const out = b.slice();
    new DataView(out.buffer).setUint32(8, m.v, true);
    return out;
  }
  return applyMutation(b, m);
}

describe('fuzz: .npy (parseNpy, npyTensor)', () => {
  it('random headers and data', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 4, arbitrary: npySpec.map(npyFile) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) }), budgetMB, (bytes, mb) => {
        setMemoryBudgetMB(mb);
        checkNpyRun('npy (random)', bytes);
      }),
      options(500),
    );
  }, TEST_TIMEOUT);

  it('mutations of the iris vectors saved as .npy', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NPY_SEEDS), fc.array(npyMutation, { minLength: 1, maxLength: 3 }), (seed, ms) =>
        checkNpyRun('npy (real, mutated)', ms.reduce(applyNpyMutation, seed)),
      ),
      options(400),
    );
  }, TEST_TIMEOUT);
});

// ---------------------------------------------------------------------------------------------
// Projector configs (TF's projector_config.json and Comet's template-<group>-configs.json)

const CONFIG_NAMES = [
  'projector_config.json',
  'runs/a/projector_config.json',
  'template-hidden-layer-1-configs.json',
  'https://example.org/projector_config.json',
  'C:\\data\\template-x-configs.json',
  'x.json',
];
const configName = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...CONFIG_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) });

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', 'a.tsv', 'x/../y.bytes', '\u0000'),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.oneof(fc.integer({ min: -2, max: 100 }), fc.double(), fc.string({ maxLength: 2 })), { maxLength: 3 }),
  fc.constantFrom([10, 4], [0, 4], [1e20, 2], [2.5, 3], ['3', 4], [28, 28]),
  fc.anything({ maxDepth: 2 }),
);
/** Usually a good value, sometimes anything: so that most configs get past their first field. */
const mostly = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 20, arbitrary: good }, { weight: 1, arbitrary: anyValue });
const pair = fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }));
const structuredConfig = fc
  .record(
    {
      embeddings: fc.oneof(
        { weight: 8, arbitrary: fc.array(
          fc.record(
            {
              tensorName: mostly(fc.string({ maxLength: 6 })),
              tensorPath: mostly(fc.constantFrom('tensors.tsv', 'a/b.bytes', 'v.npy', 'x')),
              tensorShape: mostly(pair),
              metadataPath: mostly(fc.constantFrom('metadata.tsv', '', ' ')),
              bookmarksPath: mostly(fc.constantFrom('bookmarks.txt', '')),
              sprite: mostly(fc.record({ imagePath: mostly(fc.constantFrom('sprite.png', 's.jpg')), singleImageDim: mostly(pair) }, { requiredKeys: [] })),
            },
            { requiredKeys: ['tensorPath'] },
          ),
          { minLength: 1, maxLength: 4 },
        ) },
        { weight: 1, arbitrary: anyValue },
      ),
      modelCheckpointPath: anyValue,
    },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o));

/** Nesting deep enough to exhaust the stack of any recursive walk over the value. */
const nestingBomb = fc
  .record({ field: fc.constantFrom('tensorShape', 'tensorName', 'tensorPath', 'sprite', 'metadataPath'), depth: fc.constantFrom(1, 50, 200_000) })
  .map(({ field, depth }) => `{"embeddings":[{"tensorPath":"a.tsv","${field}":${'['.repeat(depth)}${']'.repeat(depth)}}]}`);

const hugeValue = fc
  .constantFrom('tensorShape', 'singleImageDim', 'tensorPath')
  .map((field) => {
    const big = JSON.stringify(Array.from({ length: 50_000 }, (_, i) => i));
    return field === 'singleImageDim'
      ? `{"embeddings":[{"tensorPath":"a.tsv","sprite":{"imagePath":"s.png","singleImageDim":${big}}}]}`
      : `{"embeddings":[{"tensorPath":${field === 'tensorPath' ? big : '"a.tsv"'},"${field}":${big}}]}`;
  });

function checkConfigRun(target: string, text: string, name: string): void {
  const r = attempt(target, name, () => parseProjectorConfig(text, name));
  if (r.ok) checkGroup(r.value, name);
}

describe('fuzz: projector configs (parseProjectorConfig)', () => {
  it('random JSON and config-shaped objects', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 4, arbitrary: fc.json({ maxDepth: 4 }) },
          { weight: 8, arbitrary: structuredConfig },
          { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
          { weight: 1, arbitrary: nestingBomb },
          { weight: 1, arbitrary: hugeValue },
        ),
        configName,
        (text, name) => checkConfigRun('projector-config (random)', text, name),
      ),
      options(400),
    );
  }, TEST_TIMEOUT);

  it('mutations of the committed configs (TF and Comet templates)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CONFIG_SEEDS), mutations, ([path, text], ms) =>
        checkConfigRun('projector-config (real, mutated)', dec.decode(mutate(enc.encode(text), ms)), path.split('/').pop() ?? path),
      ),
      options(400),
    );
  }, TEST_TIMEOUT);
});

// ---------------------------------------------------------------------------------------------
// Sprite geometry and image headers

const pixels = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4096 }) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 2 ** 31 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, NaN, Infinity, 2 ** 53, 0.5) },
);

describe('fuzz: sprites (spriteGeometry, imageSizeFromHeader, checkImageSize)', () => {
  it('spriteGeometry on any numbers', () => {
    const cell = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 64 }) }, { weight: 1, arbitrary: pixels });
    const count = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 50 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 5000 }) }, { weight: 1, arbitrary: fc.nat() });
    fc.assert(
      fc.property(pixels, pixels, cell, cell, count, (w, h, cw, ch, n) => {
        const r = attempt('sprite-geometry', 'sprite.png', () => spriteGeometry(w, h, [cw, ch], n, 'sprite.png'));
        if (r.ok) checkGeometry(r.value, n);
      }),
      options(400),
    );
  }, TEST_TIMEOUT);

  const jpegHeader = (w: number, h: number): Uint8Array =>
    new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
      0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 0xff, w >> 8, w & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
      0xff, 0xda, 0x00, 0x0c,
    ]);
  const pngHeader = (w: number, h: number): Uint8Array => {
    const b = PNG_SEEDS[0].slice(0, 33);
    new DataView(b.buffer).setUint32(16, w);
    new DataView(b.buffer).setUint32(20, h);
    return b;
  };
  const imageBytes = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.constantFrom(...PNG_SEEDS).chain((b) => fc.tuple(fc.constant(b), mutations).map(([s, ms]) => mutate(s, ms))),
    fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })).map(([w, h]) => pngHeader(w, h)),
    fc.tuple(fc.nat({ max: 0xffff }), fc.nat({ max: 0xffff }), mutations).map(([w, h, ms]) => mutate(jpegHeader(w, h), ms)),
  );

  it('image headers, then the size check', () => {
    fc.assert(
      fc.property(imageBytes, budgetMB, (bytes, mb) => {
        setMemoryBudgetMB(mb);
        // Reading the header never throws at all; judging the size throws only DataErrors.
        const size = withAllocationGuard(() => imageSizeFromHeader(bytes));
        if (size !== null) for (const v of [size.width, size.height]) expect(Number.isInteger(v) && v >= 0 && v <= 0xffffffff).toBe(true);
        const checked = attempt('image-header', 'sprite.png', () => {
          if (size !== null) checkImageSize(size.width, size.height, 'sprite.png');
          return size;
        });
        if (checked.ok && size !== null) expect(size.width * size.height * 4).toBeLessThanOrEqual(memoryBudgetBytes());
      }),
      options(400),
    );
  }, TEST_TIMEOUT);

  it('the committed sprites read their true size from the header', () => {
    for (const path of ['mnist-2k/sprite.png', 'sklearn-digits-8x8/sprite.png', 'digits-mlp-epochs/embedding-image-digits-1797.png']) {
      const b = read(path);
      const view = new DataView(b.buffer, b.byteOffset);
      expect(imageSizeFromHeader(b)).toEqual({ width: view.getUint32(16), height: view.getUint32(20) });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Dropped file sets

const PATH_DIRS = ['', 'a/', 'a/b/', 'mnist-2k/', 'C:\\x\\', '/root/', '../', './', 'a//b/', 'digits/'];
const PATH_NAMES = [
  'tensors', 'metadata', 'labels', 'vectors-epoch-1', 'vectors-epoch-10', 'projector_config', 'template-x-configs', 'iris_tensors',
  'iris_labels', 'embedding', 'meta', 'x', '', '.', '..', 'sprite', 'TENSORS', 'a b', 'é',
];
const PATH_EXTS = ['.tsv', '.tsv', '.json', '.npy', '.bytes', '.png', '.TSV', '', '.txt', '.tsv.gz', '.JSON'];
const HEADS = ['{"embeddings": [', '1\t2\t3', 'a\tb', 'word\t0.1\t0.2', '', '\uFEFF1\t2', 'label', '{"x":1}', 'NaN\tinf', '\n1\t2'];

const droppedFiles = fc.array(
  fc.record({
    dir: fc.constantFrom(...PATH_DIRS),
    name: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PATH_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
    ext: fc.constantFrom(...PATH_EXTS),
    head: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...HEADS) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }),
  }),
  { maxLength: 10 },
);

describe('fuzz: dropped file sets (planFileSet, resolveDroppedPath, candidateUrls)', () => {
  it('planFileSet groups any set of files, or says why not', async () => {
    await fc.assert(
      fc.asyncProperty(droppedFiles, async (list) => {
        const heads = new Map<string, string>();
        const files: DroppedFile[] = list.map(({ dir, name, ext, head }) => {
          const path = `${dir}${name}${ext}`;
          heads.set(path, head);
          return { path, name: `${name}${ext}`, size: head.length };
        });
        const r = await attemptAsync('file-set', () => planFileSet(files, async (p) => heads.get(p) ?? ''));
        if (!r.ok) return;
        const paths = new Set(files.map((f) => f.path));
        const plan = r.value;
        for (const c of plan.configs) expect(paths.has(c) && /\.json$/i.test(c)).toBe(true);
        if (plan.configs.length > 0) {
          expect(plan.bareGroups).toEqual([]);
          return;
        }
        expect(plan.bareGroups.length).toBe(1);
        const g = plan.bareGroups[0];
        expect(g.embeddings.length).toBeGreaterThanOrEqual(1);
        const titles = g.embeddings.map((e) => e.tensorName);
        expect(new Set(titles).size).toBe(titles.length);
        for (const e of g.embeddings) {
          expect(paths.has(e.tensorPath)).toBe(true);
          if (e.metadataPath !== null) {
            expect(paths.has(e.metadataPath)).toBe(true);
            expect(e.metadataPath).not.toBe(e.tensorPath);
          }
        }
      }),
      options(300),
    );
  }, TEST_TIMEOUT);

  it('resolveDroppedPath and candidateUrls never throw', () => {
    const ref = fc.oneof(
      fc.constantFrom('tensors.tsv', './a/tensors.tsv', '../x.tsv', 'a%2Fb.tsv', '%E0%A4%A', 'http://h/x.tsv', 'data:,x', '//host/x', '?', '#'),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 6 }),
    );
    const base = fc.oneof(
      fc.constantFrom('http://localhost:4173/', 'https://a.b/c/index.html?x#y', 'file:///x/y', 'not a url', '', 'data/projector_config.json'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(ref, base, base, droppedFiles, (r, configUrl, pageUrl, list) => {
        const files = list.map(({ dir, name, ext }) => ({ path: `${dir}${name}${ext}`, name: `${name}${ext}` }));
        const hit = attempt('file-set (resolve paths)', null, () => resolveDroppedPath(r, configUrl, files));
        expect(hit.ok).toBe(true);
        if (hit.ok && hit.value !== null) expect(files.some((f) => f.path === hit.value)).toBe(true);
        const urls = attempt(null, null, () => candidateUrls(r, configUrl, pageUrl));
        expect(urls.ok).toBe(true);
        if (urls.ok) for (const u of urls.value) expect(typeof u).toBe('string');
      }),
      options(300),
    );
  }, TEST_TIMEOUT);
});

// ---------------------------------------------------------------------------------------------
// Number scanning: the byte scanner agrees with the string grammar on anything

describe('fuzz: number scanning (scanDecimal, parseDecimal)', () => {
  it('scanDecimal on bytes equals parseDecimal on the text', () => {
    const numberish = fc
      .array(fc.constantFrom('0', '1', '9', '5', '.', 'e', 'E', '-', '+', '0000000000', '123456789012345678', 'e308', 'e-330', ' ', 'x', 'Infinity'), { maxLength: 12 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(numberish, fc.string({ maxLength: 8 })), (text) => {
        const bytes = enc.encode(text);
        // scanDecimal is only meant for ASCII bytes; multi-byte UTF-8 is never a number either.
        const r = attempt('number-scan', null, () => scanDecimal(bytes, 0, bytes.length));
        expect(r.ok).toBe(true);
        if (r.ok) expect(Object.is(r.value, parseDecimal(text)) || (Number.isNaN(r.value) && Number.isNaN(parseDecimal(text)))).toBe(true);
      }),
      options(300),
    );
  }, TEST_TIMEOUT);
});

// ---------------------------------------------------------------------------------------------
// What fuzzing found, kept as plain examples

describe('regressions found by fuzzing', () => {
  it('a wide first row reserves rows within the budget, not 1024 of them', () => {
    setMemoryBudgetMB(1 / 16); // 64 KiB: 16384 floats
    const v = withAllocationGuard(() => cleanVectors(enc.encode(`${Array(5000).fill('0.5').join('\t')}\n`)));
    expect([v.n, v.d]).toEqual([1, 5000]);
    const wider = attempt('regressions', 'fuzz.tsv', () => parseVectorsChunked(enc.encode(Array(20000).fill('1').join('\t')), 'fuzz.tsv', null, [4096]));
    expect(wider.ok).toBe(false);
  });

  it('a line longer than the limit is the same error whole or in chunks', () => {
    setMemoryBudgetMB(1 / 64); // 16 KiB: lines stop there too
    const bytes = enc.encode(`w${'x'.repeat(20_000)}\t1\n`);
    const whole = attempt('regressions', 'fuzz.tsv', () => parseVectorsChunked(bytes, 'fuzz.tsv', null, [bytes.length]));
    const chunked = attempt('regressions', 'fuzz.tsv', () => parseVectorsChunked(bytes, 'fuzz.tsv', null, [100]));
    expect(!whole.ok && !chunked.ok && whole.error.message === chunked.error.message).toBe(true);
    expect(whole.ok ? '' : whole.error.message).toBe('fuzz.tsv line 1: line is longer than 16.0 KiB; is this really a tab-separated text file?');
  });

  it('a config value too big or too deep to print gives a short message, not a stack overflow', () => {
    const deep = `{"embeddings":[{"tensorPath":"a.tsv","tensorShape":${'['.repeat(200_000)}${']'.repeat(200_000)}}]}`;
    const r = attempt('regressions', 'projector_config.json', () => parseProjectorConfig(deep, 'projector_config.json'));
    expect(r.ok ? '' : r.error.message).toBe(
      'projector_config.json field "embeddings[0].tensorShape": must be [points, dimensions] with two positive integers, got [[[[[[[[[…]]]]]]]]]',
    );
    const long = JSON.stringify({ embeddings: [{ tensorPath: 'a.tsv', sprite: { imagePath: 's.png', singleImageDim: Array(50_000).fill(7) } }] });
    const l = attempt('regressions', 'projector_config.json', () => parseProjectorConfig(long, 'projector_config.json'));
    expect(l.ok ? '' : l.error.message).toMatch(/got \[7,7,7,.*…$/);
  });

  it('a dropped set of only .npy files is grouped (it threw a TypeError)', async () => {
    const r = await attemptAsync('regressions', () => planFileSet([{ path: 'run/a.npy', name: 'a.npy', size: 0 }], async () => ''));
    expect(r.ok && r.value.bareGroups[0].name).toBe('run');
  });

  it('a 2 GB .npy header is refused from the header alone, naming the size, with nothing allocated', () => {
    const header = npyFile({ version: 1, dict: npyDict('<f4', 'False', [500_000, 1000]), data: new Uint8Array(0) });
    const r = attempt('regressions', 'huge.npy', () => npyTensor(header, 'huge.npy'));
    expect(r.ok ? '' : r.error.message).toBe(
      'huge.npy field "shape": shape (500000, 1000) holds 500000000 values, which need 1.86 GiB as float32, over the 1.50 GiB this page can hold',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The guard itself: it must catch what it is there to catch.

describe('fuzz harness', () => {
  it('the allocation guard refuses a typed array over the budget and leaves the globals as they were', () => {
    setMemoryBudgetMB(1);
    const Before = Float32Array;
    expect(() => withAllocationGuard(() => new Float32Array(300_000))).toThrow(OverBudget);
    expect(withAllocationGuard(() => new Uint8Array(10) instanceof Uint8Array)).toBe(true);
    expect(withAllocationGuard(() => new Uint8Array(4) instanceof Before)).toBe(false);
    expect(Float32Array).toBe(Before);
    expect(() => checkTensorSize(1, 300_000, 'x')).toThrow(/over the 1\.0 MiB/);
  });
});

// ---------------------------------------------------------------------------------------------
// Tables (Parquet through hyparquet, Arrow IPC through apache-arrow, CSV through papaparse)

const TABLE_SEEDS = ['iris.parquet', 'two-vectors.parquet', 'iris.arrow', 'iris.csv', 'glove-words.csv'].map((f) => ({
  name: f,
  bytes: new Uint8Array(readFileSync(join('tests/fixtures/tables', f))),
}));

async function checkTableRun(target: string, bytes: Uint8Array, name: string, vector: string | null): Promise<void> {
  const r = await attemptAsync(target, () => readTable(bytes, name, { vector }));
  if (r.ok) {
    const t = r.value;
    expect(t.data.length).toBe(t.n * t.d);
    expect(t.data.every(Number.isFinite)).toBe(true);
    for (const c of t.metadata?.columns ?? []) expect(c.values.length).toBe(t.n);
  } else {
    expect((r.error as Error & { file: string }).file).toBe(name);
  }
}

describe('fuzz: tables (readTable)', () => {
  it('mutations of the Parquet, Arrow and CSV fixtures', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TABLE_SEEDS), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.constantFrom(null, 'petals', 'nope'), (seed, ms, vector) =>
        checkTableRun('tables (real, mutated)', ms.reduce(applyMutation, seed.bytes), seed.name, vector),
      ),
      options(300),
    );
  }, TEST_TIMEOUT);

  it('random CSV text with a header', async () => {
    const cell = fc.oneof(fc.constantFrom('1', '2.5', '-3e2', 'NaN', '', '"a,b"', '[1, 2]', '1 2 3', 'x'), fc.string({ maxLength: 6 }));
    const csv = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 0, maxLength: 8 }).map((rows) => rows.map((r) => r.join(',')).join('\n'));
    await fc.assert(
      fc.asyncProperty(csv, (text) => checkTableRun('tables (random csv)', new TextEncoder().encode(text), 'fuzz.csv', null)),
      options(400),
    );
  }, TEST_TIMEOUT);
});
