/**
 * The 3D view: a demand-driven canvas (no redraw while nothing moves), orbit controls in 3D,
 * pan/zoom only in 2D, a camera fitted to each new layout, and hover picking.
 */
import { OrbitControls } from '@react-three/drei';
import { Canvas, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import * as THREE from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { setHovered } from '../state/actions';
import { getState, setState, useProjector } from '../state/store';
import { pickPoint, projectPoint } from './picking';
import { MAX_POINT_PX, pointWorldSize } from './point-shader';
import { PointCloud } from './PointCloud';

const FOV = 50;

/** Distance at which a unit sphere fills the narrower side of the view, with a margin. */
function fitDistance(aspect: number): number {
  const vHalf = THREE.MathUtils.degToRad(FOV / 2);
  const hHalf = Math.atan(Math.tan(vHalf) * aspect);
  return 1.08 / Math.sin(Math.min(vHalf, hHalf));
}

function CameraFit({ controls }: { controls: React.RefObject<OrbitControlsImpl | null> }) {
  const fitVersion = useProjector((s) => s.fitVersion);
  const { camera, size, invalidate } = useThree();
  // Once the user has moved the view, resizing keeps it; until then the fit follows the canvas
  // (which starts at a default size before its container is measured).
  const touched = useRef(false);
  const lastFit = useRef(0);
  useEffect(() => {
    const c = controls.current;
    if (!c) return;
    const onStart = () => (touched.current = true);
    c.addEventListener('start', onStart);
    return () => c.removeEventListener('start', onStart);
  });
  useEffect(() => {
    if (fitVersion === 0) return;
    if (fitVersion === lastFit.current && touched.current) return;
    if (fitVersion !== lastFit.current) touched.current = false;
    lastFit.current = fitVersion;
    camera.position.set(0, 0, fitDistance(size.width / size.height));
    camera.up.set(0, 1, 0);
    camera.lookAt(0, 0, 0);
    controls.current?.target.set(0, 0, 0);
    controls.current?.update();
    invalidate();
  }, [fitVersion, size.width, size.height, camera, controls, invalidate]);
  return null;
}

/** Lets the store (and window.projector) ask where a point is on the page, and picks on hover. */
function ViewBridge() {
  const { camera, gl, size } = useThree();
  useEffect(() => {
    const el = gl.domElement;
    const viewOf = () => {
      camera.updateMatrixWorld();
      const m = new THREE.Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
      return m.elements;
    };
    setState({
      view: {
        screenPosition(i) {
          const { layout, dataset } = getState();
          if (!layout || !dataset || i < 0 || i >= dataset.n) return null;
          const rect = el.getBoundingClientRect();
          const p = projectPoint(viewOf(), layout[3 * i], layout[3 * i + 1], layout[3 * i + 2], rect.width, rect.height);
          if (!p || p.depth < -1 || p.depth > 1 || p.x < 0 || p.y < 0 || p.x > rect.width || p.y > rect.height) return null;
          return { x: rect.left + p.x, y: rect.top + p.y };
        },
      },
    });
    let frame = 0;
    const onMove = (e: PointerEvent) => {
      cancelAnimationFrame(frame);
      const { clientX, clientY } = e;
      frame = requestAnimationFrame(() => {
        const { layout, dataset } = getState();
        if (!layout || !dataset) return setHovered(null);
        const rect = el.getBoundingClientRect();
        const hit = pickPoint(
          layout,
          dataset.n,
          {
            viewProjection: viewOf(),
            focal: camera.projectionMatrix.elements[5],
            width: rect.width,
            height: rect.height,
            worldSize: pointWorldSize(dataset.n),
            maxPx: MAX_POINT_PX / gl.getPixelRatio(),
            round: !dataset.sprite,
          },
          clientX - rect.left,
          clientY - rect.top,
        );
        setHovered(hit);
      });
    };
    const onLeave = () => {
      cancelAnimationFrame(frame);
      setHovered(null);
    };
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerleave', onLeave);
    return () => {
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerleave', onLeave);
      setState({ view: null });
    };
  }, [camera, gl, size]);
  return null;
}

export function Viewer() {
  const controls = useRef<OrbitControlsImpl | null>(null);
  const dim = useProjector((s) => s.projection.dim);
  return (
    <Canvas
      frameloop="demand"
      flat
      dpr={[1, 2]}
      camera={{ fov: FOV, near: 0.01, far: 100, position: [0, 0, 3] }}
      gl={{ antialias: false, preserveDrawingBuffer: true }}
      data-testid="canvas"
    >
      <PointCloud />
      <OrbitControls
        ref={controls}
        makeDefault
        enableDamping={false}
        enableRotate={dim === 3}
        // 2D is a map: the left button pans.
        mouseButtons={dim === 3 ? undefined : { LEFT: THREE.MOUSE.PAN, MIDDLE: THREE.MOUSE.DOLLY, RIGHT: THREE.MOUSE.PAN }}
        screenSpacePanning
      />
      <CameraFit controls={controls} />
      <ViewBridge />
    </Canvas>
  );
}
