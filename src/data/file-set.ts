import { DataError } from './errors';
import { parseDecimal } from './number-scan';
import { baseName, dirName, extension, joinPath, normalizePath, stem } from './paths';
import type { EmbeddingSpec, GroupSpec } from './types';
import { uniqueNames } from './unique-names';
import { isTableName } from './tables/table-names';

export interface DroppedFile {
  /** Relative path such as `mnist-2k/tensors.tsv`, or just the name. */
  path: string;
  name: string;
  size: number;
}

export interface FileSetPlan {
  /** Paths of the projector configs to load; each becomes a group. */
  configs: string[];
  /** Groups built from bare TSVs, only when the set holds no config. */
  bareGroups: GroupSpec[];
}

/** Used as the "file" in errors about the set as a whole. */
const SET_NAME = 'Dropped files';

// Comet's and TF's config names; other .json files are only taken when they look like one.
const CONFIG_NAME = /^(?:projector_config.*|template-.+-configs)\.json$/i;
const CONFIG_HEAD = /"embeddings"\s*:/;

const METADATA_WORD = /meta|label/;
const VECTORS_WORD = /tensor|vector|embedding/;
// Words that say what a file holds; what is left of the name says which data it belongs to.
const ROLE_WORDS = /tensors?|vectors?|embeddings?|metadata|meta|labels?/g;

type Role = 'vectors' | 'metadata';

/**
 * Decides what to load from a set of dropped or picked files. Configs win: with any config
 * present the TSVs are left to the configs that name them. Without one, each vectors TSV
 * becomes a title of one group, sharing the metadata file that belongs to it.
 * `readHead` returns the start of a file as text; it is used to recognise configs with
 * unusual names and TSVs whose names say nothing.
 */
export async function planFileSet(
  files: DroppedFile[],
  readHead: (path: string) => Promise<string>,
): Promise<FileSetPlan> {
  if (files.length === 0) throw new DataError(SET_NAME, 'no files to load');

  const configs: string[] = [];
  for (const f of files) {
    if (extension(f.name) !== 'json') continue;
    if (CONFIG_NAME.test(f.name) || CONFIG_HEAD.test(await readHead(f.path))) configs.push(f.path);
  }
  if (configs.length > 0) return { configs: configs.sort(naturalCompare), bareGroups: [] };

  const bytes = files.find((f) => extension(f.name) === 'bytes');
  if (bytes) {
    throw new DataError(
      bytes.name,
      'a .bytes tensor has no shape of its own; load it together with the projector config that declares its tensorShape',
    );
  }

  const tsvs = files.filter((f) => extension(f.name) === 'tsv');
  // A .npy carries its own shape, a table (Parquet, Arrow, CSV) its columns: always vectors.
  const npys = files.filter((f) => extension(f.name) === 'npy' || isTableName(f.name));
  if (tsvs.length === 0 && npys.length === 0) {
    throw new DataError(
      SET_NAME,
      `found no projector config (.json) and no .tsv, .npy, .parquet, .arrow/.feather or .csv file among ${nameList(files)}`,
    );
  }

  const roles = await classify(tsvs, readHead);
  const vectors = [...npys, ...tsvs.filter((f) => roles.get(f) === 'vectors')].sort((a, b) => naturalCompare(a.path, b.path));
  const metadata = tsvs.filter((f) => roles.get(f) === 'metadata');
  if (vectors.length === 0) {
    throw new DataError(
      SET_NAME,
      `no vectors file among ${nameList(tsvs)}; drop the tensors .tsv along with its metadata`,
    );
  }

  const titles = uniqueNames(vectors.map((f) => stem(f.name)));
  const embeddings: EmbeddingSpec[] = vectors.map((f, i) => ({
    tensorName: titles[i],
    tensorShape: null,
    tensorPath: f.path,
    metadataPath: metadataFor(f, metadata)?.path ?? null,
    bookmarksPath: null,
    sprite: null,
  }));
  // Over every file the group uses: a set of only .npy files has no TSV to name it.
  const folder = commonFolder([...vectors, ...metadata].map((f) => f.path));
  // Paths above are full set paths, so they resolve from the root of the set.
  return { configs: [], bareGroups: [{ name: folder || SET_NAME, baseName: '', embeddings }] };
}

async function classify(
  tsvs: DroppedFile[],
  readHead: (path: string) => Promise<string>,
): Promise<Map<DroppedFile, Role>> {
  const roles = new Map<DroppedFile, Role>();
  const sniffed: { file: DroppedFile; fields: number }[] = [];
  for (const f of tsvs) {
    const name = stem(f.name).toLowerCase();
    if (METADATA_WORD.test(name)) roles.set(f, 'metadata');
    else if (VECTORS_WORD.test(name)) roles.set(f, 'vectors');
    else {
      const fields = firstLineFields(await readHead(f.path));
      // A label may lead a vectors row; a header of names never looks numeric.
      const numeric = fields.length >= 2 && fields.slice(1).every((x) => Number.isFinite(parseDecimal(x)));
      roles.set(f, numeric ? 'vectors' : 'metadata');
      sniffed.push({ file: f, fields: fields.length });
    }
  }
  const anyVectors = [...roles.values()].includes('vectors');
  if (!anyVectors && sniffed.length > 0) {
    // Nothing looked numeric: the widest unnamed file is the best guess, and parsing it then
    // says what is wrong with it, which helps more than "no vectors file".
    // A loop, not Math.max(...list): spreading a list of 100k+ files overflows the stack.
    let widest = 0;
    for (const s of sniffed) widest = Math.max(widest, s.fields);
    const top = sniffed.filter((s) => s.fields === widest);
    if (top.length === 1) roles.set(top[0].file, 'vectors');
  }
  return roles;
}

