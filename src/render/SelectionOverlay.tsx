/**
 * Box and lasso selection in screen space, in 2D and 3D: while a tool is on, a layer over the
 * canvas takes the drag (so the camera stays put), draws the shape, and selects the drawn points
 * whose centres fall inside it. Shift adds to the selection.
 */
import { useRef, useState } from 'react';
import { addToSelection, select } from '../state/actions';
import { useProjector } from '../state/store';
import { viewHandle } from '../state/view-handle';

export function SelectionOverlay() {
  const tool = useProjector((s) => s.selectTool);
  const [path, setPath] = useState<number[] | null>(null);
  const start = useRef<{ x: number; y: number; left: number; top: number } | null>(null);
  // The stroke so far: moves can arrive faster than renders, and each must extend the latest path.
  const stroke = useRef<number[]>([]);
  if (tool === 'none') return null;

  const onDown = (e: React.PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const { left, top } = e.currentTarget.getBoundingClientRect();
    start.current = { x: e.clientX, y: e.clientY, left, top };
    stroke.current = [e.clientX, e.clientY];
    setPath(stroke.current);
  };
  const onMove = (e: React.PointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    stroke.current = tool === 'box' ? [start.current.x, start.current.y, e.clientX, e.clientY] : [...stroke.current, e.clientX, e.clientY];
    setPath(stroke.current);
  };
  const onUp = (e: React.PointerEvent<HTMLDivElement>) => {
    const s = start.current;
    const path = stroke.current;
    start.current = null;
    stroke.current = [];
    setPath(null);
    const view = viewHandle();
    if (!s || path.length === 0 || !view) return;
    const found =
      tool === 'box'
        ? view.pointsIn({ kind: 'rect', x0: s.x, y0: s.y, x1: e.clientX, y1: e.clientY })
        : view.pointsIn({ kind: 'polygon', points: [...path, e.clientX, e.clientY] });
    (e.shiftKey ? addToSelection : select)(found);
  };

  let shape = null;
  if (path && start.current) {
    const { left, top } = start.current;
    if (tool === 'box' && path.length === 4) {
      const [x0, y0, x1, y1] = path;
      shape = <rect x={Math.min(x0, x1) - left} y={Math.min(y0, y1) - top} width={Math.abs(x1 - x0)} height={Math.abs(y1 - y0)} />;
    } else if (tool === 'lasso') {
      const pts = [];
      for (let k = 0; k + 1 < path.length; k += 2) pts.push(`${path[k] - left},${path[k + 1] - top}`);
      shape = <polygon points={pts.join(' ')} />;
    }
  }
  return (
    <div className="selection-overlay" data-testid="selection-overlay" onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp}>
      <svg width="100%" height="100%">{shape}</svg>
    </div>
  );
}
