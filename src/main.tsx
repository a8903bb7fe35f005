import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { firstFilesRequested, loadConfigs } from './state/actions';
import { createProjectorApi, type ProjectorApi } from './state/automation';
import { readUrlParams } from './state/url-params';
import { setState } from './state/store';
import { setKeepLayoutWorkerMs, setLayoutThreads, setParseBudgetMB } from './workers/jobs';
import { configsToOpen } from './state/demo-configs';
import { setWorkerStallMs } from './workers/worker-client';
import { applyViewState, decodeView, followInUrl } from './state/view-state';
import { App } from './ui/App';
import { initialTheme } from './ui/ThemeToggle';
import './ui/styles.css';
import './ui/page.css';

declare global {
  interface Window {
    projector: ProjectorApi;
  }
}

setState({ theme: initialTheme() });
// For tests and slow machines: how long a silent worker is given before it is declared stuck.
setWorkerStallMs(Number(new URLSearchParams(location.search).get('workerStallMs')));
setParseBudgetMB(Number(new URLSearchParams(location.search).get('maxMemoryMB')));
setLayoutThreads(Number(new URLSearchParams(location.search).get('workers')));
const keepWorkerMs = new URLSearchParams(location.search).get('keepWorkerMs');
if (keepWorkerMs !== null) setKeepLayoutWorkerMs(Number(keepWorkerMs));
const req = readUrlParams(location.search);
window.projector = createProjectorApi();
const view = new URLSearchParams(location.search).get('view');
let opening: Promise<unknown> | null = null;
if (view && req.configs.length > 0) {
  // A shared link: the whole view, not just the data.
  opening = Promise.resolve()
    .then(() => applyViewState(decodeView(view, req.configs)))
    .catch((e: unknown) => setState({ status: 'error', error: e instanceof Error ? e.message : String(e) }));
} else {
  // The same configs the boot script asked for early (src/boot.ts).
  const configs = configsToOpen(req.configs, location.search);
  const options = req.configs.length > 0 ? { title: req.title, method: req.method, dim: req.dim, vector: req.vector } : {};
  if (configs.length > 0) opening = loadConfigs(configs, options);
}

// React's first render (and the WebGL context it creates: ~100-300 ms of main thread in software
// rendering) waits until the first dataset's files are being read, so that the config's response
// is handled and the workers get their jobs first: at most FIRST_RENDER_WAIT_MS, and not at all
// when nothing is being opened or the opening fails first.
const FIRST_RENDER_WAIT_MS = 400;
const root = createRoot(document.getElementById('root')!);
const render = () =>
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
if (!opening) render();
else void Promise.race([firstFilesRequested(), opening, new Promise((done) => setTimeout(done, FIRST_RENDER_WAIT_MS))]).then(render, render);

followInUrl();
