import { coloringFor } from '../state/color-by';
import { rgbCss, sequentialColor } from '../state/palette';
import { useProjector } from '../state/store';

export function Legend() {
  const dataset = useProjector((s) => s.dataset);
  const colorColumn = useProjector((s) => s.colorColumn);
  if (!dataset?.metadata) return null;
  const { legend } = coloringFor(dataset.n, dataset.metadata.columns[colorColumn] ?? null);
  if (legend.kind === 'none') return null;
  return (
    <div className="legend" data-testid="legend">
      <div className="legend-title">{legend.column}</div>
      {legend.kind === 'categorical' ? (
        <ul>
          {legend.entries.map((e) => (
            <li key={e.value}>
              <span className="swatch" style={{ background: rgbCss(e.color) }} />
              <span className="legend-value">{e.value}</span>
              <span className="legend-count">{e.count}</span>
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
