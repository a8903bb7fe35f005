/**
 * The side-by-side view: a second canvas drawing another title's layout with the main view's
 * material and per-point buffers (colours, pictures, selection, hover are the same objects, so
 * they always agree), a camera linked to the main one, and its own hover and click picking.
 */
import { OrbitControls, OrthographicCamera, PerspectiveCamera } from '@react-three/drei';
import { Canvas, useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import * as THREE from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { clearSelection, select, setHovered } from '../state/actions';
import { useProjector } from '../state/store';
import { viewMoved } from '../state/view-state';
import type { CameraLink } from './camera-link';
import { DrawnPoints } from './drawn-points';
import { ViewPicker } from './view-picker';

const CLICK_SLOP = 4;

function SecondPoints({ drawn, link }: { drawn: DrawnPoints; link: CameraLink }) {
  const compare = useProjector((s) => s.compare);
  const n = useProjector((s) => s.dataset?.n ?? 0);
  const { camera, gl, get, invalidate } = useThree();
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const mine = useMemo(() => new DrawnPoints(), []);

  const geometry = useMemo(() => {
    const main = drawn.geometry;
    if (!compare || !main || compare.layout.length !== n * 3) return null;
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(compare.layout.slice(), 3));
    // The main view's buffers: one upload per canvas, the same colours, pictures and flags.
    for (const name of ['color', 'pointIndex', 'pointState']) g.setAttribute(name, main.getAttribute(name));
    g.boundingSphere = new THREE.Sphere(new THREE.Vector3(), 1.5);
    return g;
  }, [compare, drawn, n]);
  useEffect(() => () => geometry?.dispose(), [geometry]);

  // Whatever the main view changes (colours, selection, hover, sizes), this view redraws too.
  useEffect(() => useProjector.subscribe(() => invalidate()), [invalidate]);

  useEffect(() => {
    if (!controls) return;
    link.second = { camera, target: controls.target, invalidate };
    const onChange = () => link.fromSecond();
    controls.addEventListener('change', onChange);
    link.fromMain();
    return () => {
      controls.removeEventListener('change', onChange);
      link.second = null;
    };
  }, [camera, controls, link, invalidate]);

  // Hover and clicks here name the same points as in the main view.
  const picker = useMemo(
    () =>
      new ViewPicker(() => {
        const { camera, gl, size } = get();
        mine.n = drawn.n;
        mine.positions = (geometry?.getAttribute('position').array as Float32Array | undefined) ?? new Float32Array(0);
        mine.flags = drawn.flags;
        mine.sizing = drawn.sizing;
        mine.version = drawn.version * 1_000_003 + (compare?.version ?? 0);
        return { drawn: mine, camera, renderer: gl, width: size.width, height: size.height };
      }),
    [get, drawn, mine, geometry, compare],
  );
  useEffect(() => () => picker.dispose(), [picker]);
  const down = useRef<{ x: number; y: number } | null>(null);
  useEffect(() => {
    const el = gl.domElement;
    const at = (e: PointerEvent) => {
      const r = el.getBoundingClientRect();
      return picker.pick(e.clientX - r.left, e.clientY - r.top).index;
    };
    const onMove = (e: PointerEvent) => setHovered(e.buttons === 0 ? at(e) : null);
    const onLeave = () => setHovered(null);
    const onDown = (e: PointerEvent) => (down.current = e.button === 0 ? { x: e.clientX, y: e.clientY } : null);
    const onUp = (e: PointerEvent) => {
      const d = down.current;
      down.current = null;
      if (!d || Math.hypot(e.clientX - d.x, e.clientY - d.y) > CLICK_SLOP) return;
      const hit = at(e);
      if (hit != null) select([hit]);
      else clearSelection();
    };
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerleave', onLeave);
    el.addEventListener('pointerdown', onDown);
    el.addEventListener('pointerup', onUp);
    return () => {
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerleave', onLeave);
      el.removeEventListener('pointerdown', onDown);
      el.removeEventListener('pointerup', onUp);
    };
  }, [gl, picker]);

  if (!geometry || !drawn.material) return null;
  return <points geometry={geometry} material={drawn.material} frustumCulled={false} />;
}

/** Registers the main view's camera with the link, and pushes every pose it renders. */
export function MainCameraLink({ link, controls }: { link: CameraLink; controls: React.RefObject<OrbitControlsImpl | null> }) {
  const { camera, invalidate } = useThree();
  useEffect(() => {
    const c = controls.current;
    if (!c) return;
    link.main = { camera, target: c.target, invalidate, update: () => c.update() };
    return () => {
      link.main = null;
    };
  });
  useFrame(() => {
    link.fromMain();
    // The address bar follows the camera too.
    viewMoved();
  });
  return null;
}

export function CompareView({ drawn, link, fov }: { drawn: DrawnPoints; link: CameraLink; fov: number }) {
  const title = useProjector((s) => s.compare?.title ?? null);
  const dim = useProjector((s) => s.projection.dim);
  if (!title) return null;
  return (
    <div className="compare-viewer" data-testid="compare-view">
      <div className="compare-title" data-testid="compare-title">{title}</div>
      <Canvas frameloop="demand" flat dpr={[1, 2]} gl={{ antialias: false, preserveDrawingBuffer: true }}>
        {dim === 3 ? (
          <PerspectiveCamera makeDefault fov={fov} near={0.01} far={100} position={[0, 0, 3]} />
        ) : (
          <OrthographicCamera makeDefault near={0.1} far={100} position={[0, 0, 10]} zoom={200} />
        )}
        <SecondPoints drawn={drawn} link={link} />
        <OrbitControls
          makeDefault
          enableDamping={false}
          enableRotate={dim === 3}
          mouseButtons={dim === 3 ? undefined : { LEFT: THREE.MOUSE.PAN, MIDDLE: THREE.MOUSE.DOLLY, RIGHT: THREE.MOUSE.PAN }}
          screenSpacePanning
        />
      </Canvas>
    </div>
  );
}
