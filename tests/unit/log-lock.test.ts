/**
 * Several processes logging into one group at once (training runs, a sweep) lose no title: the
 * group's config is read, changed and written under a lock file; a lock left behind by a process
 * that died, or one too old to be held still, is taken over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logEmbedding } from '../../src/node/log';

const TITLES = 20;
let work: string;
let dir: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'log-lock-'));
  dir = join(work, 'logs');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

interface Entry {
  tensorName: string;
  tensorPath: string;
  metadataPath?: string;
  sprite?: { imagePath: string };
}
const entries = (name: string): Entry[] => JSON.parse(readFileSync(join(dir, name), 'utf8')).embeddings;
const lockOf = (name: string) => `${resolve(dir, name)}.lock`;

/** A child process that logs `count` titles into group "shared", once told to start. */
function logger(who: string, count: number): { child: ChildProcess; ready: Promise<void>; exit: Promise<number | null>; err: () => string } {
  const script = join(work, 'logger.mts');
  writeFileSync(
    script,
    `import { logEmbedding } from ${JSON.stringify(pathToFileURL(resolve('src/node/log/index.ts')).href)};
const [dir, who, count] = process.argv.slice(2);
process.stdout.write('ready\\n');
await new Promise((go) => process.stdin.once('data', go));
for (let k = 0; k < Number(count); k++) {
  // Each process has its own labels: the shared metadata file must not be replaced under the other's titles.
  await logEmbedding(dir, [[k, 1], [2, k], [3, 3]], [who + '-a', who + '-b', who + '-c'], {
    title: who + '-' + k,
    group: 'shared',
    images: [[0, 255, 0, 255], [255, 0, 255, 0], [k, k, k, k]].map((r) => r.map((v) => (who === 'p0' ? v : 255 - v))),
    imageSize: [2, 2],
  });
}
process.exit(0);
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir, who, String(count)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const ready = new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('ready\n')) ok();
    });
    child.once('exit', (code) => fail(new Error(`${who} exited with ${code} before starting: ${err}`)));
  });
  const exit = new Promise<number | null>((done) => child.once('exit', done));
  return { child, ready, exit, err: () => err };
}

describe('logEmbedding across processes', () => {
  it('two processes logging 20 titles each into one group at once: all 40 titles, every file there', async () => {
    const loggers = ['p0', 'p1'].map((who) => logger(who, TITLES));
    await Promise.all(loggers.map((l) => l.ready));
    for (const l of loggers) l.child.stdin!.end('go\n');
    const codes = await Promise.all(loggers.map((l) => l.exit));
    expect(codes, loggers.map((l) => l.err()).join('\n')).toEqual([0, 0]);

    const list = entries('template-shared-configs.json');
    const expected = ['p0', 'p1'].flatMap((who) => Array.from({ length: TITLES }, (_, k) => `${who}-${k}`));
    expect(list.map((e) => e.tensorName).sort()).toEqual([...expected].sort());
    // Each process's titles in the order it logged them.
    for (const who of ['p0', 'p1']) {
      expect(list.map((e) => e.tensorName).filter((t) => t.startsWith(`${who}-`))).toEqual(expected.filter((t) => t.startsWith(`${who}-`)));
    }
    for (const e of list) {
      const who = e.tensorName.split('-')[0];
      for (const f of [e.tensorPath, e.metadataPath!, e.sprite!.imagePath]) expect(existsSync(join(dir, f)), f).toBe(true);
      // Each title's labels are its own process's.
      expect(readFileSync(join(dir, e.metadataPath!), 'utf8')).toBe(`${who}-a\n${who}-b\n${who}-c\n`);
    }
    // The two processes' metadata and sprites are kept apart: 2 metadata files, and sprites by content.
    expect(new Set(list.map((e) => e.metadataPath)).size).toBe(2);
    // No lock, temporary or moved-aside file left behind.
    expect(readdirSync(dir).filter((f) => /\.(lock|tmp|stale)$/.test(f))).toEqual([]);
  });

  it('a lock left by a process that is gone is taken over at once', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    const pid = dead.pid!;
    await new Promise((done) => dead.once('exit', done));
    await logEmbedding(dir, [[1, 2]], null, { title: 'first', group: 'g' });
    writeFileSync(lockOf('template-g-configs.json'), JSON.stringify({ pid, host: hostname(), token: 'left-behind' }));

    const t0 = performance.now();
    await logEmbedding(dir, [[3, 4]], null, { title: 'second', group: 'g' });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(entries('template-g-configs.json').map((e) => e.tensorName)).toEqual(['first', 'second']);
    expect(existsSync(lockOf('template-g-configs.json'))).toBe(false);
  });

  it('a lock older than 10 s is taken over, even one naming a live process or unreadable', async () => {
    const lock = lockOf('template-g-configs.json');
    const old = new Date(Date.now() - 20_000);
    await logEmbedding(dir, [[1, 2]], null, { title: 'first', group: 'g' });

    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: 'someone-else' }));
    utimesSync(lock, old, old);
    await logEmbedding(dir, [[3, 4]], null, { title: 'second', group: 'g' });

    writeFileSync(lock, '');
    utimesSync(lock, old, old);
    await logEmbedding(dir, [[5, 6]], null, { title: 'third', group: 'g' });

    expect(entries('template-g-configs.json').map((e) => e.tensorName)).toEqual(['first', 'second', 'third']);
    expect(existsSync(lock)).toBe(false);
  });

  it('a fresh lock of a live process is waited for, not broken', async () => {
    const lock = lockOf('projector_config.json');
    await logEmbedding(dir, [[1, 2]], null, { title: 'first' });
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: 'someone-else' }));
    let released = 0;
    setTimeout(() => {
      released = performance.now();
      rmSync(lock);
    }, 400);
    await logEmbedding(dir, [[3, 4]], null, { title: 'second' });
    const finished = performance.now();
    expect(released).toBeGreaterThan(0);
    expect(finished).toBeGreaterThanOrEqual(released);
    expect(entries('projector_config.json').map((e) => e.tensorName)).toEqual(['second']);
  });
});
