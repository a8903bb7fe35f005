import { describe, expect, it } from 'vitest';
import { ByteLru } from '../../src/state/byte-lru';

describe('caches bounded by bytes', () => {
  it('evicts the least recently used first, keeps the newest even when alone it is over budget', () => {
    const lru = new ByteLru<string, Float32Array>(100, (v) => v.byteLength);
    lru.set('a', new Float32Array(10)); // 40
    lru.set('b', new Float32Array(10)); // 80
    expect(lru.get('a')).toBeDefined(); // a is now the most recent
    lru.set('c', new Float32Array(10)); // 120 -> b leaves
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a') !== undefined, lru.get('c') !== undefined, lru.bytes]).toEqual([true, true, 80]);
    lru.set('huge', new Float32Array(100)); // 400: everything else leaves, it stays
    expect([lru.size, lru.bytes]).toEqual([1, 400]);
  });
});
