import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadConfigs } from './state/actions';
import { createProjectorApi, type ProjectorApi } from './state/automation';
import { readUrlParams } from './state/url-params';
import { setState } from './state/store';
import { setLayoutThreads, setParseBudgetMB, startSpareWorkers } from './workers/jobs';
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

/** Shown when the page opens without ?config=: a sprite dataset, a Comet group of epochs, and words. */
const DEMO_CONFIGS = [
  'data/mnist-2k/projector_config.json',
  'data/digits-mlp-epochs/template-hidden-layer-1-configs.json',
  'data/digits-mlp-epochs/template-hidden-layer-2-configs.json',
  'data/glove-100d-10k/projector_config.json',
];

setState({ theme: initialTheme() });
// For tests and slow machines: how long a silent worker is given before it is declared stuck.
setWorkerStallMs(Number(new URLSearchParams(location.search).get('workerStallMs')));
setParseBudgetMB(Number(new URLSearchParams(location.search).get('maxMemoryMB')));
setLayoutThreads(Number(new URLSearchParams(location.search).get('workers')));
const req = readUrlParams(location.search);
if (req.configs.length > 0 || !new URLSearchParams(location.search).has('empty')) startSpareWorkers();
window.projector = createProjectorApi();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

const view = new URLSearchParams(location.search).get('view');
if (view && req.configs.length > 0) {
  // A shared link: the whole view, not just the data.
  Promise.resolve()
    .then(() => applyViewState(decodeView(view, req.configs)))
    .catch((e: unknown) => setState({ status: 'error', error: e instanceof Error ? e.message : String(e) }));
} else if (req.configs.length > 0) void loadConfigs(req.configs, { title: req.title, method: req.method, dim: req.dim, vector: req.vector });
else if (!new URLSearchParams(location.search).has('empty')) void loadConfigs(DEMO_CONFIGS);

followInUrl();
