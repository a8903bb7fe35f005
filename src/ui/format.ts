/** Human-readable numbers for the status line and progress bar. */
export { formatBytes } from '../data/memory-limit';

export const formatCount = (n: number) => n.toLocaleString('en-US');
