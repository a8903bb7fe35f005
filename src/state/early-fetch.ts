/**
 * Config requests made by the page's boot script (src/boot.ts) before the app's bundle has
 * been evaluated, so that the first dataset's files are asked for ~100-200 ms sooner. Whoever opens
 * that config takes the response instead of fetching it again; nothing else reads this.
 */
const early = new Map<string, Promise<Response>>();

/** Requests `url` (absolute, same credentials rule as any config: cookies to the page's origin only). */
export function fetchEarly(url: string): void {
  if (early.has(url)) return;
  const response = fetch(url, { credentials: 'same-origin' });
  // Its failure is reported by whoever takes it; an untaken one must not surface as unhandled.
  response.catch(() => undefined);
  early.set(url, response);
}

/** The early request for `url`, once: later opens of the same config fetch it afresh. */
export function takeEarly(url: string): Promise<Response> | undefined {
  const response = early.get(url);
  early.delete(url);
  return response;
}
