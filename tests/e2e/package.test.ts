/**
 * The package as a user gets it: `npm pack`, installed from the tarball without dev dependencies,
 * then (1) the `projector` command logs and serves a folder that Chromium opens, and (2) a fresh
 * Vite React app imports the component, builds with no configuration of its own, and shows points
 * with `onSelect` firing. The installs need the npm registry or npm's cache (`npm ci` fills it).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch } from './browser';
import { startStaticServer } from './static-server';
import { isolatedPoints } from './view-helpers';
import { urlFrom } from './serve-url';

const run = promisify(execFile);
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
/** Packing builds everything and each install resolves a dependency tree: minutes on a cold cache. */
const SETUP_MS = 300_000;

let work: string;
let tarball: string;
let browser: Browser | null = null;
let server: ChildProcess | null = null;
let staticServer: Server | null = null;

/** The exact versions installed here, so the consumer's install is served from npm's cache. */
const installed = (name: string): string => JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')).version;

const npm = (args: string[], cwd: string) => run('npm', [...args, ...NPM_FLAGS], { cwd, maxBuffer: 1 << 26, timeout: SETUP_MS });

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'projector-package-'));
  await npm(['pack', '--pack-destination', work], resolve('.'));
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);

  // The CLI alone: nothing but the package and its own dependencies.
  writeFiles(join(work, 'cli'), { 'package.json': JSON.stringify({ name: 'cli-user', private: true }) });
  // An app: the package beside React and Vite, at the versions this repository uses.
  writeFiles(join(work, 'app'), {
    'package.json': JSON.stringify({
      name: 'app-user',
      private: true,
      type: 'module',
      dependencies: {
        'embedding-projector': `file:${tarball}`,
        react: installed('react'),
        'react-dom': installed('react-dom'),
        vite: installed('vite'),
        '@vitejs/plugin-react': installed('@vitejs/plugin-react'),
      },
    }),
    'vite.config.js': "import react from '@vitejs/plugin-react';\nexport default { plugins: [react()], base: './' };\n",
    'index.html': '<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.jsx"></script></body></html>\n',
    'src/main.jsx': APP_SOURCE,
  });
  await Promise.all([
    npm(['install', '--omit=dev', tarball], join(work, 'cli')),
    npm(['install', '--omit=dev'], join(work, 'app')),
  ]);
  browser = await launch();
}, SETUP_MS * 2);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) server.kill('SIGKILL');
  await new Promise<void>((done) => (staticServer ? staticServer.close(() => done()) : done()));
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A page that reports uncaught errors and failed requests, which the checks below expect none of. */
async function open(url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1000, height: 700 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.url()}: HTTP ${r.status()}`);
  });
  await page.goto(url);
  return { page, problems };
}

describe('the packed package', () => {
  it('holds the built viewer, the bundled CLI and the library, without sources or demo data', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean);
    for (const f of ['package/dist/index.html', 'package/dist-node/projector.js', 'package/dist-node/index.js', 'package/dist-lib/index.js', 'package/dist-lib/style.css', 'package/dist-lib/types/lib/index.d.ts', 'package/dist-lib/types/node/log/index.d.ts']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('package/src/') || f.startsWith('package/dist/data/'))).toEqual([]);
    const installedDir = join(work, 'cli', 'node_modules');
    for (const tool of ['vite', 'tsx', 'typescript']) expect(readdirSync(installedDir)).not.toContain(tool);
  });

  it('`projector log` then `projector serve`: the page shows the logged points', async () => {
    const bin = join(work, 'cli', 'node_modules', '.bin', 'projector');
    const data = join(work, 'cli', 'iris');
    await run(bin, ['log', '--vectors', 'public/data/iris/tensors.tsv', '--labels', 'public/data/iris/metadata.tsv', '--title', 'iris', '--out', data]);
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', "import { logEmbedding } from 'embedding-projector/node'; const r = await logEmbedding('more', [[1, 2], [3, 4]], ['a', 'b']); console.log(r.configPath);"], { cwd: join(work, 'cli') });
    expect(stdout.trim()).toBe(join('more', 'projector_config.json'));
    // t-SNE's helper threads start from their own bundled entry.
    const reduced = await run(bin, ['reduce', '--vectors', 'public/data/iris/tensors.tsv', '--method', 'tsne', '--threads', '2', '--iterations', '250', '--out', join(work, 'cli', 'reduced')]);
    expect(reduced.stdout).toContain('(150 x 2, tsne, 2 threads)');

    server = spawn(bin, ['serve', data, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const { page, problems } = await open(await urlFrom(server));
    await page.waitForFunction(() => window.projector?.state().status === 'ready', null, { timeout: 90_000 });
    expect(await page.evaluate(() => window.projector.state())).toMatchObject({ numPoints: 150, dims: 4, title: 'iris' });
    expect(problems).toEqual([]);
    await page.close();
    server.kill('SIGTERM');
  });

  it('a Vite React app builds with the component and shows points; onSelect fires', async () => {
    const app = join(work, 'app');
    await run(join(app, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: app });
    const served = await startStaticServer({ '/': join(app, 'dist') });
    staticServer = served.server;
    const { page, problems } = await open(served.url);
    await page.waitForFunction(() => (window as unknown as AppWindow).states?.some((s) => s.status === 'ready'), null, { timeout: 90_000 });
    const view = await page.evaluate(() => window.projector.state());
    expect(view).toMatchObject({ numPoints: 120, dims: 6, projection: { method: 'pca', dim: 2 }, columns: ['cluster'] });
    expect(await page.evaluate(() => (window as unknown as AppWindow).mountIs)).toBe('function');

    // A click on a drawn point reaches onSelect through the view's own picking.
    const [target] = await isolatedPoints(page, 1, 6);
    expect(target).toBeDefined();
    await page.mouse.click(target.x, target.y);
    await page.waitForFunction(() => ((window as unknown as AppWindow).selections?.length ?? 0) > 0);
    expect(await page.evaluate(() => (window as unknown as AppWindow).selections!.at(-1))).toEqual([target.i]);
    // And selecting through the ref reports the same rows.
    await page.evaluate(() => window.projector.select([3, 5]));
    await page.waitForFunction(() => JSON.stringify((window as unknown as AppWindow).selections!.at(-1)) === '[3,5]');
    expect(problems).toEqual([]);
    await page.close();
  });
});

/** What the app below records; its ref is window.projector, so the shared view helpers apply. */
interface AppWindow {
  selections?: number[][];
  states?: { status: string }[];
  mountIs?: string;
}

/** The consumer's whole app: in-memory vectors of three clusters, the component, its callbacks. */
const APP_SOURCE = `import { useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { EmbeddingProjector, mount } from 'embedding-projector';
import 'embedding-projector/style.css';

window.selections = [];
window.states = [];
window.mountIs = typeof mount;

function clusters(n, d) {
  const vectors = new Float32Array(n * d);
  const labels = [];
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels.push('c' + c);
    for (let j = 0; j < d; j++) vectors[i * d + j] = (j === c ? 5 : 0) + random();
  }
  return { vectors, n, d, metadata: { columns: ['cluster'], rows: labels.map((l) => [l]) }, title: 'clusters' };
}

function Demo() {
  const data = useMemo(() => clusters(120, 6), []);
  return (
    <div style={{ height: '680px' }}>
      <EmbeddingProjector
        ref={(api) => { window.projector = api; }}
        data={data}
        projection="pca"
        dimensions={2}
        theme="dark"
        onSelect={(rows) => window.selections.push(rows)}
        onStateChange={(s) => window.states.push(s)}
      />
    </div>
  );
}

createRoot(document.getElementById('root')).render(<Demo />);
`;
