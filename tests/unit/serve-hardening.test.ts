/**
 * `projector serve` under abuse: symbolic links out of the folder, files removed, cut short or
 * rewritten while they are read, requests for other hosts (DNS rebinding), logged HTML, and a
 * thousand requests at once with traversal attempts. Every answer is the right status, the
 * length promised is the length sent, and the server keeps answering.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP, loopbackHost, startServer, type RunningServer } from '../../src/node/serve';

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; " +
  "connect-src 'self' http: https: blob: data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

let work: string;
let logs: string;
let served: RunningServer;
const BIG = 48 * 1024 * 1024;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'serve-hardening-'));
  logs = join(work, 'logs');
  const dist = join(work, 'dist');
  mkdirSync(join(logs, 'run', 'sub'), { recursive: true });
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'export {};\n');
  writeFileSync(join(work, 'secret.txt'), 'outside the folder\n');
  mkdirSync(join(work, 'outside'));
  writeFileSync(join(work, 'outside', 'secret.tsv'), 'outside\n');
  writeFileSync(join(logs, 'run', 'a.tsv'), '1\t2\n3\t4\n');
  writeFileSync(join(logs, 'run', 'projector_config.json'), '{"embeddings":[]}\n');
  writeFileSync(join(logs, 'run', 'v.npy'), Buffer.alloc(16));
  writeFileSync(join(logs, 'run', 'v.bytes'), Buffer.alloc(16));
  writeFileSync(join(logs, 'run', 's.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(logs, 'run', 'page.html'), '<script>alert(document.cookie)</script>');
  writeFileSync(join(logs, 'run', 'UPPER.HTML'), '<!doctype html><h1>hi</h1>');
  writeFileSync(join(logs, 'run', 'notes.txt'), '<html><body>sniff me</body></html>');
  writeFileSync(join(logs, 'run', 'noext'), '<html><body>sniff me</body></html>');
  writeFileSync(join(logs, 'run', 'pic.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  symlinkSync(join(work, 'secret.txt'), join(logs, 'run', 'escape.tsv'));
  symlinkSync(join(work, 'outside'), join(logs, 'run', 'outdir'));
  symlinkSync(join(logs, 'run', 'a.tsv'), join(logs, 'run', 'inside.tsv'));
  served = await startServer(logs, { distRoot: dist });
});

afterAll(async () => {
  await served?.close();
  rmSync(work, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request with the path sent as written (fetch() would resolve `..`) and any Host header. */
function get(path: string, options: { host?: string; method?: string } = {}): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port: served.port, path, method: options.method ?? 'GET', agent: false, headers: options.host ? { host: options.host } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end();
  });
}

/** Whether a completed response's body is as long as its Content-Length said. */
const lengthMatches = (r: Reply) => r.headers['content-length'] === undefined || Number(r.headers['content-length']) === r.body.length;

