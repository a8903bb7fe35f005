/**
 * Decimal number parsing straight from UTF-8 bytes, so a vectors file never becomes one
 * string per cell. Results are bit-identical to `Number(text)`: the common case (at most 15
 * significant digits, |exponent| <= 22) is Clinger's fast path, where both the integer
 * mantissa and the power of ten are exact doubles, so one IEEE multiply or divide gives the
 * correctly rounded result; everything else goes through `Number()` on the token text.
 */

// Exact doubles: 10^22 is the largest power of ten that a double holds exactly.
const POW10 = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];

// 15 decimal digits always fit in 2^53, so the mantissa accumulates without rounding.
const MAX_SIG_DIGITS = 15;

/** The grammar `scanDecimal` accepts, for text that is already a string. */
const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Spellings of NaN and infinity that numeric tools write (numpy, pandas, R, C printf). */
const NON_FINITE_RE = /^[+-]?(?:nan|inf|infinity)$/i;

const DIGIT_0 = 48;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const LOWER_E = 101;
const UPPER_E = 69;

/** Where the last `scanNumberAt` stopped; a module-level slot so the hot loop allocates nothing. */
export const scanStop = { end: 0 };

/**
 * Reads the longest decimal number starting at bytes[start] (not past `end`) and returns its
 * value, with `scanStop.end` set to the first byte after it. Returns NaN when no complete
 * number starts there ("abc", "-", "1e"); overflow gives ±Infinity, as Number() does.
 */
export function scanNumberAt(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end) {
    const c = bytes[i];
    if (c === MINUS) {
      negative = true;
      i++;
    } else if (c === PLUS) {
      i++;
    }
  }

  let mantissa = 0;
  let sigDigits = 0;
  let exp10 = 0;
  let digits = 0;
  // Digits beyond the 15th only matter when non-zero; then the fast path is not exact.
  let exact = true;

  while (i < end) {
    const d = bytes[i] - DIGIT_0;
    if (d < 0 || d > 9) break;
    digits++;
    if (sigDigits < MAX_SIG_DIGITS) {
      if (mantissa !== 0 || d !== 0) {
        mantissa = mantissa * 10 + d;
        sigDigits++;
      }
    } else {
      exp10++;
      if (d !== 0) exact = false;
    }
    i++;
  }

  if (i < end && bytes[i] === DOT) {
    i++;
    while (i < end) {
      const d = bytes[i] - DIGIT_0;
      if (d < 0 || d > 9) break;
      digits++;
      if (sigDigits < MAX_SIG_DIGITS) {
        if (mantissa !== 0 || d !== 0) {
          mantissa = mantissa * 10 + d;
          sigDigits++;
        }
        exp10--;
      } else if (d !== 0) {
        exact = false;
      }
      i++;
    }
  }
  scanStop.end = i;
  if (digits === 0) return NaN;

  if (i < end && (bytes[i] === LOWER_E || bytes[i] === UPPER_E)) {
    i++;
    let expNegative = false;
    if (i < end) {
      if (bytes[i] === MINUS) {
        expNegative = true;
        i++;
      } else if (bytes[i] === PLUS) {
        i++;
      }
    }
    let expDigits = 0;
    let exp = 0;
    while (i < end) {
      const d = bytes[i] - DIGIT_0;
      if (d < 0 || d > 9) break;
      // Saturate: anything this large under- or overflows anyway, and Number() decides which.
      if (exp < 100000) exp = exp * 10 + d;
      expDigits++;
      i++;
    }
    scanStop.end = i;
    if (expDigits === 0) return NaN;
    exp10 += expNegative ? -exp : exp;
  }

  if (exact) {
    if (mantissa === 0) return negative ? -0 : 0;
    let value: number;
    if (exp10 === 0) value = mantissa;
    else if (exp10 > 0 && exp10 <= 22) value = mantissa * POW10[exp10];
    else if (exp10 < 0 && exp10 >= -22) value = mantissa / POW10[-exp10];
    else return Number(asciiText(bytes, start, i));
    return negative ? -value : value;
  }
  return Number(asciiText(bytes, start, i));
}

/**
 * The value of the decimal number that is exactly bytes[start, end), or NaN when those bytes
 * are not a plain decimal number (no hex, no words, no surrounding spaces).
 */
export function scanDecimal(bytes: Uint8Array, start: number, end: number): number {
  const v = scanNumberAt(bytes, start, end);
  return scanStop.end === end ? v : NaN;
}

/** True when bytes[start, end) spell NaN or an infinity (any case, optional sign). */
export function isNonFiniteWord(bytes: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (len < 3 || len > 9) return false;
  return NON_FINITE_RE.test(asciiText(bytes, start, end));
}

/** `scanDecimal` for a string: NaN unless the whole (untrimmed) text is a decimal number. */
export function parseDecimal(text: string): number {
  return DECIMAL_RE.test(text) ? Number(text) : NaN;
}

/** True when the text spells NaN or an infinity. */
export function isNonFiniteText(text: string): boolean {
  return NON_FINITE_RE.test(text);
}

// Only called on bytes already known to be ASCII-ish number text or short words.
function asciiText(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}
