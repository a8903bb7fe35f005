/**
 * Playback: steps through the group's titles in order (epochs), each gliding from the last,
 * with the next title's data read ahead while one is shown. Stopping leaves the title on screen
 * fully usable.
 */
import { setTitle } from './actions';
import { cancelAhead } from './layout-cache';
import { prefetchTitle } from './prefetch';
import { getState, setState } from './store';

export interface PlayOptions {
  /** How long each title stays once it is on screen. Default 1200 ms. */
  intervalMs?: number;
  /** Start again from the first title after the last, until stopped. */
  loop?: boolean;
}

let current: { stopped: boolean; wake: () => void } | null = null;

/** Resolves once the last title is on screen (never, with loop, until stop()). */
export async function play(opts: PlayOptions = {}): Promise<void> {
  stop();
  const intervalMs = Math.max(0, opts.intervalMs ?? 1200);
  const token = { stopped: false, wake: () => undefined };
  current = token;
  setState({ playing: true });
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      token.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  try {
    do {
      const s = getState();
      const titles = s.groups[s.group]?.embeddings.map((e) => e.title) ?? [];
      if (titles.length === 0) throw new Error('load a group of titles first');
      for (let t = 0; t < titles.length; t++) {
        if (token.stopped) return;
        await setTitle(titles[t]);
        if (token.stopped) return;
        const after = getState();
        if (after.status === 'error') throw new Error(after.error ?? `could not show ${titles[t]}`);
        // Read (and lay out) the next title while this one shows.
        prefetchTitle(t + 1 < titles.length ? t + 1 : opts.loop ? 0 : -1);
        if (t + 1 < titles.length || opts.loop) await pause();
      }
    } while (opts.loop && !token.stopped);
  } finally {
    if (current === token) {
      current = null;
      setState({ playing: false });
    }
  }
}

export function stop(): void {
  cancelAhead();
  if (!current) return;
  current.stopped = true;
  current.wake();
  current = null;
  setState({ playing: false });
}
