/**
 * The point cloud: typed attribute buffers in, one THREE.Points draw call out. New layouts are
 * written into the existing position buffer; the geometry is rebuilt only when N changes.
 * Colours, flags (hidden, selected) and sizing change buffers or uniforms in place.
 */
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { NOT_PLACED } from '../reduce/sample';
import { setNotice } from '../state/actions';
import { coloringFor } from '../state/color-by';
import { distanceRamp, INSPECTED_COLOR, neighborColor } from '../color/palette';
import { pointFlagsFor } from '../state/point-flags';
import { setState, tinted, useProjector, type ProjectorState } from '../state/store';
import type { DrawnPoints } from './drawn-points';
import { createPointMaterial } from './point-shader';
import { DOT_BELOW_PX, MAX_POINT_PX, pointWorldSize, SCREEN_BASE_PX, STYLE_CODE } from './point-sizing';
import { maxTextureSize, takeAtlas } from './sprite-texture';

const GLIDE_MS = 350;


interface Transition {
  from: Float32Array;
  to: Float32Array;
  start: number;
  version: number;
}

/** Writes the eased in-between positions; true once the glide has arrived. */
function stepTransition(t: Transition, out: Float32Array, now: number): boolean {
  const f = Math.min(1, (now - t.start) / GLIDE_MS);
  const e = f * (2 - f);
  const { from, to } = t;
  for (let i = 0; i < out.length; i++) {
    // Points entering or leaving a sample jump instead of flying in from far away.
    const jump = Math.abs(from[i]) >= NOT_PLACED || Math.abs(to[i]) >= NOT_PLACED;
    out[i] = jump ? to[i] : from[i] + (to[i] - from[i]) * e;
  }
  return f >= 1;
}

/**
 * A layout that continues the same run (the next streamed iterate, or its final layout) is drawn
 * as it is: a glide per iterate would redraw every frame for as long as the layout runs, and on a
 * small machine those frames take the cores the layout needs. Only a new view glides.
 */
function continuesRun(prev: ProjectorState['iteration'], next: ProjectorState['iteration']): boolean {
  return prev !== null && next !== null && next.total === prev.total && next.current >= prev.current && prev.current > 0;
}

/** The farthest placed point's distance from the origin (1 for our own layouts). */
function layoutExtent(layout: Float32Array): number {
  let r2 = 0;
  for (let i = 0; i < layout.length; i += 3) {
    const x = layout[i];
    if (!(Math.abs(x) < NOT_PLACED)) continue;
    const d = x * x + layout[i + 1] * layout[i + 1] + layout[i + 2] * layout[i + 2];
    if (d > r2) r2 = d;
  }
  return r2 > 0 ? Math.sqrt(r2) : 1;
}

function indexAttribute(n: number): THREE.BufferAttribute {
  const idx = new Float32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return new THREE.BufferAttribute(idx, 1);
}

