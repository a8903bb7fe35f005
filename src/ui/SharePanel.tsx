/**
 * Keeping and sharing what you found: a link to this view (the address bar follows it too), or,
 * for local files that no link can carry, a session file to open again once the same files are
 * open; and exports of coordinates, the selection and the picture.
 */
import { useState } from 'react';
import { exportCoordinates, exportName, exportSelection, exportViewPng } from '../state/exports';
import { exportMetadata } from '../state/metadata-edit';
import { useProjector } from '../state/store';
import { applyViewState, sessionJson, shareUrl } from '../state/view-state';

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function SharePanel() {
  const hasData = useProjector((s) => !!s.dataset);
  const sources = useProjector((s) => s.sources);
  const selected = useProjector((s) => s.selected.length);
  const [link, setLink] = useState('');
  const [scale, setScale] = useState(2);
  const [legend, setLegend] = useState(true);
  const [message, setMessage] = useState<string | null>(null);
  if (!hasData) return null;
  const attempt = (f: () => Promise<void>) => {
    setMessage(null);
    f().catch((e: unknown) => setMessage(e instanceof Error ? e.message : String(e)));
  };

  return (
    <details className="share-menu" data-testid="share-menu">
      <summary>Share &amp; export</summary>
      <div className="share-body">
        {sources ? (
          <div className="share-row">
            <button
              type="button"
              data-testid="copy-link"
              onClick={() =>
                attempt(async () => {
                  const url = shareUrl() ?? '';
                  setLink(url);
                  await navigator.clipboard?.writeText(url).catch(() => undefined);
                })
              }
            >
              Copy link to this view
            </button>
            {link && <input readOnly data-testid="share-link" value={link} onFocus={(e) => e.target.select()} />}
          </div>
        ) : (
          <div className="hint" data-testid="local-note">
            Opened from local files: a link cannot carry them. Save a session, and open it again once the same files are open.
          </div>
        )}
        <div className="share-row">
          <button type="button" data-testid="save-session" onClick={() => download(new Blob([sessionJson()], { type: 'application/json' }), exportName('-session.json'))}>
            Save session
          </button>
          <label className="file-like">
            Open session
            <input
              type="file"
              accept=".json,application/json"
              data-testid="open-session"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) attempt(async () => applyViewState(JSON.parse(await file.text()), { data: 'keep' }));
              }}
            />
          </label>
        </div>
        <div className="share-row">
          <span>Coordinates</span>
          <button type="button" data-testid="export-tsv" onClick={() => attempt(async () => download(await exportCoordinates('tsv'), exportName('.tsv')))}>TSV</button>
          <button type="button" data-testid="export-npy" onClick={() => attempt(async () => download(await exportCoordinates('npy'), exportName('.npy')))}>.npy</button>
          <button type="button" data-testid="export-selection" disabled={selected === 0} onClick={() => attempt(async () => download(await exportSelection(), exportName('-selection.tsv')))}>
            Selection TSV
          </button>
          <button type="button" data-testid="export-metadata" onClick={() => attempt(async () => download(await exportMetadata(), exportName('-metadata.tsv')))}>
            Metadata TSV
          </button>
        </div>
        <div className="share-row">
          <span>Picture</span>
          <select data-testid="png-scale" aria-label="PNG size" value={scale} onChange={(e) => setScale(Number(e.target.value))}>
            <option value={1}>1x</option>
            <option value={2}>2x</option>
            <option value={4}>4x</option>
          </select>
          <label className="inline">
            <input type="checkbox" data-testid="png-legend" checked={legend} onChange={(e) => setLegend(e.target.checked)} /> legend
          </label>
          <button type="button" data-testid="export-png" onClick={() => attempt(async () => download(await exportViewPng(scale, legend), exportName(`@${scale}x.png`)))}>PNG</button>
        </div>
        {message && <div className="hint error-text" data-testid="share-error">{message}</div>}
      </div>
    </details>
  );
}
