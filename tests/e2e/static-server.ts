/** Serves the built app (dist/) and test fixtures (/fixtures/) on 127.0.0.1, as a user's server would. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { ISOLATION_HEADERS } from '../../src/node/isolation-headers';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.bytes': 'application/octet-stream',
};

/** `isolated: false` serves without COOP/COEP, as a host that does not send them would. */
export function startStaticServer(roots: Record<string, string>, { isolated = true } = {}): Promise<{ url: string; server: Server }> {
  const mounts = Object.entries(roots).sort((a, b) => b[0].length - a[0].length);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const mount = mounts.find(([prefix]) => path.startsWith(prefix));
    if (!mount) return void res.writeHead(404).end();
    const root = resolve(mount[1]);
    let file = normalize(join(root, path.slice(mount[0].length)));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, { ...(isolated ? ISOLATION_HEADERS : {}), 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    ok({ url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`, server });
  }));
}
