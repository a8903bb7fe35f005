/** Human-readable numbers for the status line and progress bar. */
export const formatCount = (n: number) => n.toLocaleString('en-US');

export function formatBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KB`;
  return `${(b / (1024 * 1024)).toFixed(1)} MB`;
}
