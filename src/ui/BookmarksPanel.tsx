/**
 * Bookmarks (TF's format): the config's saved views and those added here. Apply puts the saved
 * coordinates, selection, colour and camera on screen; add, rename, delete, download the file TF
 * reads, or open one.
 */
import { useState } from 'react';
import { addBookmark, applyBookmark, bookmarksJson, deleteBookmark, openBookmarksFile, renameBookmark } from '../state/bookmarks';
import { exportName } from '../state/exports';
import { useProjector } from '../state/store';

export function BookmarksPanel() {
  const list = useProjector((s) => s.bookmarks);
  const hasData = useProjector((s) => !!s.dataset);
  const [label, setLabel] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  if (!hasData) return null;
  const attempt = (f: () => unknown) => {
    setMessage(null);
    Promise.resolve()
      .then(f)
      .catch((e: unknown) => setMessage(e instanceof Error ? e.message : String(e)));
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([bookmarksJson()], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = exportName('-bookmarks.json');
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <details className="panel bookmarks-panel" data-testid="bookmarks-panel" open={list.length > 0}>
      <summary>
        <h2>Bookmarks{list.length > 0 ? ` (${list.length})` : ''}</h2>
      </summary>
      <ul className="result-list" data-testid="bookmark-list">
        {list.map((b, i) => (
          <li key={i} className="bookmark-row">
            <button type="button" data-index={i} title="Show this bookmark" onClick={() => attempt(() => applyBookmark(i))}>
              <span className="result-name">{b.label || `bookmark ${i + 1}`}</span>
            </button>
            <button type="button" className="link" aria-label="Rename" title="Rename" onClick={() => {
              const next = window.prompt('Bookmark name', b.label ?? '');
              if (next != null) renameBookmark(i, next);
            }}>✎</button>
            <button type="button" className="link" aria-label="Delete" title="Delete" onClick={() => deleteBookmark(i)}>×</button>
          </li>
        ))}
      </ul>
      <div className="share-row">
        <input data-testid="bookmark-label" placeholder="Name this view" value={label} onChange={(e) => setLabel(e.target.value)} />
        <button type="button" data-testid="bookmark-add" onClick={() => attempt(() => { addBookmark(label || `view ${list.length + 1}`); setLabel(''); })}>Add</button>
      </div>
      <div className="share-row">
        <button type="button" data-testid="bookmarks-download" disabled={list.length === 0} onClick={download}>Download</button>
        <label className="file-like">
          Open file
          <input type="file" accept=".json,.txt,application/json" data-testid="bookmarks-open" onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) attempt(() => openBookmarksFile(file));
          }} />
        </label>
      </div>
      {message && <div className="hint error-text" data-testid="bookmarks-error">{message}</div>}
    </details>
  );
}