export function PointCloud({ drawn }: { drawn: DrawnPoints }) {
  const dataset = useProjector((s) => s.dataset);
  const colorColumn = useProjector((s) => s.colorColumn);
  const hiddenValues = useProjector((s) => s.hiddenValues);
  const selected = useProjector((s) => s.selected);
  const hovered = useProjector((s) => s.hovered);
  const options = useProjector((s) => s.viewOptions);
  const inspector = useProjector((s) => s.inspector);
  // The inspected point and its neighbours stand out as a selection does, coloured by distance.
  const inspectedIndex = inspector?.index ?? null;
  const neighborList = inspector?.neighbors ?? null;
  const emphasised = useMemo(() => {
    if (inspectedIndex === null) return selected;
    const extra = neighborList?.indices ?? new Int32Array(0);
    const all = new Int32Array(selected.length + extra.length + 1);
    all.set(selected);
    all.set(extra, selected.length);
    all[all.length - 1] = inspectedIndex;
    return all;
  }, [selected, inspectedIndex, neighborList]);
  const { gl, size, invalidate } = useThree();
  const material = useMemo(() => createPointMaterial(), []);
  const n = dataset?.n ?? 0;

  const geometry = useMemo(() => {
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(new Float32Array(n * 3), 3));
    g.setAttribute('color', new THREE.BufferAttribute(new Float32Array(n * 3), 3));
    g.setAttribute('pointIndex', indexAttribute(n));
    g.setAttribute('pointState', new THREE.BufferAttribute(new Uint8Array(n), 1));
    // Points never move outside the unit sphere; a fixed bound spares a pass over the buffer.
    g.boundingSphere = new THREE.Sphere(new THREE.Vector3(), 1.5);
    return g;
  }, [n]);
  useEffect(() => {
    drawn.n = n;
    drawn.positions = geometry.getAttribute('position').array as Float32Array;
    drawn.geometry = geometry;
    drawn.material = material;
    drawn.changed();
    return () => geometry.dispose();
  }, [geometry, material, n, drawn]);
  useEffect(() => () => material.dispose(), [material]);

  const drawnVersion = useRef(0);
  const transition = useRef<Transition | null>(null);
  const filled = useRef(new WeakSet<THREE.BufferGeometry>());
  // Layouts stream in many times a second: they go straight into the buffer through a store
  // subscription, without re-rendering this component.
  // Our layouts fit the unit sphere; saved ones (TF bookmarks) keep their own scale, and world-sized
  // points scale with them.
  const [extent, setExtent] = useState(1);
  useEffect(() => {
    const place = (layout: Float32Array | null, layoutVersion: number, glide: boolean) => {
      if (!layout || layout.length !== n * 3) return;
      const r = layoutExtent(layout);
      setExtent((e) => (Math.abs(r - e) > 0.01 * e ? r : e));
      const attr = geometry.getAttribute('position') as THREE.BufferAttribute;
      const shown = attr.array as Float32Array;
      if (glide && filled.current.has(geometry)) {
        // Glide from wherever the points are now (mid-way through the last glide, perhaps).
        transition.current = { from: shown.slice(), to: layout, start: performance.now(), version: layoutVersion };
      } else {
        shown.set(layout);
        attr.needsUpdate = true;
        filled.current.add(geometry);
        transition.current = null;
        drawnVersion.current = layoutVersion;
        drawn.changed();
      }
      invalidate();
    };
    const { layout, layoutVersion } = useProjector.getState();
    place(layout, layoutVersion, true);
    return useProjector.subscribe((s, prev) => {
      if (s.layoutVersion !== prev.layoutVersion) place(s.layout, s.layoutVersion, !continuesRun(prev.iteration, s.iteration));
    });
  }, [geometry, n, invalidate, drawn]);

  useEffect(() => {
    const column = dataset?.metadata?.columns[colorColumn] ?? null;
    const attr = geometry.getAttribute('color') as THREE.BufferAttribute;
    const colors = attr.array as Float32Array;
    colors.set(coloringFor(n, column).colors);
    if (inspectedIndex !== null && inspectedIndex < n) {
      colors.set(INSPECTED_COLOR, 3 * inspectedIndex);
      if (neighborList) {
        const t = distanceRamp(neighborList.distances);
        neighborList.indices.forEach((j, rank) => j < n && colors.set(neighborColor(t(rank)), 3 * j));
      }
    }
    attr.needsUpdate = true;
    invalidate();
  }, [geometry, dataset, colorColumn, n, invalidate, inspectedIndex, neighborList]);

  useEffect(() => {
    const column = dataset?.metadata?.columns[colorColumn] ?? null;
    const flags = pointFlagsFor(n, column, hiddenValues, emphasised);
    const attr = geometry.getAttribute('pointState') as THREE.BufferAttribute;
    (attr.array as Uint8Array).set(flags);
    attr.needsUpdate = true;
    material.uniforms.uHasSelection.value = emphasised.length > 0 ? 1 : 0;
    drawn.flags = flags;
    drawn.changed();
    invalidate();
  }, [geometry, material, dataset, colorColumn, hiddenValues, emphasised, n, invalidate, drawn]);

  const sprite = dataset?.sprite ?? null;
  useEffect(() => {
    const u = material.uniforms;
    drawn.sizing = { ...drawn.sizing, hasSprite: !!sprite };
    drawn.changed();
    if (!sprite) {
      u.uHasSprite.value = 0;
      drawn.atlasBytes = 0;
      setNotice(null);
      invalidate();
      return;
    }
    const limit = maxTextureSize(gl);
    const { plan, textures, bytes } = takeAtlas(sprite, n, limit);
    textures.forEach((t, k) => (u[`uAtlas${k}`].value = t));
    u.uHasSprite.value = 1;
    u.uPageColumns.value = plan.pageColumns;
    u.uCellsPerPage.value = plan.cellsPerPage;
    u.uCellUv.value.set(plan.cellWidth / plan.pageWidth, plan.cellHeight / plan.pageHeight);
    drawn.atlasBytes = bytes;
    const g = sprite.geometry;
    setNotice(
      plan.downscaled
        ? `The sprite atlas (${g.imageWidth}×${g.imageHeight} px) is more than this GPU holds in ${plan.pages} textures of ${limit} px: thumbnails are downscaled from ${g.cellWidth}×${g.cellHeight} to ${plan.cellWidth}×${plan.cellHeight} px.`
        : null,
    );
    invalidate();
    return () => textures.forEach((t) => t.dispose());
  }, [material, sprite, n, gl, invalidate, drawn]);

  useEffect(() => {
    const u = material.uniforms;
    const ratio = gl.getPixelRatio();
    const range = gl.getContext().getParameter(gl.getContext().ALIASED_POINT_SIZE_RANGE) as Float32Array | null;
    const maxDevicePx = Math.min(MAX_POINT_PX, range?.[1] ?? MAX_POINT_PX);
    const worldSize = pointWorldSize(n) * extent;
    u.uMaxPx.value = maxDevicePx;
    u.uViewportHeight.value = size.height * ratio;
    u.uWorldSize.value = worldSize * options.pointScale;
    u.uScreenPx.value = SCREEN_BASE_PX * options.pointScale * ratio;
    u.uUnits.value = options.sizeUnits === 'world' ? 0 : 1;
    u.uStyle.value = STYLE_CODE[options.pointStyle];
    u.uDotBelow.value = DOT_BELOW_PX * ratio;
    drawn.sizing = { ...drawn.sizing, units: options.sizeUnits, style: options.pointStyle, scale: options.pointScale, worldSize, maxDevicePx };
    drawn.changed();
    invalidate();
  }, [material, gl, size.height, n, options, invalidate, drawn, extent]);

  useEffect(() => {
    material.uniforms.uTint.value = tinted(sprite, options.tint) ? 1 : 0;
    invalidate();
  }, [material, sprite, options.tint, invalidate]);

  useEffect(() => {
    material.uniforms.uHovered.value = hovered ?? -1;
    invalidate();
  }, [material, hovered, invalidate]);

  // useFrame runs just before this frame's render; the microtask runs once the render is done.
  useFrame(() => {
    const t = transition.current;
    if (t) {
      const t0 = performance.now();
      const attr = geometry.getAttribute('position') as THREE.BufferAttribute;
      const done = stepTransition(t, attr.array as Float32Array, performance.now());
      attr.needsUpdate = true;
      drawn.changed();
      if (done) {
        transition.current = null;
        drawnVersion.current = t.version;
      } else invalidate();
      drawn.lastGlideMs = performance.now() - t0;
    }
    const v = drawnVersion.current;
    if (v > useProjector.getState().renderedVersion) queueMicrotask(() => setState({ renderedVersion: v }));
  });

  // Drawn even without points: the first frame compiles the point shader while the data is still
  // loading, not in the frame that first shows the points.
  return <points geometry={geometry} material={material} frustumCulled={false} />;
}
