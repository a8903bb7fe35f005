/**
 * The browser section's static servers in a process of their own: `node --import tsx
 * bench/static-server-child.ts '<mounts JSON>'` prints {"isolated": url, "plain": url} and serves
 * until killed. In the bench's own process the server shared a heap of several hundred MB (the
 * umap-js baseline's nested arrays, the earlier sections' data), and its garbage collections held
 * up the 23 MB of mnist-10k's vectors while a page was loading them; a real server (`npm start`,
 * `projector serve`) runs alone.
 */
import { startStaticServer } from '../tests/e2e/static-server';

const mounts = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const isolated = await startStaticServer(mounts);
const plain = await startStaticServer(mounts, { isolated: false });
console.log(JSON.stringify({ isolated: isolated.url, plain: plain.url }));
