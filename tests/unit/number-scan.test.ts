import { describe, expect, it } from 'vitest';
import { isNonFiniteText, isNonFiniteWord, parseDecimal, scanDecimal, scanNumberAt, scanStop } from '../../src/data/number-scan';
import { createRandom } from '../../src/reduce/random';

const enc = new TextEncoder();
const scan = (text: string): number => {
  const b = enc.encode(text);
  return scanDecimal(b, 0, b.length);
};

describe('scanDecimal', () => {
  it('equals Number(text) bit for bit on hand-picked cases', () => {
    const cases = [
      '0', '-0', '+0', '0.0', '00012', '1', '-1', '3.14159', '.5', '5.', '-.25', '1e5', '1E5', '1e+5', '1e-5',
      '2.5e-3', '-7.25E+2', '0.000001', '123456789012345', '1234567890123456', '12345678901234567890',
      '0.1234567890123456789', '1.0000000000000000000001', '9007199254740993', '1e22', '1e23', '1e-22', '1e-23',
      '4.9e-324', '2e-324', '1.7976931348623157e308', '1e400', '-1e400', '1e-400', '0.30000000000000004',
      '123456789012345e-30', '1000000000000000000000000', '0.0000000000000000000000001', '3.4028235e38',
      '0.039194', '-0.24487', '0.8863', '16', '10000000000000000000000e-22',
    ];
    for (const text of cases) expect(Object.is(scan(text), Number(text)), text).toBe(true);
  });

  it('matches Number(text), and so Math.fround(Number(text)) as float32, on 100k random decimals', () => {
    const rand = createRandom(7).next;
    const out = new Float32Array(1);
    const mismatches: string[] = [];
    for (let k = 0; k < 100_000; k++) {
      const intDigits = Math.floor(rand() * 12);
      const fracDigits = Math.floor(rand() * 20);
      let text = rand() < 0.3 ? '-' : '';
      for (let i = 0; i < intDigits; i++) text += Math.floor(rand() * 10);
      if (fracDigits > 0 || intDigits === 0) text += '.';
      for (let i = 0; i < Math.max(fracDigits, intDigits === 0 ? 1 : 0); i++) text += Math.floor(rand() * 10);
      if (rand() < 0.2) text += `e${Math.floor(rand() * 80) - 40}`;
      const v = scan(text);
      out[0] = v;
      if (!Object.is(v, Number(text)) || !Object.is(out[0], Math.fround(Number(text)))) mismatches.push(text);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it('rejects anything that is not a plain decimal', () => {
    for (const text of ['', ' ', '-', '+', '.', 'e5', '1e', '1e+', '1.2.3', '0x10', '1_000', ' 1', '1 ', 'abc', '1,5', 'NaN', 'Infinity', '--1', '١']) {
      expect(scan(text), JSON.stringify(text)).toBeNaN();
    }
  });

  it('scanNumberAt stops at the first byte after the number', () => {
    const b = enc.encode('12.5\tx');
    expect(scanNumberAt(b, 0, b.length)).toBe(12.5);
    expect(scanStop.end).toBe(4);
  });
});

describe('non-finite spellings', () => {
  it('recognises what numpy, pandas, R and C write', () => {
    for (const w of ['nan', 'NaN', 'NAN', '-nan', 'inf', '-inf', '+inf', 'Infinity', '-Infinity', 'INF']) {
      const b = enc.encode(w);
      expect(isNonFiniteWord(b, 0, b.length), w).toBe(true);
      expect(isNonFiniteText(w), w).toBe(true);
    }
    for (const w of ['nano', 'info', 'naan', 'in', 'the', '']) {
      const b = enc.encode(w);
      expect(isNonFiniteWord(b, 0, b.length), w).toBe(false);
    }
  });
});

describe('parseDecimal', () => {
  it('uses the same grammar for strings', () => {
    expect(parseDecimal('3.5')).toBe(3.5);
    expect(parseDecimal('-1e3')).toBe(-1000);
    expect(parseDecimal('.')).toBeNaN();
    expect(parseDecimal('0x1F')).toBeNaN();
    expect(parseDecimal('')).toBeNaN();
    expect(parseDecimal('true')).toBeNaN();
  });
});
