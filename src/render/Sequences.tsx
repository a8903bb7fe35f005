/**
 * TF's sequences: a line from each point to the next of its sequence (`__seq_next__`), in the
 * point's colour, following the layout on screen.
 */
import { useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import * as THREE from 'three';
import { sequencePairs } from '../data/sequences';
import { NOT_PLACED } from '../reduce/sample';
import { coloringFor } from '../state/color-by';
import { useProjector } from '../state/store';

export function Sequences() {
  const dataset = useProjector((s) => s.dataset);
  const layout = useProjector((s) => s.layout);
  const colorColumn = useProjector((s) => s.colorColumn);
  const invalidate = useThree((s) => s.invalidate);
  const pairs = useMemo(() => (dataset ? sequencePairs(dataset.metadata, dataset.n) : new Int32Array(0)), [dataset]);
  const material = useMemo(() => new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.8 }), []);
  useEffect(() => () => material.dispose(), [material]);
  const geometry = useMemo(() => {
    if (!dataset || !layout || pairs.length === 0 || layout.length !== dataset.n * 3) return null;
    const colors = coloringFor(dataset.n, dataset.metadata?.columns[colorColumn] ?? null).colors;
    const pos = new Float32Array(pairs.length * 3);
    const col = new Float32Array(pairs.length * 3);
    let v = 0;
    for (let k = 0; k < pairs.length; k += 2) {
      const [a, b] = [pairs[k], pairs[k + 1]];
      if (!(Math.abs(layout[3 * a]) < NOT_PLACED) || !(Math.abs(layout[3 * b]) < NOT_PLACED)) continue;
      for (const i of [a, b]) {
        pos.set(layout.subarray(3 * i, 3 * i + 3), 3 * v);
        col.set(colors.subarray(3 * a, 3 * a + 3), 3 * v);
        v++;
      }
    }
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(pos.subarray(0, 3 * v), 3));
    g.setAttribute('color', new THREE.BufferAttribute(col.subarray(0, 3 * v), 3));
    return g;
  }, [dataset, layout, pairs, colorColumn]);
  useEffect(() => {
    invalidate();
    return () => geometry?.dispose();
  }, [geometry, invalidate]);
  if (!geometry) return null;
  return <lineSegments geometry={geometry} material={material} frustumCulled={false} />;
}
