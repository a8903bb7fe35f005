/** Shared by every bench section: one row per figure, with its baseline from the same run. */
import os from 'node:os';

export interface Row {
  section: string;
  case: string;
  oursMs: number;
  baselineMs: number;
  /** baseline / ours: how many times faster we are. */
  speedup: number;
  runs: { ours: number; baseline: number };
  notes: string;
  extra?: Record<string, unknown>;
}

export interface Timing<T> {
  medianMs: number;
  timesMs: number[];
  result: T;
}

/** Runs fn `runs` times and reports the median wall time (and the last result). */
export function measure<T>(runs: number, fn: () => T): Timing<T> {
  const timesMs: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    timesMs.push(performance.now() - t0);
  }
  const sorted = [...timesMs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)], timesMs, result: result as T };
}

/** Where and how a results file was measured. */
export function runInfo(quick: boolean) {
  return { date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, quick };
}
