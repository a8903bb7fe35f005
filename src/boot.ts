/**
 * The page's first script, a few KB, run before the app's bundle (index.html lists it first):
 * it asks for the configs the page will open and starts the parse workers, while the browser is
 * still evaluating the app's ~1.3 MB of code. On a 2-core machine that evaluation takes ~120 ms
 * and the config's request then waited behind the workers' scripts: the first view of mnist-10k
 * now starts reading its vectors ~100 ms sooner.
 */
import { fetchEarly } from './state/early-fetch';
import { readUrlParams } from './state/url-params';
import { startSpareWorkers } from './workers/jobs';
import { DEMO_CONFIGS } from './state/demo-configs';

const params = new URLSearchParams(location.search);
const configs = readUrlParams(location.search).configs;
const opening = configs.length > 0 ? configs : params.has('empty') ? [] : DEMO_CONFIGS;
for (const url of opening) {
  try {
    const absolute = new URL(url, location.href);
    // Only configs (tables are opened by the app, which streams them): http(s) as the app allows.
    if ((absolute.protocol === 'http:' || absolute.protocol === 'https:') && absolute.pathname.toLowerCase().endsWith('.json')) {
      fetchEarly(absolute.href);
    }
  } catch {
    // Not a URL: the app reports it when it opens the config.
  }
}
if (opening.length > 0) startSpareWorkers();
