/**
 * Metadata search: a query compiled once into a cell test, and a scan over a range of rows so
 * callers can cut a million-row search into short main-thread slices. Pure, no DOM.
 */

/**
 * A test for cells. Plain: case-insensitive substring (both sides lowercased with toLowerCase).
 * regex: JavaScript syntax, case-insensitive like TF's projector; a pattern that does not compile
 * throws the engine's SyntaxError unchanged (its message names the problem). An empty query
 * matches nothing: callers treat it as "clear".
 */
export function compileQuery(query: string, opts: { regex?: boolean }): (value: string) => boolean {
  if (query === '') return () => false;
  if (opts.regex) {
    // Never the g or y flag: test() would then resume from lastIndex and skip matches.
    const re = new RegExp(query, 'i');
    return (value) => re.test(value);
  }
  const q = query.toLowerCase();
  return (value) => value.toLowerCase().includes(q);
}

/**
 * Appends to out, ascending, every row in [from, to) where some column's cell is non-null and
 * passes test. Rows past a column's end count as empty there.
 */
export function searchRows(
  columns: ReadonlyArray<ReadonlyArray<string | null>>, test: (v: string) => boolean,
  from: number, to: number, out: number[],
): void {
  if (columns.length === 1) {
    // The usual case (one column searched): no inner loop.
    const col = columns[0];
    for (let i = from; i < to; i++) {
      const v = col[i];
      if (v !== null && v !== undefined && test(v)) out.push(i);
    }
    return;
  }
  for (let i = from; i < to; i++) {
    for (let c = 0; c < columns.length; c++) {
      const v = columns[c][i];
      if (v !== null && v !== undefined && test(v)) {
        out.push(i);
        break;
      }
    }
  }
}
