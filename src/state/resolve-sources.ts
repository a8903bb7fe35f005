/** Turns configs (by URL) or an opened file set into groups whose every path is a Source. */
import { takeEarly } from './early-fetch';
import { DataError } from '../data/errors';
import { parseProjectorConfig } from '../data/projector-config';
import { candidateUrls, planFileSet, resolveDroppedPath } from '../data/file-set';
import { allowedUrl } from '../data/url-safety';
import { baseName } from '../data/paths';
import { uniqueNames } from '../data/unique-names';
import { isTableName } from '../data/tables/table-names';
import type { EmbeddingSpec, GroupSpec } from '../data/types';
import type { Source, TensorFormat } from '../workers/messages';
import type { LoadedGroup, ResolvedEmbedding } from './store';

/** A file with the path it had in the dropped folder (or just its name). */
export interface OpenedFile {
  file: File;
  path: string;
}

const formatOf = (path: string): TensorFormat =>
  /\.bytes$/i.test(path) ? 'bytes' : /\.npy$/i.test(path) ? 'npy' : isTableName(stripQuery(path)) ? 'table' : 'tsv';

const stripQuery = (path: string) => path.replace(/[?#].*$/, '');

function resolveGroup(spec: GroupSpec, toSource: (ref: string, field: string) => Source): LoadedGroup {
  const titles = uniqueNames(spec.embeddings.map((e) => e.tensorName));
  const embeddings = spec.embeddings.map((e: EmbeddingSpec, i): ResolvedEmbedding => ({
    title: titles[i],
    tensor: toSource(e.tensorPath, `embeddings[${i}].tensorPath`),
    format: formatOf(e.tensorPath),
    shape: e.tensorShape,
    metadata: e.metadataPath ? toSource(e.metadataPath, `embeddings[${i}].metadataPath`) : null,
    bookmarks: e.bookmarksPath ? toSource(e.bookmarksPath, `embeddings[${i}].bookmarksPath`) : null,
    sprite: e.sprite
      ? { source: toSource(e.sprite.imagePath, `embeddings[${i}].sprite.imagePath`), cell: e.sprite.singleImageDim }
      : null,
  }));
  return { name: spec.name, embeddings };
}

function dedupeGroupNames(groups: LoadedGroup[]): LoadedGroup[] {
  const names = uniqueNames(groups.map((g) => g.name));
  return groups.map((g, i) => ({ ...g, name: names[i] }));
}

function tableGroup(fileName: string, tensor: Source): LoadedGroup {
  const title = fileName.replace(/\.[^.]+$/, '');
  return { name: title, embeddings: [{ title, tensor, format: 'table', shape: null, metadata: null, bookmarks: null, sprite: null }] };
}

export async function groupsFromConfigUrls(urls: string[], pageUrl: string): Promise<LoadedGroup[]> {
  const groups = await Promise.all(
    urls.map(async (url) => {
      let absolute: string;
      try {
        absolute = new URL(url, pageUrl).href;
      } catch {
        throw new DataError(url, 'is not a URL');
      }
      if (!allowedUrl(absolute)) throw new DataError(url, 'only http(s) and relative URLs can be opened');
      const fileName = decodeURIComponent(baseName(new URL(absolute).pathname)) || absolute;
      // A table holds vectors, metadata and pictures in one file: it needs no config around it.
      if (isTableName(fileName)) return tableGroup(fileName, { kind: 'url', name: fileName, urls: [absolute] });
      let res: Response;
      try {
        // Credentials (cookies) go only to the page's own origin.
        res = await (takeEarly(absolute) ?? fetch(absolute, { credentials: 'same-origin' }));
      } catch (e) {
        throw new DataError(fileName, `could not be downloaded from ${absolute} (${e instanceof Error ? e.message : e})`);
      }
      if (!res.ok) throw new DataError(fileName, `could not be downloaded from ${absolute} (HTTP ${res.status})`);
      const spec = parseProjectorConfig(await res.text(), fileName);
      return resolveGroup(spec, (ref, field) => {
        const urls = candidateUrls(ref, absolute, pageUrl).filter(allowedUrl);
        if (urls.length === 0) throw new DataError(fileName, `"${ref}" is not an http(s) or relative path`, { field });
        return { kind: 'url', name: baseName(ref), urls };
      });
    }),
  );
  return dedupeGroupNames(groups);
}

/** A JSON file in a dropped folder that is not a projector config (a training log, say) is not an error. */
function isForeignJson(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v !== 'object' || v === null || !('embeddings' in v);
  } catch {
    return false;
  }
}

export async function groupsFromFiles(opened: OpenedFile[]): Promise<LoadedGroup[]> {
  if (opened.length === 0) throw new DataError('(no files)', 'nothing was opened');
  const byPath = new Map(opened.map((o) => [o.path, o.file]));
  const listing = opened.map((o) => ({ path: o.path, name: o.file.name, size: o.file.size }));
  const readHead = async (path: string) => (await byPath.get(path)!.slice(0, 64 * 1024).text());
  const plan = await planFileSet(listing, readHead);

  const fileSource = (path: string): Source => ({ kind: 'file', name: baseName(path), file: byPath.get(path)! });
  const groups: LoadedGroup[] = plan.bareGroups.map((g) => resolveGroup(g, fileSource));
  for (const configPath of plan.configs) {
    const text = await byPath.get(configPath)!.text();
    if (plan.configs.length > 1 && isForeignJson(text)) continue;
    const spec = parseProjectorConfig(text, baseName(configPath));
    groups.push(
      resolveGroup(spec, (ref, field) => {
        const found = resolveDroppedPath(ref, configPath, listing);
        if (!found) throw new DataError(baseName(configPath), `"${ref}" is not among the opened files`, { field });
        return fileSource(found);
      }),
    );
  }
  if (groups.length === 0) throw new DataError(opened[0].path, 'no projector config or vectors TSV among the opened files');
  return dedupeGroupNames(groups);
}
