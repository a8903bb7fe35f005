/**
 * `projector serve <dir>`: the built viewer at / and the log folder under /logs/ on 127.0.0.1,
 * with one URL that opens every config found in the folder as groups. Nothing outside the
 * folder (or dist/) is served, whatever the URL encodes.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError } from './usage-error';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** URL prefix under which the log folder is served; the viewer is at the root. */
const LOGS_PREFIX = 'logs';


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
  '.npy': 'application/octet-stream',
  '.bytes': 'application/octet-stream',
};

export async function runServe(args: string[]): Promise<void> {
  const { values: o, positionals } = parseArgs({ args, options: { port: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('expected one folder: projector serve <dir> [--port N]');
  const dir = positionals[0];
  const port = o.port === undefined ? 0 : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0..65535, got "${o.port}"`);
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`${dir}: not a folder`);

  const logRoot = await realpath(dir);
  const distRoot = join(PACKAGE_ROOT, 'dist');
  if (!existsSync(join(distRoot, 'index.html'))) buildViewer();

  const configs = await findConfigs(logRoot);
  const server = createServer((req, res) => {
    serveFile(req, res, logRoot, distRoot).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(new UsageError(e.code === 'EADDRINUSE' ? `port ${port} is in use; pick another with --port, or --port 0 for any free one` : e.message)),
    );
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`;
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

async function serveFile(req: IncomingMessage, res: ServerResponse, logRoot: string, distRoot: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
  const path = (req.url ?? '/').split(/[?#]/)[0];
  if (!path.startsWith('/')) return void res.writeHead(400).end();
  let segments: string[];
  try {
    segments = path.slice(1).split('/').map(decodeURIComponent);
  } catch {
    return void res.writeHead(400).end('bad URL encoding');
  }
  // Checked segment by segment after decoding, so %2e%2e and %2f cannot climb out either.
  if (segments.some((s) => s === '..' || s === '.' || /[/\\\0]/.test(s))) return void res.writeHead(403).end('forbidden');

  const inLogs = segments[0] === LOGS_PREFIX;
  const root = inLogs ? logRoot : distRoot;
  let file = join(root, ...(inLogs ? segments.slice(1) : segments));
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory() && !inLogs) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return void res.writeHead(404).end('not found');
  // A symbolic link inside the folder must not lead outside it.
  const real = await realpath(file);
  const realRoot = inLogs ? logRoot : await realpath(root);
  if (!real.startsWith(realRoot + sep)) return void res.writeHead(403).end('forbidden');

  res.writeHead(200, {
    'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': info.size,
    // Logs change while training runs; a reload must see the new titles.
    'cache-control': inLogs ? 'no-cache' : 'max-age=60',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(real).pipe(res);
}
