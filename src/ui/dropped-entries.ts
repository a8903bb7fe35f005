/** Walks dropped folders (webkitGetAsEntry) so files keep their relative paths. */
import type { OpenedFile } from '../state/resolve-sources';

const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((res, rej) => entry.file(res, rej));

function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const out: FileSystemEntry[] = [];
  // readEntries returns at most ~100 entries per call.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(out);
        out.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, out: OpenedFile[]): Promise<void> {
  if (entry.isFile) {
    out.push({ file: await fileOf(entry as FileSystemFileEntry), path: entry.fullPath.replace(/^\//, '') });
  } else if (entry.isDirectory) {
    for (const child of await readAll(entry as FileSystemDirectoryEntry)) await walk(child, out);
  }
}

export async function droppedFiles(dt: DataTransfer): Promise<OpenedFile[]> {
  const entries = [...dt.items].map((it) => it.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return [...dt.files].map((file) => ({ file, path: file.name }));
  const out: OpenedFile[] = [];
  for (const e of entries) await walk(e, out);
  return out;
}
