/**
 * Search over the metadata: one column or all, substring or regular expression. Matches become the
 * selection (the rest fade), with their count and the first 100 listed; a row inspects its point,
 * a double-click flies to it. `/` focuses the box; Enter searches at once.
 */
import { useEffect, useRef, useState } from 'react';
import { isolateRows } from '../state/actions';
import { focusOn, inspect, search } from '../state/queries';
import { useProjector } from '../state/store';
import { formatCount } from './format';
import { pointName } from './point-label';
import { Thumbnail } from './Thumbnail';

const LISTED = 100;
const TYPING_MS = 200;
const quiet = (p: Promise<unknown>) => p.catch(() => undefined); // errors are shown in the panel

/** Where '/' is text being typed, not the shortcut. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'range', 'submit', 'reset', 'color', 'file'].includes(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target.isContentEditable;
}

export function SearchPanel() {
  const dataset = useProjector((s) => s.dataset);
  const state = useProjector((s) => s.search);
  const isolated = useProjector((s) => s.isolated);
  const labelColumn = useProjector((s) => s.viewOptions.labelColumn);
  const [text, setText] = useState('');
  const [column, setColumn] = useState('');
  const [regex, setRegex] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const typing = useRef(0);
  // What this panel last asked for: a search made elsewhere (a script) is shown in the box.
  const sent = useRef({ query: '', column: '', regex: false });
  useEffect(() => {
    const mine = sent.current;
    if (state.query === mine.query && (state.column ?? '') === mine.column && state.regex === mine.regex) return;
    sent.current = { query: state.query, column: state.column ?? '', regex: state.regex };
    setText(state.query);
    setColumn(state.column ?? '');
    setRegex(state.regex);
  }, [state.query, state.column, state.regex]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return;
      e.preventDefault();
      input.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => () => clearTimeout(typing.current), []);

  if (!dataset?.metadata) return null;
  const columns = dataset.metadata.columns;
  const run = (q = text, c = column, r = regex) => {
    clearTimeout(typing.current);
    // Changing an option with nothing typed must not clear a selection made otherwise.
    if (q === '' && useProjector.getState().search.query === '') return;
    sent.current = { query: q, column: c, regex: r };
    quiet(search(q, { column: c || null, regex: r }));
  };
  const later = (q: string) => {
    clearTimeout(typing.current);
    typing.current = window.setTimeout(() => run(q), TYPING_MS);
  };
  const matches = state.matches;
  const total = isolated?.length ?? dataset.n;

  return (
    <div className="panel search-panel" data-testid="search-panel">
      <input
        ref={input}
        type="search"
        data-testid="search-input"
        placeholder="Search metadata  ( / )"
        aria-label="Search metadata"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          later(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') run();
        }}
      />
      <div className="search-options">
        <select data-testid="search-column" aria-label="Column to search" value={column} onChange={(e) => { setColumn(e.target.value); run(text, e.target.value); }}>
          <option value="">all columns</option>
          {columns.map((c, i) => (
            <option key={c.name + i} value={c.name}>{c.name}</option>
          ))}
        </select>
        <label className="inline">
          <input type="checkbox" data-testid="search-regex" checked={regex} onChange={(e) => { setRegex(e.target.checked); run(text, column, e.target.checked); }} /> regex
        </label>
      </div>
      {state.error && <div className="hint error-text" data-testid="search-error">{state.error}</div>}
      {matches && !state.error && (
        <div className="search-summary">
          <span data-testid="search-count">{formatCount(matches.length)} of {formatCount(total)}</span>
          {matches.length > 0 && (
            <button type="button" data-testid="search-isolate" onClick={() => quiet(isolateRows(matches))}>Isolate</button>
          )}
        </div>
      )}
      {matches && matches.length > 0 && (
        <ul className="result-list" data-testid="search-results">
          {Array.from(matches.subarray(0, LISTED), (i) => (
            <li key={i}>
              <button type="button" data-index={i} onClick={() => quiet(inspect(i))} onDoubleClick={() => focusOn(i)} title="Click: inspect · Double-click: fly to it">
                {dataset.sprite && <Thumbnail sprite={dataset.sprite} index={i} size={20} />}
                <span className="result-name">{pointName(dataset, labelColumn, i)}</span>
              </button>
            </li>
          ))}
          {matches.length > LISTED && <li className="hint">and {formatCount(matches.length - LISTED)} more (all selected)</li>}
        </ul>
      )}
    </div>
  );
}
