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
import { getState, useProjector } from '../state/store';
import { fitCamera } from './camera-fit';
import { bottomInset } from './overlays';
import { DrawnPoints } from './drawn-points';
import { PointCloud } from './PointCloud';
import { SelectionOverlay } from './SelectionOverlay';
import { ViewBridge } from './ViewBridge';

const FOV = 50;
/** Room at the edges of the first view: for the pictures' own size, and the panels over the canvas. */
const MARGIN = 1.12;

function CameraFit({ controls }: { controls: React.RefObject<OrbitControlsImpl | null> }) {
  const fitVersion = useProjector((s) => s.fitVersion);
  const { camera, size, invalidate, gl } = useThree();
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
    const layout = getState().layout ?? new Float32Array(0);
    // The cloud is fitted above the panel along the bottom, and centred there.
    const inset = Math.min(bottomInset(gl.domElement), size.height / 3);
    const free = size.height - inset;
    const tanV = Math.tan(THREE.MathUtils.degToRad(FOV / 2));
    const fit = fitCamera(layout, 2 * Math.atan((tanV * free) / size.height), size.width, free, MARGIN);
    const [cx, cz] = [fit.center[0], fit.center[2]];
    let cy = fit.center[1];
    if (camera instanceof THREE.OrthographicCamera) {
      camera.zoom = fit.zoom;
      cy -= inset / 2 / fit.zoom;
      camera.position.set(cx, cy, cz + 10);
    } else {
      cy -= (inset * fit.distance * tanV) / size.height;
      camera.position.set(cx, cy, cz + fit.distance);
    }
    camera.up.set(0, 1, 0);
    camera.lookAt(cx, cy, cz);
    (camera as THREE.PerspectiveCamera | THREE.OrthographicCamera).updateProjectionMatrix();
    controls.current?.target.set(cx, cy, cz);
    controls.current?.update();
    invalidate();
  }, [fitVersion, size.width, size.height, camera, controls, invalidate, gl]);
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
