/**
 * The page's first script, run before the rest of the app's bundle (index.html lists it first, so
 * its module body is evaluated first): it asks for the configs the page will open and starts the
 * parse workers while the browser is still evaluating the app's ~1.3 MB of code (~120 ms on a
 * 2-core machine), instead of after it. With React's first render held back (main.tsx), the
 * config's response is handled as soon as that evaluation ends.
 */
import { fetchEarly } from './state/early-fetch';
import { readUrlParams } from './state/url-params';
import { startSpareWorkers } from './workers/jobs';
import { configsToOpen } from './state/demo-configs';

const opening = configsToOpen(readUrlParams(location.search).configs, location.search);
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
