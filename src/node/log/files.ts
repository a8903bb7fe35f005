/**
 * Writing into a log folder that a server may be reading and other processes may be writing:
 * whole files only (write then rename), and shared files never replaced under another title.
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, isRecord } from './errors';

/**
 * Writes a file that titles share (metadata, sprite) under base+ext. The same content already
 * there is reused; different content gets a name with its hash, so earlier titles keep theirs.
 * The plain name is created only if absent, so two processes logging at once never replace
 * each other's file.
 */
export async function writeShared(dir: string, base: string, ext: string, bytes: Uint8Array): Promise<string> {
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

export async function readTemplate(configPath: string): Promise<unknown[]> {
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
export async function writeAtomic(path: string, content: string | Uint8Array | string[]): Promise<void> {
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
