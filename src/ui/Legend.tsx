/**
 * What the colours mean. For categories, a click hides a category (or shows it again) and a
 * shift-click shows only that one; hidden points are neither drawn, picked nor selected.
 */
import { isolate, showAll, toggleHidden } from '../state/actions';
import { coloringFor } from '../state/color-by';
import { rgbCss, sequentialColor } from '../color/palette';
import { tinted, useProjector } from '../state/store';
import { formatCount } from './format';

export function Legend() {
  const dataset = useProjector((s) => s.dataset);
  const colorColumn = useProjector((s) => s.colorColumn);
  const hidden = useProjector((s) => s.hiddenValues);
  const tint = useProjector((s) => s.viewOptions.tint);
  if (!dataset?.metadata) return null;
  const column = dataset.metadata.columns[colorColumn] ?? null;
  const { legend } = coloringFor(dataset.n, column);
  if (legend.kind === 'none') return null;
  const allValues = () => [...new Set(column?.values.filter((v): v is string => v != null))];
  return (
    <div className="legend" data-testid="legend">
      <div className="legend-title">
        {legend.column}
        {hidden.length > 0 && (
          <button type="button" className="link" data-testid="legend-show-all" onClick={showAll}>
            show all
          </button>
        )}
      </div>
      {dataset.sprite && !tinted(dataset.sprite, tint) && (
        <div className="legend-note" data-testid="legend-note">
          pictures show the colours they were logged with; dots use these
        </div>
      )}
      {legend.kind === 'categorical' ? (
        <ul title="Click: hide or show · Shift-click: show only this">
          {legend.entries.map((e) => (
            <li
              key={e.value}
              className={hidden.includes(e.value) ? 'off' : undefined}
              data-value={e.value}
              role="button"
              tabIndex={0}
              aria-pressed={!hidden.includes(e.value)}
              onClick={(ev) => (ev.shiftKey ? isolate(e.value, allValues()) : toggleHidden(e.value))}
              onKeyDown={(ev) => {
                if (ev.key !== 'Enter' && ev.key !== ' ') return;
                ev.preventDefault();
                if (ev.shiftKey) isolate(e.value, allValues());
                else toggleHidden(e.value);
              }}
            >
              <span className="swatch" style={{ background: rgbCss(e.color) }} />
              <span className="legend-value">{e.value}</span>
              <span className="legend-count">{formatCount(e.count)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <div className="ramp">
          <span>{legend.min}</span>
          <span
            className="ramp-bar"
            style={{ background: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => rgbCss(sequentialColor(t))).join(',')})` }}
          />
          <span>{legend.max}</span>
        </div>
      )}
    </div>
  );
}
