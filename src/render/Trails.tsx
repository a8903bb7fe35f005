/**
 * Trails: each selected point's path through its positions in every title of the group, in its
 * colour, fading toward the earlier titles. One LineSegments draw call.
 */
import { useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import * as THREE from 'three';
import { NOT_PLACED } from '../reduce/sample';
import { coloringFor } from '../state/color-by';
import { useProjector } from '../state/store';

/** Trails for more points than this would draw a thicket, not paths. */
export const MAX_TRAILS = 5000;

const material = () =>
  new THREE.ShaderMaterial({
    vertexShader: /* glsl */ `
      attribute vec4 rgba;
      varying vec4 vRgba;
      void main() {
        vRgba = rgba;
        gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
      }`,
    fragmentShader: /* glsl */ `
      varying vec4 vRgba;
      void main() { gl_FragColor = vRgba; }`,
    transparent: true,
    depthWrite: false,
  });

export function Trails() {
  const layouts = useProjector((s) => s.trailLayouts);
  const on = useProjector((s) => s.viewOptions.trails);
  const selected = useProjector((s) => s.selected);
  const dataset = useProjector((s) => s.dataset);
  const colorColumn = useProjector((s) => s.colorColumn);
  const invalidate = useThree((s) => s.invalidate);
  const mat = useMemo(material, []);
  useEffect(() => () => mat.dispose(), [mat]);

  const geometry = useMemo(() => {
    if (!on || !layouts || layouts.length < 2 || !dataset || selected.length === 0) return null;
    const colors = coloringFor(dataset.n, dataset.metadata?.columns[colorColumn] ?? null).colors;
    const points = selected.subarray(0, MAX_TRAILS);
    const steps = layouts.length - 1;
    const pos = new Float32Array(points.length * steps * 6);
    const rgba = new Float32Array(points.length * steps * 8);
    let v = 0;
    for (const i of points) {
      for (let t = 0; t < steps; t++) {
        const a = layouts[t];
        const b = layouts[t + 1];
        if (Math.abs(a[3 * i]) >= NOT_PLACED || Math.abs(b[3 * i]) >= NOT_PLACED) continue;
        for (const [layout, title] of [[a, t], [b, t + 1]] as const) {
          pos.set(layout.subarray(3 * i, 3 * i + 3), 3 * v);
          rgba.set([colors[3 * i], colors[3 * i + 1], colors[3 * i + 2], 0.15 + (0.85 * title) / steps], 4 * v);
          v++;
        }
      }
    }
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(pos.subarray(0, 3 * v), 3));
    g.setAttribute('rgba', new THREE.BufferAttribute(rgba.subarray(0, 4 * v), 4));
    return g;
  }, [on, layouts, dataset, selected, colorColumn]);
  useEffect(() => {
    invalidate();
    return () => geometry?.dispose();
  }, [geometry, invalidate]);

  if (!geometry) return null;
  return <lineSegments geometry={geometry} material={mat} frustumCulled={false} />;
}
