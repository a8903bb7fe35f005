/** Kept apart from the readers so the main thread can ask without loading them. */
const TABLE_NAME = /\.(parquet|pq|arrow|arrows|feather|ipc|csv)$/i;

/** Names the page opens as tables (a .tsv stays TF's vectors or metadata format). */
export function isTableName(name: string): boolean {
  return TABLE_NAME.test(name);
}
