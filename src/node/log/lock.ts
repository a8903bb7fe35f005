/** The lock around a group config's read-modify-write, within this process and across processes. */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { fail, isRecord } from './errors';

// Read-modify-write of a group's config: one call at a time within this process (this queue),
// and across processes (a lock file next to the config).
const locks = new Map<string, Promise<unknown>>();

export async function withLock<T>(key: string, job: () => Promise<T>): Promise<T> {
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
