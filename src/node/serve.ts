/**
 * `projector serve <dir>`: the built viewer at / and the log folder under /logs/ on 127.0.0.1,
 * with one URL that opens every config found in the folder as groups. Nothing outside the
 * folder (or dist/) is served, whatever the URL encodes; only requests addressed to the loopback
 * address and port it listens on are answered (DNS rebinding); a file under /logs/ never renders
 * as a page of the viewer's origin; and a file that changes, disappears or cannot be read while
 * it is served ends that one response, never the server.
 */
import { ISOLATION_HEADERS } from './isolation-headers';
import { spawnSync } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError } from './usage-error';

/**
 * The folder holding package.json: two levels up from src/node/serve.ts when run from the sources,
 * one from dist-node/projector.js in the installed package (the bundle has no src/node).
 */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '../..');
  }
}
const PACKAGE_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));
/** URL prefix under which the log folder is served; the viewer is at the root. */
const LOGS_PREFIX = 'logs';

/**
 * The viewer's policy: its scripts and workers are files of its own origin (vite emits no inline
 * script; 'wasm-unsafe-eval' is for the neighbour searches' WebAssembly SIMD kernels, not
 * eval), React sets inline style attributes, and data may be fetched from any http(s) URL a
 * config names.
 */
export const APP_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; img-src 'self' blob: data:; " +
  "style-src 'self' 'unsafe-inline'; connect-src 'self' http: https: blob: data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
/** Under /logs/ also sandboxed: a logged file opened directly is an opaque origin without scripts. */
export const LOGS_CSP = `${APP_CSP}; sandbox`;

/** Files up to this size are read whole before the headers go out; larger ones stream from the same descriptor. */
const WHOLE_READ_LIMIT = 1 << 20;

const OCTET = 'application/octet-stream';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.npy': OCTET,
  '.bytes': OCTET,
};

/** Under /logs/ only data types; anything else is a download (never HTML, SVG or script). */
const LOG_TYPES: Record<string, string> = {
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.npy': OCTET,
  '.bytes': OCTET,
};

export interface ServeOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The built viewer; defaults to the package's dist/, built once when missing. */
  distRoot?: string;
}

export interface RunningServer {
  server: Server;
  port: number;
  /** http://127.0.0.1:<port>/ */
  base: string;
  /** Configs found under the folder at start, /-separated, relative to it. */
  configs: string[];
  close(): Promise<void>;
}

/** Starts serving `dir` (under /logs/) and the viewer (at /) on 127.0.0.1. */
export async function startServer(dir: string, options: ServeOptions = {}): Promise<RunningServer> {
  const port = options.port ?? 0;
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`${dir}: not a folder`);
  const logRoot = await realpath(dir);
  let distRoot = options.distRoot ?? join(PACKAGE_ROOT, 'dist');
  if (options.distRoot === undefined && !existsSync(join(distRoot, 'index.html'))) buildViewer();
  distRoot = await realpath(distRoot).catch(() => distRoot);

  const configs = await findConfigs(logRoot);
  const roots: Roots = { logRoot, distRoot, port };
  const server = createServer((req, res) => {
    // Whatever goes wrong with one request ends that response, never the server.
    handle(req, res, roots).catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });
  // A client that sends garbage or hangs up is its own problem.
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(new UsageError(e.code === 'EADDRINUSE' ? `port ${port} is in use; pick another with --port, or --port 0 for any free one` : e.message)),
    );
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  roots.port = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    port: roots.port,
    base: `http://127.0.0.1:${roots.port}/`,
    configs,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

