/** Streams a Source's bytes, reporting progress; tries each candidate URL in turn as TF does. */
import type { Source } from './messages';

export type ByteSink = (chunk: Uint8Array) => void;
export type ProgressSink = (loaded: number, total: number | null) => void;

async function openUrl(source: Extract<Source, { kind: 'url' }>): Promise<Response> {
  const failures: string[] = [];
  for (const url of source.urls) {
    let res: Response;
    try {
      res = await fetch(url, { credentials: 'same-origin' });
    } catch (e) {
      failures.push(`${url} (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    if (res.ok) return res;
    failures.push(`${url} (HTTP ${res.status})`);
  }
  throw new Error(`${source.name}: could not be downloaded: ${failures.join('; ')}`);
}

export async function streamSource(source: Source, sink: ByteSink, progress: ProgressSink): Promise<void> {
  let stream: ReadableStream<Uint8Array>;
  let total: number | null;
  if (source.kind === 'file') {
    stream = source.file.stream();
    total = source.file.size;
  } else {
    const res = await openUrl(source);
    const len = Number(res.headers.get('content-length'));
    // A compressed response's content-length counts encoded bytes, so it can't be a total.
    total = len > 0 && !res.headers.get('content-encoding') ? len : null;
    if (!res.body) throw new Error(`${source.name}: empty response`);
    stream = res.body;
  }
  const reader = stream.getReader();
  let loaded = 0;
  let lastReport = 0;
  progress(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    sink(value);
    loaded += value.byteLength;
    if (loaded - lastReport > 1 << 20) {
      lastReport = loaded;
      progress(loaded, total);
    }
  }
  progress(loaded, total ?? loaded);
}

export async function readSourceBytes(source: Source, progress: ProgressSink): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  await streamSource(source, (c) => { parts.push(c); size += c.byteLength; }, progress);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.byteLength; }
  return out;
}