describe('projector serve hardening', () => {
  it('every response carries nosniff and the viewer CSP; /logs/ responses are also sandboxed', async () => {
    expect(APP_CSP).toBe(CSP);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['content-security-policy']).toBe(CSP);
    for (const path of ['/logs/run/a.tsv', '/logs/run/missing.tsv', '/logs/../x', '/nope', '/logs/%zz', '/%6cogs/run/a.tsv']) {
      const sandboxed = path.startsWith('/logs/') || path.startsWith('/%6cogs/');
      const r = await get(path);
      expect(r.headers['x-content-type-options'], path).toBe('nosniff');
      expect(r.headers['content-security-policy'], path).toContain("default-src 'self'");
      if (sandboxed) expect(r.headers['content-security-policy'], path).toMatch(/(^|; )sandbox($|;)/);
      expect(lengthMatches(r), path).toBe(true);
    }
    const denied = await get('/', { host: 'evil.example:80' });
    expect(denied.headers['x-content-type-options']).toBe('nosniff');
    expect(denied.headers['content-security-policy']).toBe(CSP);
  });

  it('logged files are served as data, never as a page of the viewer origin', async () => {
    const types: Record<string, string> = {
      'a.tsv': 'text/tab-separated-values; charset=utf-8',
      'projector_config.json': 'application/json; charset=utf-8',
      's.png': 'image/png',
      'v.npy': 'application/octet-stream',
      'v.bytes': 'application/octet-stream',
    };
    for (const [name, type] of Object.entries(types)) {
      const r = await get(`/logs/run/${name}`);
      expect(r.status, name).toBe(200);
      expect(r.headers['content-type'], name).toBe(type);
      expect(r.headers['content-disposition'], name).toBeUndefined();
    }
    for (const name of ['page.html', 'UPPER.HTML', 'pic.svg', 'notes.txt', 'noext']) {
      const r = await get(`/logs/run/${name}`);
      expect(r.status, name).toBe(200);
      expect(r.headers['content-type'], name).toBe('application/octet-stream');
      expect(r.headers['content-disposition'], name).toBe('attachment');
      expect(r.headers['content-security-policy'], name).toMatch(/; sandbox$/);
    }
    // The viewer's own files keep their types.
    expect((await get('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('refuses requests addressed to any other host or port (DNS rebinding)', async () => {
    const port = served.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`, `[::1]:${port}`]) {
      expect((await get('/logs/run/a.tsv', { host })).status, host).toBe(200);
    }
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `localhost.evil.example:${port}`, `127.0.0.2:${port}`, `0.0.0.0:${port}`]) {
      const r = await get('/logs/run/a.tsv', { host });
      expect(r.status, host).toBe(403);
      expect(r.body.toString()).not.toContain('1\t2');
    }
    // No Host header at all (HTTP/1.0).
    const raw = await new Promise<string>((ok, fail) => {
      const socket = connect(port, '127.0.0.1', () => socket.end('GET /logs/run/a.tsv HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('end', () => ok(text));
      socket.on('error', fail);
    });
    expect(raw).toMatch(/^HTTP\/1\.[01] 403 /);
    expect(loopbackHost(`127.0.0.1:80`, 80) && loopbackHost('127.0.0.1', 80) && !loopbackHost('127.0.0.1', 81)).toBe(true);
  });

  it('a symbolic link out of the folder is refused; one inside it is served', async () => {
    expect((await get('/logs/run/escape.tsv')).status).toBe(403);
    expect((await get('/logs/run/outdir/secret.tsv')).status).toBe(403);
    const inside = await get('/logs/run/inside.tsv');
    expect(inside.status).toBe(200);
    expect(inside.body.toString()).toBe('1\t2\n3\t4\n');
  });

  it('a file removed or cut short mid-read ends that response only; the server answers the next', async () => {
    const big = join(logs, 'run', 'big.bytes');
    const bytes = Buffer.alloc(BIG, 7);

    // Removed once the first bytes arrived: the open file is still read to the end.
    writeFileSync(big, bytes);
    const removed = await partialRead('/logs/run/big.bytes', () => rmSync(big));
    expect(removed.status).toBe(200);
    expect(removed.completed).toBe(true);
    expect(removed.received).toBe(BIG);
    expect((await get('/logs/run/big.bytes')).status).toBe(404);

    // Cut short in place: the promised length cannot be kept, so the connection is closed
    // rather than left waiting (and never completed short).
    writeFileSync(big, bytes);
    const cut = await partialRead('/logs/run/big.bytes', () => truncateSync(big, 1024));
    expect(cut.status).toBe(200);
    expect(cut.expected).toBe(BIG);
    expect(cut.completed).toBe(false);
    expect(cut.received).toBeLessThan(BIG);
    // At once, not when an idle keep-alive connection times out (5 s).
    expect(cut.ms).toBeLessThan(2000);

    const next = await get('/logs/run/a.tsv');
    expect(next.status).toBe(200);
    expect(next.body.toString()).toBe('1\t2\n3\t4\n');
    rmSync(big, { force: true });
  });

  it('Content-Length matches the bytes sent while a config is rewritten, renamed over or removed', async () => {
    const config = join(logs, 'run', 'template-g-configs.json');
    const flicker = join(logs, 'run', 'flicker.tsv');
    let stop = false;
    let k = 0;
    const writer = (async () => {
      while (!stop) {
        k++;
        const text = `{"embeddings":[${Array.from({ length: k % 50 }, (_, i) => `{"tensorName":"t${i}"}`).join(',')}]}\n`;
        // In place (truncate, then write) and atomically, in turn.
        if (k % 2) writeFileSync(config, text);
        else {
          writeFileSync(`${config}.tmp`, text);
          renameSync(`${config}.tmp`, config);
        }
        if (k % 3) writeFileSync(flicker, 'x\ty\n'.repeat(k % 20));
        else rmSync(flicker, { force: true });
        await new Promise((r) => setImmediate(r));
      }
    })();
    let replies: (Reply | Error)[];
    try {
      replies = await Promise.all(
        Array.from({ length: 400 }, (_, i) =>
          // A body shorter than its Content-Length shows as an aborted response.
          get(i % 2 ? '/logs/run/template-g-configs.json' : '/logs/run/flicker.tsv').catch((e: Error) => e),
        ),
      );
    } finally {
      stop = true;
      await writer;
    }
    replies.forEach((r, i) => {
      expect(r).not.toBeInstanceOf(Error);
      if (r instanceof Error) return;
      // The config is always there (rewritten in place or renamed over); the other comes and goes.
      if (i % 2) expect(r.status).toBe(200);
      else expect([200, 404]).toContain(r.status);
      expect(lengthMatches(r)).toBe(true);
    });
    // The files did change while they were being served.
    expect(k).toBeGreaterThan(20);
  });

  it('answers 1,000 concurrent requests, traversal attempts among them, with the right statuses and stays up', async () => {
    const cases: [string, number][] = [
      ['/logs/run/a.tsv', 200],
      ['/', 200],
      ['/index.html', 200],
      ['/logs/run/projector_config.json', 200],
      ['/logs/../../etc/passwd', 403],
      ['/logs/run/../../../etc/passwd', 403],
      ['/../etc/passwd', 403],
      ['/logs/%2e%2e%2f%2e%2e%2fetc%2fpasswd', 403],
      ['/logs/%2e%2e/%2e%2e/etc/passwd', 403],
      ['/logs/%2E%2E/package.json', 403],
      ['/logs/..%2f..%2fetc/passwd', 403],
      ['/logs/run%2fa.tsv', 403],
      ['/logs/..\\..\\etc\\passwd', 403],
      ['/logs/run\\a.tsv', 403],
      ['/logs/..%5c..%5cetc%5cpasswd', 403],
      ['/logs/run/a.tsv%00.png', 403],
      ['/logs/./run/a.tsv', 403],
      ['/logs/run/escape.tsv', 403],
      ['/logs/run/outdir/secret.tsv', 403],
      ['/logs/run/missing.tsv', 404],
      ['/logs/run/sub', 404],
      ['/logs/run/sub/', 404],
      ['/logs/', 404],
      ['//etc/passwd', 404],
      ['/logs//etc/passwd', 404],
      ['/logs/%zz', 400],
    ];
    const replies = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const [path, status] = cases[i % cases.length];
        const r = await get(path);
        return { path, status, got: r.status, ok: lengthMatches(r), body: r.body.toString() };
      }),
    );
    for (const r of replies) {
      expect(r.got, r.path).toBe(r.status);
      expect(r.ok, r.path).toBe(true);
      expect(r.body, r.path).not.toContain('root:');
      expect(r.body, r.path).not.toContain('outside');
    }
    expect(served.server.listening).toBe(true);
    expect((await get('/logs/run/a.tsv')).status).toBe(200);
    // Other methods are refused, the server still up.
    expect((await get('/logs/run/a.tsv', { method: 'POST' })).status).toBe(405);
    const head = await get('/logs/run/a.tsv', { method: 'HEAD' });
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, '8', 0]);
  });
});

/** Reads a response slowly: `during` runs after the first bytes arrive, while the rest is pending. */
function partialRead(path: string, during: () => void): Promise<{ status: number; expected: number; received: number; completed: boolean; ms: number }> {
  return new Promise((ok, fail) => {
    // Kept alive, as browsers do: a response cut short must close the connection, or the
    // client would wait for the missing bytes for ever.
    const agent = new Agent({ keepAlive: true });
    const req = request({ host: '127.0.0.1', port: served.port, path, agent }, (res) => {
      const expected = Number(res.headers['content-length']);
      let received = 0;
      let first = true;
      let settled = false;
      let changed = 0;
      const done = (completed: boolean) => {
        if (settled) return;
        settled = true;
        agent.destroy();
        ok({ status: res.statusCode ?? 0, expected, received, completed, ms: performance.now() - changed });
      };
      res.on('data', (c: Buffer) => {
        received += c.length;
        if (!first) return;
        first = false;
        // Stop reading so the server cannot run ahead, change the file, then read on.
        res.pause();
        during();
        changed = performance.now();
        setTimeout(() => res.resume(), 50);
      });
      res.on('end', () => done(received === expected));
      res.on('aborted', () => done(false));
      res.on('error', () => done(false));
      res.on('close', () => done(res.complete && received === expected));
    });
    req.on('error', fail);
    req.end();
  });
}
