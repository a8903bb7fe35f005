/**
 * For a group of titles (epochs): "Align titles", and playback through them with a speed and
 * loop; the title selector follows what plays.
 */
import { useState } from 'react';
import { setAlignment } from '../state/actions';
import { compare } from '../state/compare';
import { play, stop } from '../state/playback';
import { useProjector } from '../state/store';

const SPEEDS = [
  { ms: 500, label: 'fast' },
  { ms: 1200, label: 'normal' },
  { ms: 2500, label: 'slow' },
];
const quiet = (p: Promise<unknown>) => p.catch(() => undefined); // failures show in the error banner

export function PlaybackControls() {
  const titles = useProjector((s) => s.groups[s.group]?.embeddings.length ?? 0);
  const playing = useProjector((s) => s.playing);
  const alignment = useProjector((s) => s.alignment);
  const embeddings = useProjector((s) => s.groups[s.group]?.embeddings);
  const names = embeddings?.map((e) => e.title) ?? [];
  const compareTitle = useProjector((s) => s.compare?.title ?? null);
  const [intervalMs, setIntervalMs] = useState(1200);
  const [loop, setLoop] = useState(false);
  if (titles < 2) return null;
  return (
    <div className="playback" data-testid="playback">
      <button
        type="button"
        data-testid="play"
        aria-pressed={playing}
        title={playing ? 'Stop' : 'Play through the titles in order'}
        onClick={() => (playing ? stop() : quiet(play({ intervalMs, loop })))}
      >
        {playing ? '■ Stop' : '▶ Play'}
      </button>
      <select data-testid="play-speed" aria-label="Playback speed" value={intervalMs} onChange={(e) => setIntervalMs(Number(e.target.value))}>
        {SPEEDS.map((s) => (
          <option key={s.ms} value={s.ms}>{s.label}</option>
        ))}
      </select>
      <label className="inline">
        <input type="checkbox" data-testid="play-loop" checked={loop} onChange={(e) => setLoop(e.target.checked)} /> loop
      </label>
      <label className="inline" title="Show another title beside this one, with a linked camera, hover and selection">
        Side by side
        <select data-testid="compare-select" value={compareTitle ?? ''} onChange={(e) => quiet(compare(e.target.value || null))}>
          <option value="">none</option>
          {names.map((t) => (
            <option key={t} value={t}>{t}</option>
          ))}
        </select>
      </label>
      <label className="inline" title="Lay each title out from the previous one and fit it onto it, so points move only as much as the data did">
        <input type="checkbox" data-testid="align-titles" checked={alignment} onChange={(e) => quiet(setAlignment(e.target.checked))} /> Align titles
      </label>
    </div>
  );
}