export async function runServe(args: string[]): Promise<void> {
  const { values: o, positionals } = parseArgs({ args, options: { port: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('expected one folder: projector serve <dir> [--port N]');
  const dir = positionals[0];
  const port = o.port === undefined ? 0 : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0..65535, got "${o.port}"`);

  const { server, base, configs } = await startServer(dir, { port });
  const query = configs.map((c) => `config=${[LOGS_PREFIX, ...c.split('/')].map(encodeURIComponent).join('/')}`).join('&');
  // The URL alone on the first line, so scripts can read it.
  console.log(configs.length > 0 ? `${base}?${query}` : base);
  if (configs.length === 0) console.log(`no projector_config.json or template-*-configs.json under ${dir} yet; the viewer opens empty`);
  else console.log(`serving ${configs.length} config${configs.length === 1 ? '' : 's'} from ${dir}: ${configs.join(', ')}`);
  console.log('Ctrl+C stops the server');

  await new Promise<void>((done) => {
    const stop = () => server.close(() => done());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Keep-alive connections would hold close() open.
    process.once('SIGINT', () => server.closeAllConnections());
    process.once('SIGTERM', () => server.closeAllConnections());
  });
}

/** The viewer is built by vite into dist/; a checkout without it builds once. */
function buildViewer(): void {
  console.error(`projector serve: ${join(PACKAGE_ROOT, 'dist', 'index.html')} is missing; building the viewer once (vite build)...`);
  let viteBin: string;
  try {
    viteBin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    throw new UsageError('the viewer is not built and vite is not installed; run "npm install" then "npm run build" in the projector package');
  }
  // stdout stays for the URL: vite's output goes to stderr.
  const r = spawnSync(process.execPath, [viteBin, 'build'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new UsageError(`vite build failed (exit ${r.status ?? r.signal}); run "npm run build" in ${PACKAGE_ROOT} to see why`);
}

/** Config files under root, as /-separated paths relative to it, sorted; dot folders and node_modules skipped. */
async function findConfigs(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') await walk(join(folder, e.name));
      } else if (e.isFile() && (e.name === 'projector_config.json' || /^template-.+-configs\.json$/i.test(e.name))) {
        found.push(relative(root, join(folder, e.name)).split(sep).join('/'));
      }
    }
  };
  await walk(root);
  return found.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

interface Roots {
  /** Both real paths (no symbolic links). */
  logRoot: string;
  distRoot: string;
  /** The port listened on, which the Host header must name. */
  port: number;
}

/**
 * A page on another site whose name an attacker points at 127.0.0.1 (DNS rebinding) would send
 * its own name as Host: only the loopback names with this port are answered.
 */
export function loopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return ['127.0.0.1', 'localhost', '[::1]'].some((name) => h === `${name}:${port}` || (port === 80 && h === name));
}

/** A short text answer, with the length of what is sent. */
function send(res: ServerResponse, status: number, body: string, headers: OutgoingHttpHeaders = {}): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': bytes.length, 'cache-control': 'no-store', ...headers });
  res.end(res.req?.method === 'HEAD' ? undefined : bytes);
}

async function handle(req: IncomingMessage, res: ServerResponse, roots: Roots): Promise<void> {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-security-policy', APP_CSP);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
  if (!loopbackHost(req.headers.host, roots.port)) return send(res, 403, 'forbidden: this server answers only http://127.0.0.1:' + roots.port + '/');
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
  const path = (req.url ?? '/').split(/[?#]/)[0];
  if (path === `/${LOGS_PREFIX}` || path.startsWith(`/${LOGS_PREFIX}/`)) res.setHeader('content-security-policy', LOGS_CSP);
  if (!path.startsWith('/')) return send(res, 400, 'bad URL');
  let segments: string[];
  try {
    segments = path.slice(1).split('/').map(decodeURIComponent);
  } catch {
    return send(res, 400, 'bad URL encoding');
  }
  const inLogs = segments[0] === LOGS_PREFIX;
  if (inLogs) res.setHeader('content-security-policy', LOGS_CSP);
  // Checked segment by segment after decoding, so %2e%2e and %2f cannot climb out either.
  if (segments.some((s) => s === '..' || s === '.' || /[/\\\0]/.test(s))) return send(res, 403, 'forbidden');

  const root = inLogs ? roots.logRoot : roots.distRoot;
  const found = await openInside(root, inLogs ? segments.slice(1) : segments, !inLogs);
  if (typeof found === 'number') return send(res, found, found === 404 ? 'not found' : found === 403 ? 'forbidden' : 'cannot read the file');
  const { handle: fh, size, file } = found;

  const ext = extname(file).toLowerCase();
  const type = inLogs ? LOG_TYPES[ext] : (TYPES[ext] ?? OCTET);
  const headers: OutgoingHttpHeaders = {
    'content-type': type ?? OCTET,
    // Logs change while training runs; a reload must see the new titles.
    'cache-control': inLogs ? 'no-cache' : 'max-age=60',
  };
  if (inLogs && type === undefined) headers['content-disposition'] = 'attachment';

  if (req.method === 'HEAD') {
    await fh.close();
    res.writeHead(200, { ...headers, 'content-length': size });
    return void res.end();
  }
  if (size <= WHOLE_READ_LIMIT) {
    // Small files (configs, labels) are read whole first: the length sent is the length read,
    // even while the file is being rewritten.
    let bytes: Buffer;
    try {
      bytes = await readUpTo(fh, size);
    } catch {
      return send(res, 500, 'cannot read the file');
    } finally {
      await fh.close().catch(() => undefined);
    }
    res.writeHead(200, { ...headers, 'content-length': bytes.length });
    return void res.end(bytes);
  }
  streamFile(fh, size, res, headers);
}

/**
 * The file at root + segments, opened, when its real path (symbolic links followed) is inside
 * root; else the status to answer. The size is the open descriptor's, so the length promised is
 * that of the file being read, not of one renamed over it since.
 */
async function openInside(
  root: string,
  segments: string[],
  directoryIndex: boolean,
): Promise<{ handle: FileHandle; size: number; file: string } | number> {
  let target = join(root, ...segments);
  for (let attempt = 0; attempt < 2; attempt++) {
    let real: string;
    try {
      real = await realpath(target);
    } catch (e) {
      return errorStatus(e);
    }
    // A symbolic link inside the folder must not lead outside it.
    if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) return 403;
    const info = await stat(real).catch((e: unknown) => errorStatus(e));
    if (typeof info === 'number') return info;
    if (info.isDirectory()) {
      if (!directoryIndex || attempt > 0) return 404;
      target = join(real, 'index.html');
      continue;
    }
    if (!info.isFile()) return 404;
    let fh: FileHandle;
    try {
      // No link may have been put in its place since realpath looked.
      fh = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (e) {
      return errorStatus(e);
    }
    try {
      const opened = await fh.stat();
      if (opened.isFile()) return { handle: fh, size: opened.size, file: real };
    } catch {
      // Falls through to close it.
    }
    await fh.close().catch(() => undefined);
    return 404;
  }
  return 404;
}

function errorStatus(e: unknown): number {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EISDIR' || code === 'ENAMETOOLONG') return 404;
  if (code === 'EACCES' || code === 'EPERM') return 403;
  return 500;
}

/** Up to size bytes from the start; fewer when the file was cut short meanwhile. */
async function readUpTo(fh: FileHandle, size: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  while (at < size) {
    const { bytesRead } = await fh.read(bytes, at, size - at, at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return bytes.subarray(0, at);
}

/**
 * Exactly `size` bytes from the open descriptor. A file cut short while it streams cannot change
 * the length already sent: the connection is closed instead, so the client sees an error rather
 * than waiting for bytes that never come.
 */
function streamFile(fh: FileHandle, size: number, res: ServerResponse, headers: OutgoingHttpHeaders): void {
  res.writeHead(200, { ...headers, 'content-length': size });
  const stream = fh.createReadStream({ start: 0, end: size - 1, autoClose: true });
  let sent = 0;
  stream.on('data', (chunk: Buffer | string) => {
    sent += chunk.length;
  });
  stream.on('error', () => res.destroy());
  stream.on('end', () => {
    if (sent === size) res.end();
    else res.destroy();
  });
  res.on('close', () => stream.destroy());
  stream.pipe(res, { end: false });
}
