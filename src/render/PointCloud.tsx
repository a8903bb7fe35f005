/**
 * The point cloud: typed attribute buffers in, one THREE.Points draw call out. New layouts are
 * written into the existing position buffer; the geometry is rebuilt only when N changes.
 */
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import * as THREE from 'three';
import { coloringFor } from '../state/color-by';
import { setState, useProjector } from '../state/store';
import { createPointMaterial, MAX_POINT_PX, pointWorldSize } from './point-shader';
import { spriteTexture } from './sprite-texture';

function indexAttribute(n: number): THREE.BufferAttribute {
  const idx = new Float32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return new THREE.BufferAttribute(idx, 1);
}

export function PointCloud() {
  const dataset = useProjector((s) => s.dataset);
  const layout = useProjector((s) => s.layout);
  const layoutVersion = useProjector((s) => s.layoutVersion);
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
  useEffect(() => {
    if (!layout || layout.length !== n * 3) return;
    const attr = geometry.getAttribute('position') as THREE.BufferAttribute;
    (attr.array as Float32Array).set(layout);
    attr.needsUpdate = true;
    // Points never move outside the unit sphere; a fixed bound spares a pass over the buffer.
    geometry.boundingSphere = new THREE.Sphere(new THREE.Vector3(), 1.5);
    drawnVersion.current = layoutVersion;
    invalidate();
  }, [geometry, layout, layoutVersion, n, invalidate]);

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
    const v = drawnVersion.current;
    if (v > useProjector.getState().renderedVersion) queueMicrotask(() => setState({ renderedVersion: v }));
  });

  if (n === 0) return null;
  return <points geometry={geometry} material={material} frustumCulled={false} />;
}
