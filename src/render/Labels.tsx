/**
 * Text labels from the label column, in a DOM layer over the canvas (text, never HTML). The
 * hovered and selected points' follow the view every frame. The rest are placed once the view
 * rests: where points have no pictures (no sprite, or Draw = dots) the text is the picture, so as
 * many labels as fit without overlapping, at every zoom; where pictures are drawn, a few, for
 * points drawn large enough to be worth naming.
 */
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import * as THREE from 'three';
import type { MetadataColumn } from '../data/types';
import { getState, useProjector } from '../state/store';
import type { DrawnPoints } from './drawn-points';
import { labelOrder, placeLabels, type LabelCandidate, type PlacedLabel } from './label-placement';
import type { ScreenPoints } from './screen-index';
import { overlayRects } from './overlays';
import type { ViewPicker } from './view-picker';

/** Labels beside pictures: a few, so they never drown the thumbnails. */
const PICTURE_LABELS = 40;
/** Labels as the picture: as many as fit, within a frame's budget of DOM work. */
const TEXT_LABELS = 500;
const MAX_SELECTED_LABELS = 60;
const MAX_NEIGHBOR_LABELS = 20;
/** Pictures drawn at least this many CSS px wide are "zoomed in" enough to be labelled. */
const PICTURE_LABEL_MIN_PX = 14;
const REST_MS = 150;
/** Placement's share of a frame: past it, the labels placed so far stand (the most important first). */
const PLACE_BUDGET_MS = 6;
/** Points past which the labels' candidates are an even sample of the rows. */
const MAX_CANDIDATES = 50_000;
/** .point-label's font size, line height and horizontal padding (both sides); .point-label.text's. */
const FONT_PX = 12;
const LINE_PX = 16;
const PADDING = 8;
const TEXT_FONT_PX = 11;
const TEXT_LINE_PX = 14;
const TEXT_PADDING = 4;

/** What the layer shows now, for window.projector.labels(). */
export interface ShownLabels {
  labels: { index: number; text: string }[];
  /** ms the last placement at rest took (ordering, measuring and placing; not the DOM). */
  placeMs: number;
}

interface Props {
  drawn: DrawnPoints;
  picker: ViewPicker;
  layer: HTMLDivElement;
  shown: ShownLabels;
}

/** Text widths by canvas measurement, cached per column and weight: the DOM is never asked. */
function textMeasurer(layer: HTMLDivElement) {
  const ctx = document.createElement('canvas').getContext('2d');
  const family = getComputedStyle(layer).fontFamily || 'sans-serif';
  const cache = new WeakMap<MetadataColumn, Float32Array>();
  /** plain: a label that is the picture (smaller, unboxed); else a boxed one, bold when hovered. */
  return (column: MetadataColumn, i: number, style: 'plain' | 'boxed' | 'bold'): number => {
    let widths = cache.get(column);
    if (!widths) cache.set(column, (widths = new Float32Array(column.values.length).fill(NaN)));
    if (style === 'plain' && !Number.isNaN(widths[i])) return widths[i];
    const text = column.values[i] ?? '';
    const px = style === 'plain' ? TEXT_FONT_PX : FONT_PX;
    let w = text.length * px * 0.6;
    if (ctx) {
      ctx.font = `${style === 'bold' ? '600 ' : ''}${px}px ${family}`;
      w = ctx.measureText(text).width;
    }
    // Whole pixels and the padding (plus the border of the boxed labels): the box the DOM draws.
    const box = style === 'plain' ? Math.ceil(w) + TEXT_PADDING : Math.ceil(w) + PADDING + 2;
    if (style === 'plain') widths[i] = box;
    return box;
  };
}