/** File names for a message: the first few, then how many more, so a big drop stays readable. */
function nameList(files: DroppedFile[], shown = 8): string {
  const names = files.slice(0, shown).map((f) => (f.name.length > 60 ? `${f.name.slice(0, 60)}…` : f.name));
  return files.length > shown ? `${names.join(', ')} and ${files.length - shown} more` : names.join(', ');
}

function firstLineFields(head: string): string[] {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.split('\t').map((f) => f.trim());
}

/** The metadata belonging to a vectors file: same folder and same name key first. */
function metadataFor(vectors: DroppedFile, metadata: DroppedFile[]): DroppedFile | null {
  if (metadata.length === 0) return null;
  const dir = dirName(normalizePath(vectors.path));
  const key = nameKey(vectors.name);
  const sameDir = metadata.filter((m) => dirName(normalizePath(m.path)) === dir);
  const sameKey = (list: DroppedFile[]) => list.filter((m) => key !== '' && nameKey(m.name) === key);
  const pick = (list: DroppedFile[]) => (list.length === 1 ? list[0] : null);
  return pick(sameKey(sameDir)) ?? pick(sameDir) ?? pick(sameKey(metadata)) ?? pick(metadata);
}

/** `iris_tensors.tsv` and `iris_labels.tsv` both give "iris". */
function nameKey(name: string): string {
  return stem(name)
    .toLowerCase()
    .replace(ROLE_WORDS, '')
    .replace(/[-_. ]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function commonFolder(paths: string[]): string {
  if (paths.length === 0) return '';
  const dirs = paths.map((p) => dirName(normalizePath(p)).split('/').filter(Boolean));
  const common: string[] = [];
  for (let i = 0; dirs.every((d) => i < d.length && d[i] === dirs[0][i]); i++) common.push(dirs[0][i]);
  return common.length > 0 ? common[common.length - 1] : '';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Finds the dropped file a config refers to: relative to the config's folder first (as TF
 * resolves it), then as a path from the root of the set, then by base name alone (a config
 * written for another layout). Null when nothing matches.
 */
export function resolveDroppedPath(
  ref: string,
  configPath: string,
  files: { path: string; name: string }[],
): string | null {
  const byPath = new Map<string, string>();
  for (const f of files) {
    const key = normalizePath(f.path);
    if (!byPath.has(key)) byPath.set(key, f.path);
  }
  const configDir = dirName(normalizePath(configPath));
  const refs = [ref];
  const decoded = safeDecode(ref);
  if (decoded !== ref) refs.push(decoded);

  for (const r of refs) {
    if (isAbsoluteUrl(r)) continue;
    const hit = byPath.get(joinPath(configDir, r)) ?? byPath.get(normalizePath(r));
    if (hit !== undefined) return hit;
  }
  for (const r of refs) {
    const hit = byBaseName(baseName(r), configDir, files, false) ?? byBaseName(baseName(r), configDir, files, true);
    if (hit !== null) return hit;
  }
  return null;
}

function byBaseName(
  base: string,
  configDir: string,
  files: { path: string; name: string }[],
  ignoreCase: boolean,
): string | null {
  const want = ignoreCase ? base.toLowerCase() : base;
  const matches = files.filter((f) => {
    const name = baseName(f.path) || f.name;
    return (ignoreCase ? name.toLowerCase() : name) === want;
  });
  if (matches.length === 0) return null;
  // Several files share the name: take the one nearest the config.
  let best = matches[0];
  let bestShared = -1;
  for (const m of matches) {
    const shared = sharedPrefixSegments(dirName(normalizePath(m.path)), configDir);
    if (shared > bestShared) {
      best = m;
      bestShared = shared;
    }
  }
  return best.path;
}

function sharedPrefixSegments(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i] && x[i] !== '') i++;
  return i;
}

/**
 * URLs to try, in order, for a path in a config loaded from a URL: TF resolves paths
 * against the config, but its standalone demo configs were written relative to the page.
 */
export function candidateUrls(ref: string, configUrl: string, pageUrl: string): string[] {
  if (isAbsoluteUrl(ref)) return [ref];
  const urls: string[] = [];
  const add = (make: () => string) => {
    try {
      const url = make();
      if (!urls.includes(url)) urls.push(url);
    } catch {
      // An unparsable base just yields no candidate.
    }
  };
  add(() => new URL(ref, new URL(configUrl, pageUrl)).href);
  add(() => new URL(ref, pageUrl).href);
  return urls;
}

function isAbsoluteUrl(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(ref);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
