/**
 * Which URLs a link or a config may make the page fetch: http(s) only (relative ones resolve to
 * the page's), never `javascript:`, `file:`, `data:` or `blob:`, so a shared link cannot make the
 * page run or read anything but web data.
 */
export function allowedUrl(href: string): boolean {
  try {
    const { protocol } = new URL(href);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The hosts (other than the page's own) that data comes from, for the status line. */
export function foreignHosts(urls: string[], pageUrl: string): string[] {
  const own = new URL(pageUrl).host;
  const hosts = new Set<string>();
  for (const u of urls) {
    try {
      const host = new URL(u, pageUrl).host;
      if (host !== own) hosts.add(host);
    } catch {
      // not a URL: nothing to name
    }
  }
  return [...hosts];
}