export function Labels({ drawn, picker, layer, shown }: Props) {
  const labelColumn = useProjector((s) => s.viewOptions.labelColumn);
  const pointStyle = useProjector((s) => s.viewOptions.pointStyle);
  const dataset = useProjector((s) => s.dataset);
  const selected = useProjector((s) => s.selected);
  const hovered = useProjector((s) => s.hovered);
  const inspector = useProjector((s) => s.inspector);
  const get = useThree((s) => s.get);
  const lastKey = useRef('');
  const rest = useRef(0);
  const measure = useRef<ReturnType<typeof textMeasurer> | null>(null);
  const orderCache = useRef<{ points: unknown; minHalf: number; byDepth: boolean; order: Int32Array } | null>(null);
  const column = labelColumn >= 0 ? (dataset?.metadata?.columns[labelColumn] ?? null) : null;

  const lastRest = useRef<{ view: string; labels: PlacedLabel[] } | null>(null);
  const viewKey = () => {
    const { camera, size } = get();
    return `${size.width}x${size.height}|${camera.matrixWorldInverse.elements.join(',')}|${camera.projectionMatrix.elements.join(',')}`;
  };

  /**
   * moving: only the marked labels (they follow the view every frame). quick: the marked ones and
   * the rest as last placed, while the view has not moved. rest: every label placed anew.
   */
  // Reads the store when it runs: a timer set before the column changed must draw the new one.
  const draw = (mode: 'moving' | 'quick' | 'rest') => {
    const atRest = mode === 'rest';
    const s = getState();
    const column = s.viewOptions.labelColumn >= 0 ? (s.dataset?.metadata?.columns[s.viewOptions.labelColumn] ?? null) : null;
    if (!column || !s.dataset) {
      layer.replaceChildren();
      shown.labels = [];
      return;
    }
    const t0 = performance.now();
    const { size, camera } = get();
    const textIsPicture = !s.dataset.sprite || s.viewOptions.pointStyle === 'dots';
    const marked: number[] = [];
    if (s.hovered != null) marked.push(s.hovered);
    for (let k = 0; k < Math.min(s.selected.length, MAX_SELECTED_LABELS); k++) marked.push(s.selected[k]);
    // The inspected point and its nearest neighbours are named too, nearest first.
    if (s.inspector) {
      marked.push(s.inspector.index);
      const near = s.inspector.neighbors?.indices ?? [];
      for (let k = 0; k < Math.min(near.length, MAX_NEIGHBOR_LABELS); k++) marked.push(near[k]);
    }
    const candidates: LabelCandidate[] = [];
    // The few marked points are projected on their own, cheaply, every frame.
    if (marked.length > 0) {
      const p = picker.projectSome(marked);
      marked.forEach((i, k) => {
        const rank = k === 0 && i === s.hovered ? 0 : 1;
        if (p.half[k] > 0) candidates.push({ index: i, x: p.x[k], y: p.y[k], half: p.half[k], rank });
      });
    }
    if (mode === 'quick' && lastRest.current?.view === viewKey()) {
      for (const l of lastRest.current.labels) candidates.push({ index: l.index, x: l.x, y: l.y, half: l.half, rank: 2 });
    }
    let order: Int32Array | null = null;
    let points: ScreenPoints | null = null;
    let rows: Int32Array | null = null;
    if (atRest) {
      // Past MAX_CANDIDATES points, an even sample of the rows competes for the labels: the
      // screen holds a few hundred at most, and projecting a million points would hold the page.
      if (drawn.n <= MAX_CANDIDATES) points = picker.screenPoints().points;
      else {
        const step = Math.ceil(drawn.n / MAX_CANDIDATES);
        rows = new Int32Array(Math.ceil(drawn.n / step));
        for (let k = 0; k < rows.length; k++) rows[k] = k * step;
        points = picker.projectSome(Array.from(rows));
      }
    }
    if (points) {
      // The priority order changes with the view, not with hover or selection: kept per view.
      const byDepth = !(camera instanceof THREE.OrthographicCamera);
      const minHalf = textIsPicture ? 0 : PICTURE_LABEL_MIN_PX / 2 - 1e-3;
      const c = orderCache.current;
      if (c && c.points === points && c.minHalf === minHalf && c.byDepth === byDepth) order = c.order;
      else {
        order = labelOrder(points, size.width, size.height, byDepth, minHalf);
        orderCache.current = { points, minHalf, byDepth, order };
      }
    }
    measure.current ??= textMeasurer(layer);
    const width = measure.current;
    const placed = placeLabels(candidates, order, points, {
      cap: textIsPicture ? TEXT_LABELS : PICTURE_LABELS,
      width: size.width,
      height: size.height,
      boxWidth: (i, rank) => width(column, i, rank === 0 ? 'bold' : rank === 1 || !textIsPicture ? 'boxed' : 'plain'),
      // Labels that are the picture are set smaller and tighter, so more fit.
      lineHeight: textIsPicture ? TEXT_LINE_PX : LINE_PX,
      hasText: (i) => !!column.values[i],
      blocked: mode === 'moving' ? [] : overlayRects(get().gl.domElement),
      budgetMs: PLACE_BUDGET_MS,
      rowOf: rows ? (k) => rows[k] : undefined,
    });
    if (atRest) {
      shown.placeMs = performance.now() - t0;
      lastRest.current = { view: viewKey(), labels: placed.filter((l) => l.rank === 2) };
    }
    shown.labels = placed.map((l) => ({ index: l.index, text: column.values[l.index] ?? '' }));
    layer.replaceChildren(
      ...placed.map((l) => {
        const div = document.createElement('div');
        div.className = ['point-label', l.rank === 0 ? 'hovered' : l.rank === 1 ? 'selected' : textIsPicture ? 'text' : ''].join(' ').trim();
        div.textContent = column.values[l.index] ?? '';
        div.style.width = `${l.width}px`;
        div.style.transform = `translate(${l.left.toFixed(1)}px, ${l.top.toFixed(1)}px)`;
        div.dataset.index = String(l.index);
        return div;
      }),
    );
  };

  // Hover, selection, column or drawing changes: redraw at once, all labels included; for very
  // many points the rest stay as placed and are placed anew in a task of their own.
  useEffect(() => {
    // draw reads the rest from the store and the view when it runs.
    if (drawn.n <= MAX_CANDIDATES) return draw('rest');
    draw('quick');
    clearTimeout(rest.current);
    rest.current = window.setTimeout(() => draw('rest'), REST_MS);
  }, [column, selected, hovered, layer, pointStyle, dataset, inspector]);
  useEffect(
    () => () => {
      clearTimeout(rest.current);
      layer.replaceChildren();
      shown.labels = [];
    },
    [layer, shown],
  );

  // While the view moves, only the marked labels follow; the rest return when it rests.
  useFrame(() => {
    if (!column) return;
    const { camera, size } = get();
    const key = `${drawn.version}|${size.width}x${size.height}|${camera.matrixWorldInverse.elements.join(',')}|${camera.projectionMatrix.elements.join(',')}`;
    if (key === lastKey.current) return;
    lastKey.current = key;
    draw('moving');
    clearTimeout(rest.current);
    rest.current = window.setTimeout(() => draw('rest'), REST_MS);
  });
  return null;
}
