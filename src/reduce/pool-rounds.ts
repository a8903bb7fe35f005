/**
 * The rounds both layout pools run over a shared Int32 control block [generation, helpers done,
 * stop, …]: the coordinator starts a round, helpers block until one starts, do their share and
 * say so; the coordinator waits for all of them. Pure and worker-safe (Atomics only).
 */
export const GENERATION = 0;
export const DONE = 1;
export const STOP = 2;
/** A barrier within a round (./umap/pool): [arrived, generation]. */
export const BARRIER = 3;
/** Int32 slots of a control block with a barrier. */
export const CONTROL_WITH_BARRIER = 5;
/** A helper that has not answered within this long is taken for dead (the job then fails, named). */
const HELPER_TIMEOUT_MS = 60_000;

/** Coordinator: starts a round (after writing its inputs). */
export function startRound(ctl: Int32Array): void {
  Atomics.store(ctl, DONE, 0);
  Atomics.add(ctl, GENERATION, 1);
  Atomics.notify(ctl, GENERATION);
}

/** Coordinator: waits until `helpers` helpers have finished the round. */
export function awaitHelpers(ctl: Int32Array, helpers: number, what: string): void {
  for (;;) {
    const done = Atomics.load(ctl, DONE);
    if (done >= helpers) return;
    if (Atomics.wait(ctl, DONE, done, HELPER_TIMEOUT_MS) === 'timed-out') {
      throw new Error(`${what}: a helper thread stopped answering (${done} of ${helpers} done)`);
    }
  }
}

/** Coordinator: ends every helper's loop. */
export function stopHelpers(ctl: Int32Array): void {
  Atomics.store(ctl, STOP, 1);
  Atomics.add(ctl, GENERATION, 1);
  Atomics.notify(ctl, GENERATION);
}

/** Helper: runs `round` once per round the coordinator starts, until it stops the pool. */
export function serveRounds(ctl: Int32Array, round: () => void): void {
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, GENERATION, seen);
    seen = Atomics.load(ctl, GENERATION);
    if (Atomics.load(ctl, STOP)) return;
    round();
    Atomics.add(ctl, DONE, 1);
    Atomics.notify(ctl, DONE);
  }
}

/**
 * Every thread of a round, the coordinator included, waits here until all `parties` have arrived
 * (a generation barrier on ctl[BARRIER], ctl[BARRIER + 1]).
 */
export function barrier(ctl: Int32Array, parties: number, what: string): void {
  const generation = Atomics.load(ctl, BARRIER + 1);
  if (Atomics.add(ctl, BARRIER, 1) === parties - 1) {
    Atomics.store(ctl, BARRIER, 0);
    Atomics.add(ctl, BARRIER + 1, 1);
    Atomics.notify(ctl, BARRIER + 1);
    return;
  }
  while (Atomics.load(ctl, BARRIER + 1) === generation) {
    if (Atomics.wait(ctl, BARRIER + 1, generation, HELPER_TIMEOUT_MS) === 'timed-out') {
      throw new Error(`${what}: a thread stopped answering within an epoch`);
    }
  }
}
