/**
 * The inspected point: its metadata, its picture, and its exact nearest neighbours in the original
 * space (k, metric), each row with rank, distance, name and picture, in the view's distance ramp.
 * Hovering a row highlights its point; a click inspects it; a double-click flies to it. The panel
 * also says how faithful the layout on screen is here: how many of the k neighbours it kept.
 */
import { useMemo } from 'react';
import { isolateRows, setHovered } from '../state/actions';
import { distanceRamp, neighborColor, rgbCss } from '../color/palette';
import { focusOn, inspect, keptInLayout, MAX_K } from '../state/queries';
import { useProjector } from '../state/store';
import type { Metric } from '../reduce/knn/knn';
import { formatCount } from './format';
import { pointName } from './point-label';
import { Thumbnail } from './Thumbnail';

const quiet = (p: Promise<unknown>) => p.catch(() => undefined); // errors are shown in the panel

export function InspectorPanel() {
  const inspector = useProjector((s) => s.inspector);
  const dataset = useProjector((s) => s.dataset);
  const layout = useProjector((s) => s.layout);
  const labelColumn = useProjector((s) => s.viewOptions.labelColumn);
  const settings = useProjector((s) => s.neighborSettings);
  const list = inspector?.neighbors ?? null;
  const kept = useMemo(
    () => (inspector && list && layout && dataset && layout.length === dataset.n * 3 ? keptInLayout(layout, inspector.index, list.indices) : null),
    [inspector, list, layout, dataset],
  );
  if (!inspector || !dataset) return null;
  const i = inspector.index;
  const columns = dataset.metadata?.columns ?? [];
  const ramp = list ? distanceRamp(list.distances) : null;
  const redo = (patch: Partial<{ k: number; metric: Metric }>) => quiet(inspect(i, patch));

  return (
    <div className="panel inspector" data-testid="inspector">
      <div className="inspector-head">
        <h2 data-testid="inspector-name">{pointName(dataset, labelColumn, i)}</h2>
        <button type="button" className="link" aria-label="Close the inspector" data-testid="inspector-close" onClick={() => quiet(inspect(null))}>
          ×
        </button>
      </div>
      <div className="inspector-point">
        {dataset.sprite && <Thumbnail sprite={dataset.sprite} index={i} size={96} />}
        <dl>
          <div className="field"><dt>row</dt><dd>{i}</dd></div>
          {columns.map((c) => (
            <div key={c.name} className="field">
              <dt>{c.name}</dt>
              <dd>{c.values[i] ?? '—'}</dd>
            </div>
          ))}
        </dl>
      </div>
      <div className="params">
        <label>
          Neighbours
          <input
            type="number"
            min={1}
            max={MAX_K}
            data-testid="neighbor-k"
            defaultValue={settings.k}
            key={settings.k}
            onKeyDown={(e) => e.key === 'Enter' && redo({ k: clampK(e.currentTarget.value) })}
            onBlur={(e) => clampK(e.target.value) !== settings.k && redo({ k: clampK(e.target.value) })}
          />
        </label>
        <label>
          Distance
          <select data-testid="neighbor-metric" value={settings.metric} onChange={(e) => redo({ metric: e.target.value as Metric })}>
            <option value="cosine">cosine</option>
            <option value="euclidean">euclidean</option>
          </select>
        </label>
      </div>
      {inspector.status === 'computing' && <div className="hint">Finding the {formatCount(inspector.k)} nearest…</div>}
      {inspector.status === 'error' && <div className="hint error-text" data-testid="inspector-error">{inspector.error}</div>}
      {list && (
        <>
          <div className="inspector-summary">
            {kept != null && (
              <span data-testid="inspector-kept" title="Of its nearest neighbours in the original space, how many are also among its nearest in the layout on screen">
                {formatCount(kept)} of {formatCount(list.indices.length)} kept in this layout
              </span>
            )}
            <button type="button" data-testid="neighbors-isolate" onClick={() => quiet(isolateRows([i, ...list.indices]))}>Isolate</button>
            <button type="button" data-testid="inspector-focus" onClick={() => focusOn(i)}>Focus</button>
          </div>
          <ol className="result-list neighbor-list" data-testid="neighbor-list">
            {Array.from(list.indices, (j, rank) => (
              <li key={j}>
                <button
                  type="button"
                  data-index={j}
                  onMouseEnter={() => setHovered(j)}
                  onMouseLeave={() => setHovered(null)}
                  onFocus={() => setHovered(j)}
                  onBlur={() => setHovered(null)}
                  onClick={() => quiet(inspect(j))}
                  onDoubleClick={() => focusOn(j)}
                  title="Click: inspect · Double-click: fly to it"
                >
                  <span className="rank">{rank + 1}</span>
                  <span className="swatch" style={{ background: rgbCss(neighborColor(ramp!(rank))) }} />
                  {dataset.sprite && <Thumbnail sprite={dataset.sprite} index={j} size={20} />}
                  <span className="result-name">{pointName(dataset, labelColumn, j)}</span>
                  <span className="distance">{list.distances[rank].toFixed(4)}</span>
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function clampK(v: string): number {
  const k = Math.round(Number(v));
  return Number.isFinite(k) ? Math.min(MAX_K, Math.max(1, k)) : 100;
}
