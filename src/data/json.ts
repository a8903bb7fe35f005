import { DataError } from './errors';

/** JSON text (a BOM allowed) as a value, or a DataError naming the file. */
export function parseJsonFile(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new DataError(fileName, `not valid JSON: ${why}`);
  }
}
