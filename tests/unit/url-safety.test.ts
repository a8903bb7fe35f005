import { describe, expect, it } from 'vitest';
import { allowedUrl, foreignHosts } from '../../src/data/url-safety';

describe('URLs a link or a config may open', () => {
  it('http(s) only', () => {
    expect(allowedUrl('https://example.org/a/projector_config.json')).toBe(true);
    expect(allowedUrl('http://127.0.0.1:4173/data/x.tsv')).toBe(true);
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'file:///etc/passwd', 'data:text/html,<b>x</b>', 'blob:http://x/1', 'not a url']) {
      expect(allowedUrl(bad)).toBe(false);
    }
  });

  it('names the hosts other than the page\'s', () => {
    expect(foreignHosts(['data/a.json', 'https://storage.example.com/b.json', 'http://127.0.0.1:4173/c.json'], 'http://127.0.0.1:4173/')).toEqual(['storage.example.com']);
  });
});
