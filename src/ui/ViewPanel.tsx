/**
 * How points are drawn and picked out: size (world or screen units), thumbnails or dots, text
 * labels from a column, and the selection tools with the selection count.
 */
import { clearSelection, isolateRows, setSelectTool, setViewOptions } from '../state/actions';
import { useState } from 'react';
import { labelSelection } from '../state/metadata-edit';
import { fitAll } from '../state/queries';
import { getState, useProjector, type PointStyle, type SelectTool, type SizeUnits, type Tint } from '../state/store';
import { formatCount } from './format';

const quiet = (p: Promise<unknown>) => p.catch(() => undefined); // failures show in the error banner

const TOOLS: { value: Exclude<SelectTool, 'none'>; label: string; hint: string }[] = [
  { value: 'box', label: 'Box', hint: 'Drag a box to select points (shift adds)' },
  { value: 'lasso', label: 'Lasso', hint: 'Draw around points to select them (shift adds)' },
];

/** TF's metadata editor: a value for the selected points in a new or existing column. */
function LabelEditor({ columns }: { columns: string[] }) {
  const [column, setColumn] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const apply = () => {
    try {
      labelSelection(column, value);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <span className="label-editor">
      <input data-testid="edit-column" list="edit-columns" placeholder="column" value={column} onChange={(e) => setColumn(e.target.value)} />
      <datalist id="edit-columns">
        {columns.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <input data-testid="edit-value" placeholder="value" value={value} onChange={(e) => setValue(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && apply()} />
      <button type="button" data-testid="edit-apply" title="Give the selected points this value in that column" onClick={apply}>
        Label
      </button>
      {error && <span className="error-text" data-testid="edit-error">{error}</span>}
    </span>
  );
}

export function ViewPanel() {
  const options = useProjector((s) => s.viewOptions);
  const columns = useProjector((s) => s.dataset?.metadata?.columns);
  const hasSprite = useProjector((s) => !!s.dataset?.sprite);
  const tool = useProjector((s) => s.selectTool);
  const count = useProjector((s) => s.selected.length);
  const hasData = useProjector((s) => !!s.dataset);
  const isolated = useProjector((s) => s.isolated?.length ?? null);
  const titles = useProjector((s) => s.groups[s.group]?.embeddings.length ?? 0);
  if (!hasData) return null;
  return (
    <div className="view-panel" data-testid="view-panel" data-overlay>
      <label title="Point size">
        Size
        <input
          type="range"
          data-testid="point-size"
          min={-2}
          max={2}
          step={0.1}
          value={Math.log2(options.pointScale)}
          onChange={(e) => setViewOptions({ pointScale: 2 ** Number(e.target.value) })}
        />
      </label>
      <label>
        Units
        <select data-testid="size-units" value={options.sizeUnits} onChange={(e) => setViewOptions({ sizeUnits: e.target.value as SizeUnits })}>
          <option value="world">world (zoom enlarges)</option>
          <option value="screen">screen (fixed px)</option>
        </select>
      </label>
      <label>
        Draw
        <select
          data-testid="point-style"
          value={options.pointStyle}
          disabled={!hasSprite}
          onChange={(e) => setViewOptions({ pointStyle: e.target.value as PointStyle })}
        >
          <option value="auto">auto</option>
          <option value="thumbnails">thumbnails</option>
          <option value="dots">dots</option>
        </select>
      </label>
      <label title="Multiply pictures by the point's colour: auto tints greyscale sprites only; coloured sprites keep their own colours">
        Tint
        <select data-testid="tint" value={options.tint} disabled={!hasSprite} onChange={(e) => setViewOptions({ tint: e.target.value as Tint })}>
          <option value="auto">auto</option>
          <option value="on">on</option>
          <option value="off">off</option>
        </select>
      </label>
      {titles > 1 && (
        <label className="inline" title="Paths of the selected points through every title of the group">
          <input type="checkbox" data-testid="trails" checked={options.trails} onChange={(e) => setViewOptions({ trails: e.target.checked })} /> Trails
        </label>
      )}
      <label>
        Label by
        <select
          data-testid="label-select"
          value={options.labelColumn}
          disabled={!columns?.length}
          onChange={(e) => setViewOptions({ labelColumn: Number(e.target.value) })}
        >
          <option value={-1}>none</option>
          {columns?.map((c, i) => (
            <option key={c.name + i} value={i}>{c.name}</option>
          ))}
        </select>
      </label>
      <div className="select-tools">
        {TOOLS.map((t) => (
          <button
            key={t.value}
            type="button"
            title={t.hint}
            data-testid={`tool-${t.value}`}
            aria-pressed={tool === t.value}
            onClick={() => setSelectTool(tool === t.value ? 'none' : t.value)}
          >
            {t.label}
          </button>
        ))}
        <span data-testid="selection-count">{count > 0 ? `${formatCount(count)} selected` : 'none selected'}</span>
        {count > 0 && (
          <button type="button" data-testid="clear-selection" title="Clear the selection (Esc)" onClick={clearSelection}>
            Clear
          </button>
        )}
        {count > 0 && (
          <button type="button" data-testid="isolate-selection" title="Show only the selected points and project them again" onClick={() => quiet(isolateRows(getState().selected))}>
            Isolate
          </button>
        )}
        {isolated != null && (
          <button type="button" data-testid="show-all" title="Show every point again" onClick={() => quiet(isolateRows(null))}>
            Show all
          </button>
        )}
        <button type="button" data-testid="fit" title="Frame everything shown" onClick={fitAll}>
          Fit
        </button>
        {count > 0 && <LabelEditor columns={columns?.map((c) => c.name) ?? []} />}
      </div>
    </div>
  );
}
