/**
 * The view: a demand-driven canvas (no redraw while nothing moves), a perspective camera with
 * orbit controls in 3D and an orthographic top-down camera with pan/zoom only in 2D, a camera
 * fitted to each new layout, and the bridge that lets hover, clicks, selection shapes, labels
 * and scripts ask what is where.
 */
import { OrbitControls, OrthographicCamera, PerspectiveCamera } from '@react-three/drei';
import { Canvas, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { useProjector } from '../state/store';
import { DrawnPoints } from './drawn-points';
import { PointCloud } from './PointCloud';
import { SelectionOverlay } from './SelectionOverlay';
import { ViewBridge } from './ViewBridge';

const FOV = 50;
/** The unit-radius cloud fills the narrower side of the view with this much margin. */
const MARGIN = 1.08;

/** Distance at which a unit sphere fills the narrower side of the view, with a margin. */
export function fitDistance(aspect: number): number {
  const vHalf = THREE.MathUtils.degToRad(FOV / 2);
  const hHalf = Math.atan(Math.tan(vHalf) * aspect);
  return MARGIN / Math.sin(Math.min(vHalf, hHalf));
}

function CameraFit({ controls }: { controls: React.RefObject<OrbitControlsImpl | null> }) {
  const fitVersion = useProjector((s) => s.fitVersion);
  const { camera, size, invalidate } = useThree();
  // Once the user has moved the view, resizing keeps it; until then the fit follows the canvas
  // (which starts at a default size before its container is measured).
  const touched = useRef(false);
  const last = useRef<{ fit: number; camera: THREE.Camera | null }>({ fit: 0, camera: null });
  useEffect(() => {
    const c = controls.current;
    if (!c) return;
    const onStart = () => (touched.current = true);
    c.addEventListener('start', onStart);
    return () => c.removeEventListener('start', onStart);
  });
  useEffect(() => {
    if (fitVersion === 0) return;
    const fresh = fitVersion !== last.current.fit || camera !== last.current.camera;
    if (!fresh && touched.current) return;
    if (fresh) touched.current = false;
    last.current = { fit: fitVersion, camera };
    if (camera instanceof THREE.OrthographicCamera) {
      camera.position.set(0, 0, 10);
      camera.zoom = Math.min(size.width, size.height) / (2 * MARGIN);
    } else {
      camera.position.set(0, 0, fitDistance(size.width / size.height));
    }
    camera.up.set(0, 1, 0);
    camera.lookAt(0, 0, 0);
    (camera as THREE.PerspectiveCamera | THREE.OrthographicCamera).updateProjectionMatrix();
    controls.current?.target.set(0, 0, 0);
    controls.current?.update();
    invalidate();
  }, [fitVersion, size.width, size.height, camera, controls, invalidate]);
  return null;
}

export function Viewer() {
  const controls = useRef<OrbitControlsImpl | null>(null);
  const dim = useProjector((s) => s.projection.dim);
  const drawn = useMemo(() => new DrawnPoints(), []);
  const [labelLayer, setLabelLayer] = useState<HTMLDivElement | null>(null);
  return (
    <div className="viewer">
      <Canvas
        frameloop="demand"
        flat
        dpr={[1, 2]}
        gl={{ antialias: false, preserveDrawingBuffer: true }}
        data-testid="canvas"
      >
        {dim === 3 ? (
          <PerspectiveCamera makeDefault fov={FOV} near={0.01} far={100} position={[0, 0, 3]} />
        ) : (
          <OrthographicCamera makeDefault near={0.1} far={100} position={[0, 0, 10]} zoom={200} />
        )}
        <PointCloud drawn={drawn} />
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
        <ViewBridge drawn={drawn} controls={controls} labelLayer={labelLayer} />
      </Canvas>
      <div className="label-layer" ref={setLabelLayer} />
      <SelectionOverlay />
    </div>
  );
}
