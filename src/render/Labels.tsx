/**
 * Text labels from the chosen metadata column, in a DOM layer over the canvas (text, never
 * HTML): the hovered and selected points' follow every frame; those nearest the camera appear
 * once the view rests, when their pictures are drawn large enough to be worth naming.
 */
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import { getState, useProjector } from '../state/store';
import type { DrawnPoints } from './drawn-points';
import { placeLabels, type LabelCandidate } from './label-placement';
import type { ViewPicker } from './view-picker';

const MAX_LABELS = 40;
const MAX_SELECTED_LABELS = 60;
/** Points drawn at least this many CSS px wide are "zoomed in" enough to be labelled. */
const NEAR_LABEL_MIN_PX = 14;
const REST_MS = 150;

interface Props {
  drawn: DrawnPoints;
  picker: ViewPicker;
  layer: HTMLDivElement;
}

export function Labels({ drawn, picker, layer }: Props) {
  const labelColumn = useProjector((s) => s.viewOptions.labelColumn);
  const dataset = useProjector((s) => s.dataset);
  const selected = useProjector((s) => s.selected);
  const hovered = useProjector((s) => s.hovered);
  const get = useThree((s) => s.get);
  const lastKey = useRef('');
  const rest = useRef(0);
  const column = labelColumn >= 0 ? (dataset?.metadata?.columns[labelColumn] ?? null) : null;

  // Reads the store when it runs: a timer set before the column changed must draw the new one.
  const draw = (withNear: boolean) => {
    const s = getState();
    const column = s.viewOptions.labelColumn >= 0 ? (s.dataset?.metadata?.columns[s.viewOptions.labelColumn] ?? null) : null;
    if (!column) {
      layer.replaceChildren();
      return;
    }
    const { size } = get();
    const marked: number[] = [];
    if (s.hovered != null) marked.push(s.hovered);
    for (let k = 0; k < Math.min(s.selected.length, MAX_SELECTED_LABELS); k++) marked.push(s.selected[k]);
    const candidates: LabelCandidate[] = [];
    const text = (i: number) => column.values[i] ?? '';
    // The few marked points are projected on their own, cheaply, every frame.
    if (marked.length > 0) {
      const p = picker.projectSome(marked);
      marked.forEach((i, k) => {
        const rank = k === 0 && i === s.hovered ? 0 : 1;
        if (p.half[k] > 0) candidates.push({ index: i, x: p.x[k], y: p.y[k], depth: p.depth[k], half: p.half[k], rank, text: text(i) });
      });
    }
    if (withNear) {
      const { points } = picker.screenPoints();
      const near: number[] = [];
      for (let i = 0; i < points.n; i++) {
        const h = points.half[i];
        if (h * 2 >= NEAR_LABEL_MIN_PX && points.x[i] >= 0 && points.y[i] >= 0 && points.x[i] <= size.width && points.y[i] <= size.height) near.push(i);
      }
      near.sort((a, b) => points.depth[a] - points.depth[b]);
      for (const i of near.slice(0, MAX_LABELS * 4)) {
        candidates.push({ index: i, x: points.x[i], y: points.y[i], depth: points.depth[i], half: points.half[i], rank: 2, text: text(i) });
      }
    }
    const placed = placeLabels(candidates, MAX_LABELS, size.width, size.height);
    layer.replaceChildren(
      ...placed.map((l) => {
        const div = document.createElement('div');
        div.className = l.rank === 0 ? 'point-label hovered' : l.rank === 1 ? 'point-label selected' : 'point-label';
        div.textContent = l.text;
        div.style.transform = `translate(${l.left.toFixed(1)}px, ${l.top.toFixed(1)}px)`;
        div.dataset.index = String(l.index);
        return div;
      }),
    );
  };

  // Hover, selection or column changes: redraw at once, near labels included.
  useEffect(() => {
    // draw reads the rest from the store and the view when it runs.
    draw(true);
  }, [column, selected, hovered, layer]);
  useEffect(
    () => () => {
      clearTimeout(rest.current);
      layer.replaceChildren();
    },
    [layer],
  );

  // While the view moves, only the marked labels follow; the near ones return when it rests.
  useFrame(() => {
    if (!column) return;
    const { camera } = get();
    const key = `${drawn.version}|${camera.matrixWorldInverse.elements.join(',')}|${camera.projectionMatrix.elements.join(',')}`;
    if (key === lastKey.current) return;
    lastKey.current = key;
    draw(false);
    clearTimeout(rest.current);
    rest.current = window.setTimeout(() => draw(true), REST_MS);
  });
  return null;
}

