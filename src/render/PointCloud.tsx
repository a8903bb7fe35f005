/**
 * The point cloud: typed attribute buffers in, one THREE.Points draw call out. New layouts are
 * written into the existing position buffer; the geometry is rebuilt only when N changes.
 */
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import * as THREE from 'three';
import { NOT_PLACED } from '../reduce/sample';
import { coloringFor } from '../state/color-by';
import { setState, useProjector } from '../state/store';
import { createPointMaterial, MAX_POINT_PX, pointWorldSize } from './point-shader';
import { spriteTexture } from './sprite-texture';

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

function indexAttribute(n: number): THREE.BufferAttribute {
  const idx = new Float32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return new THREE.BufferAttribute(idx, 1);
}

export function PointCloud() {
  const dataset = useProjector((s) => s.dataset);
  const colorColumn = useProjector((s) => s.colorColumn);
  const hovered = useProjector((s) => s.hovered);
  const { gl, size, invalidate } = useThree();
  const material = useMemo(createPointMaterial, []);
  const n = dataset?.n ?? 0;

  const geometry = useMemo(() => {
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(new Float32Array(n * 3), 3));
    g.setAttribute('color', new THREE.BufferAttribute(new Float32Array(n * 3), 3));
    g.setAttribute('pointIndex', indexAttribute(n));
    return g;
  }, [n]);
  useEffect(() => () => geometry.dispose(), [geometry]);
  useEffect(() => () => material.dispose(), [material]);

  const drawnVersion = useRef(0);
  const transition = useRef<Transition | null>(null);
  const filled = useRef(new WeakSet<THREE.BufferGeometry>());
  // Layouts stream in many times a second: they go straight into the buffer through a store
  // subscription, without re-rendering this component.
  useEffect(() => {
    const place = (layout: Float32Array | null, layoutVersion: number) => {
      if (!layout || layout.length !== n * 3) return;
      const attr = geometry.getAttribute('position') as THREE.BufferAttribute;
      const shown = attr.array as Float32Array;
      // Points never move outside the unit sphere; a fixed bound spares a pass over the buffer.
      geometry.boundingSphere = new THREE.Sphere(new THREE.Vector3(), 1.5);
      if (filled.current.has(geometry)) {
        // Glide from wherever the points are now (mid-way through the last glide, perhaps).
        transition.current = { from: shown.slice(), to: layout, start: performance.now(), version: layoutVersion };
      } else {
        shown.set(layout);
        attr.needsUpdate = true;
        filled.current.add(geometry);
        transition.current = null;
        drawnVersion.current = layoutVersion;
      }
      invalidate();
    };
    const { layout, layoutVersion } = useProjector.getState();
    place(layout, layoutVersion);
    return useProjector.subscribe((s, prev) => {
      if (s.layoutVersion !== prev.layoutVersion) place(s.layout, s.layoutVersion);
    });
  }, [geometry, n, invalidate]);

  useEffect(() => {
    const column = dataset?.metadata?.columns[colorColumn] ?? null;
    const attr = geometry.getAttribute('color') as THREE.BufferAttribute;
    (attr.array as Float32Array).set(coloringFor(n, column).colors);
    attr.needsUpdate = true;
    invalidate();
  }, [geometry, dataset, colorColumn, n, invalidate]);

  const sprite = dataset?.sprite ?? null;
  useEffect(() => {
    const u = material.uniforms;
    if (!sprite) {
      u.uHasSprite.value = 0;
      u.uAtlas.value = null;
      invalidate();
      return;
    }
    const tex = spriteTexture(sprite);
    const g = sprite.geometry;
    u.uAtlas.value = tex;
    u.uHasSprite.value = 1;
    u.uColumns.value = g.columns;
    u.uCellUv.value.set(g.cellWidth / g.imageWidth, g.cellHeight / g.imageHeight);
    invalidate();
    return () => tex.dispose();
  }, [material, sprite, invalidate]);

  useEffect(() => {
    const range = gl.getContext().getParameter(gl.getContext().ALIASED_POINT_SIZE_RANGE) as Float32Array | null;
    material.uniforms.uMaxPx.value = Math.min(MAX_POINT_PX, range?.[1] ?? MAX_POINT_PX);
    material.uniforms.uViewportHeight.value = size.height * gl.getPixelRatio();
    material.uniforms.uWorldSize.value = pointWorldSize(n);
    invalidate();
  }, [material, gl, size.height, n, invalidate]);

  useEffect(() => {
    material.uniforms.uHovered.value = hovered ?? -1;
    invalidate();
  }, [material, hovered, invalidate]);

  // useFrame runs just before this frame's render; the microtask runs once the render is done.
  useFrame(() => {
    const t = transition.current;
    if (t) {
      const attr = geometry.getAttribute('position') as THREE.BufferAttribute;
      const done = stepTransition(t, attr.array as Float32Array, performance.now());
      attr.needsUpdate = true;
      if (done) {
        transition.current = null;
        drawnVersion.current = t.version;
      } else invalidate();
    }
    const v = drawnVersion.current;
    if (v > useProjector.getState().renderedVersion) queueMicrotask(() => setState({ renderedVersion: v }));
  });

  if (n === 0) return null;
  return <points geometry={geometry} material={material} frustumCulled={false} />;
}
