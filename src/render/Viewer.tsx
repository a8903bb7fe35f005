/**
 * The view: a demand-driven canvas (no redraw while nothing moves), a perspective camera with
 * orbit controls in 3D and an orthographic top-down camera with pan/zoom only in 2D, a camera
 * fitted to each new layout, and the bridge that lets hover, clicks, selection shapes, labels
 * and scripts ask what is where.
 */
import { OrbitControls, OrthographicCamera, PerspectiveCamera } from '@react-three/drei';
import { Canvas, useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { getState, useProjector } from '../state/store';
import { NOT_PLACED } from '../reduce/sample';
import { fitCamera } from './camera-fit';
import { bottomInset } from './overlays';
import { DrawnPoints } from './drawn-points';
import { CameraLink } from './camera-link';
import { CompareView, MainCameraLink } from './CompareView';
import { PointCloud } from './PointCloud';
import { Sequences } from './Sequences';
import { Trails } from './Trails';
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
  const glide = useRef<{ start: number; from: CameraPose; to: CameraPose } | null>(null);
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
    glide.current = null;
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
      // Saved layouts (TF bookmarks) may be far larger than the unit sphere.
      (camera as THREE.PerspectiveCamera).far = Math.max(100, fit.distance * 10);
    }
    camera.up.set(0, 1, 0);
    camera.lookAt(cx, cy, cz);
    (camera as THREE.PerspectiveCamera | THREE.OrthographicCamera).updateProjectionMatrix();
    controls.current?.target.set(cx, cy, cz);
    controls.current?.update();
    invalidate();
  }, [fitVersion, size.width, size.height, camera, controls, invalidate, gl]);

  // Focus: glide to frame a point and its neighbours, keeping the direction the camera looks from.
  const focus = useProjector((s) => s.focus);
  useEffect(() => {
    const layout = getState().layout;
    const c = controls.current;
    if (!focus || !layout || !c) return;
    const pts: number[] = [];
    for (const i of focus.indices) if (Math.abs(layout[3 * i]) < NOT_PLACED) pts.push(layout[3 * i], layout[3 * i + 1], layout[3 * i + 2]);
    if (pts.length === 0) return;
    touched.current = true;
    const to = focusPose(camera, c.target, Float32Array.from(pts), size.width, size.height);
    glide.current = { start: performance.now(), from: poseOf(camera, c.target), to };
    invalidate();
  }, [focus, camera, controls, size.width, size.height, invalidate]);
  useFrame(() => {
    const g = glide.current;
    const c = controls.current;
    if (!g || !c) return;
    const f = Math.min(1, (performance.now() - g.start) / FOCUS_MS);
    const e = f * f * (3 - 2 * f);
    camera.position.lerpVectors(g.from.position, g.to.position, e);
    c.target.lerpVectors(g.from.target, g.to.target, e);
    if (camera instanceof THREE.OrthographicCamera) {
      camera.zoom = g.from.zoom + (g.to.zoom - g.from.zoom) * e;
      camera.updateProjectionMatrix();
    }
    camera.lookAt(c.target);
    c.update();
    if (f >= 1) glide.current = null;
    else invalidate();
  });
  return null;
}

const FOCUS_MS = 450;

interface CameraPose {
  position: THREE.Vector3;
  target: THREE.Vector3;
  zoom: number;
}

const poseOf = (camera: THREE.Camera, target: THREE.Vector3): CameraPose => ({
  position: camera.position.clone(),
  target: target.clone(),
  zoom: camera instanceof THREE.OrthographicCamera ? camera.zoom : 1,
});

/**
 * Centres the first point, near enough that the rest (its neighbours) fit around it, seen from
 * where the camera looks now.
 */
function focusPose(camera: THREE.Camera, target: THREE.Vector3, pts: Float32Array, width: number, height: number): CameraPose {
  const centre = new THREE.Vector3(pts[0], pts[1], pts[2]);
  let far = 0;
  for (let k = 3; k < pts.length; k += 3) far = Math.max(far, Math.hypot(pts[k] - pts[0], pts[k + 1] - pts[1], pts[k + 2] - pts[2]));
  // Neighbours in the original space may be scattered in the layout: never zoom out past the cloud.
  const radius = Math.min(Math.max(far, 0.03), 0.6);
  if (camera instanceof THREE.OrthographicCamera) {
    const position = camera.position.clone().sub(target).add(centre);
    return { position, target: centre, zoom: Math.min(width, height) / (2 * radius * 1.3) };
  }
  const vHalf = THREE.MathUtils.degToRad(FOV / 2);
  const hHalf = Math.atan(Math.tan(vHalf) * (width / height));
  const distance = (radius * 1.3) / Math.sin(Math.min(vHalf, hHalf));
  const dir = camera.position.clone().sub(target).normalize();
  return { position: centre.clone().addScaledVector(dir, distance), target: centre, zoom: 1 };
}

export function Viewer() {
  const controls = useRef<OrbitControlsImpl | null>(null);
  const dim = useProjector((s) => s.projection.dim);
  const drawn = useMemo(() => new DrawnPoints(), []);
  const link = useMemo(() => new CameraLink(), []);
  const comparing = useProjector((s) => s.compare !== null);
  const [labelLayer, setLabelLayer] = useState<HTMLDivElement | null>(null);
  return (
    <>
    <div className={comparing ? 'viewer split' : 'viewer'}>
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
        <Trails />
        <Sequences />
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
        <MainCameraLink link={link} controls={controls} />
      </Canvas>
      <div className="label-layer" ref={setLabelLayer} />
      <SelectionOverlay />
    </div>
    <CompareView drawn={drawn} link={link} fov={FOV} />
    </>
  );
}
