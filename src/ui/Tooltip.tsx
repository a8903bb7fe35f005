import { useLayoutEffect, useRef, useState } from 'react';
import { useProjector } from '../state/store';
import { viewHandle } from '../state/view-handle';
import { Thumbnail } from './Thumbnail';

const GAP = 14;

/** The hovered point's metadata (as text, never HTML) and picture, kept inside the window. */
export function Tooltip() {
  const hovered = useProjector((s) => s.hovered);
  const dataset = useProjector((s) => s.dataset);
  const view = viewHandle();
  const labelColumn = useProjector((s) => s.viewOptions.labelColumn);
  const ref = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);
  const anchor = hovered != null && view ? view.screenPosition(hovered) : null;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !anchor) return setPlace(null);
    const { width, height } = el.getBoundingClientRect();
    const left = anchor.x + GAP + width > window.innerWidth ? anchor.x - GAP - width : anchor.x + GAP;
    const top = Math.min(Math.max(4, anchor.y - height / 2), window.innerHeight - height - 4);
    setPlace({ left: Math.max(4, left), top });
    // Placement depends on where the point is, not on the anchor object's identity.
  }, [anchor?.x, anchor?.y, hovered]);

  if (hovered == null || !dataset || !anchor) return null;
  const columns = dataset.metadata?.columns ?? [];
  const heading = labelColumn >= 0 ? columns[labelColumn]?.values[hovered] : null;
  return (
    <div
      ref={ref}
      className="tooltip"
      data-testid="tooltip"
      style={{ left: place?.left ?? anchor.x + GAP, top: place?.top ?? anchor.y, visibility: place ? 'visible' : 'hidden' }}
    >
      {dataset.sprite && <Thumbnail sprite={dataset.sprite} index={hovered} size={84} />}
      <dl data-testid="tooltip-label">
        {heading != null && <div className="tooltip-heading">{heading}</div>}
        {columns.length === 0 && (
          <>
            <dt>point</dt>
            <dd>{hovered}</dd>
          </>
        )}
        {columns.map((c) => (
          <div key={c.name} className="field">
            <dt>{c.name}</dt>
            <dd>{c.values[hovered] ?? '—'}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
