/**
 * Slash-path helpers for dropped-file paths and URL paths. Kept free of Node's `path` so
 * they run in a worker, and tolerant of Windows separators and a leading slash (what
 * DataTransfer entries report as fullPath).
 */

export function toSlashes(path: string): string {
  return path.replace(/\\/g, '/');
}

/** Last path segment, ignoring any ?query or #hash. */
export function baseName(path: string): string {
  const clean = toSlashes(path).replace(/[?#].*$/, '');
  return clean.slice(clean.lastIndexOf('/') + 1);
}

/** Everything before the last slash; '' for a bare name. */
export function dirName(path: string): string {
  const clean = toSlashes(path);
  const i = clean.lastIndexOf('/');
  return i < 0 ? '' : clean.slice(0, i);
}

/** File name without its last extension. */
export function stem(name: string): string {
  const base = baseName(name);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

export function extension(name: string): string {
  const base = baseName(name);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/**
 * Resolves `.` and `..` segments and drops empty ones. `..` above the root is dropped, as a
 * browser does with URLs, since a dropped folder has nothing above it.
 */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of toSlashes(path).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

export function joinPath(dir: string, ref: string): string {
  return normalizePath(dir === '' ? ref : `${dir}/${ref}`);
}
