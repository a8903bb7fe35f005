/**
 * Connects the mounted view to the store and to scripts: screen positions, hover picking, click
 * and shift-click selection, Escape, selection shapes, and the measurements of
 * view-measurements.ts.
 */
import { useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import * as THREE from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { addToSelection, clearSelection, select, setHovered } from '../state/actions';
import { HIDDEN } from '../state/point-flags';
import { focusOn, inspect } from '../state/queries';
import { getState, setState, type SelectShape, type ViewApi } from '../state/store';
import { setViewHandle } from '../state/view-handle';
import type { DrawnPoints } from './drawn-points';
import { Labels, type ShownLabels } from './Labels';
import { projectPoint } from './picking';
import { NOT_PLACED } from '../reduce/sample';
import { exportPng } from './export-png';
import { measureLayoutUpdate, measureOrbit, memoryReport } from './view-measurements';
import { ViewPicker } from './view-picker';
import { prepareAtlas } from './sprite-texture';

/** A press that moves less than this many px is a click, not a drag of the view. */
const CLICK_SLOP = 4;

interface Props {
  drawn: DrawnPoints;
  controls: React.RefObject<OrbitControlsImpl | null>;
  labelLayer: HTMLDivElement | null;
}

export function ViewBridge({ drawn, controls, labelLayer }: Props) {
  const get = useThree((s) => s.get);
  const picker = useMemo(
    () =>
      new ViewPicker(() => {
        const { camera, gl, size } = get();
        return { drawn, camera, renderer: gl, width: size.width, height: size.height };
      }),
    [get, drawn],
  );
  useEffect(() => () => picker.dispose(), [picker]);
  const shown = useMemo<ShownLabels>(() => ({ labels: [], placeMs: 0 }), []);

  useEffect(() => {
    const el = get().gl.domElement;
    const local = (clientX: number, clientY: number) => {
      const rect = el.getBoundingClientRect();
      return { x: clientX - rect.left, y: clientY - rect.top, rect };
    };
    const view: ViewApi = {
      screenPosition(i) {
        const { camera } = get();
        if (i < 0 || i >= drawn.n || (drawn.flags && drawn.flags[i] & HIDDEN)) return null;
        const p3 = drawn.positions.subarray(3 * i, 3 * i + 3);
        if (Math.abs(p3[0]) >= NOT_PLACED) return null;
        camera.updateMatrixWorld();
        const m = new THREE.Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse).elements;
        const rect = el.getBoundingClientRect();
        const p = projectPoint(m, p3[0], p3[1], p3[2], rect.width, rect.height);
        if (!p || p.depth < -1 || p.depth > 1 || p.x < 0 || p.y < 0 || p.x > rect.width || p.y > rect.height) return null;
        return { x: rect.left + p.x, y: rect.top + p.y };
      },
      pickAt(clientX, clientY, strategy) {
        const { x, y } = local(clientX, clientY);
        return picker.pick(x, y, strategy);
      },
      pointsIn(shape: SelectShape) {
        const { index } = picker.screenIndex();
        const { left, top, width, height } = el.getBoundingClientRect();
        const found =
          shape.kind === 'rect'
            ? index.inRect(shape.x0 - left, shape.y0 - top, shape.x1 - left, shape.y1 - top)
            : index.inPolygon(shape.points.map((v, k) => v - (k % 2 === 0 ? left : top)));
        // A shape dragged past the canvas edge selects what it covers on screen, not points out of sight.
        const { x, y } = picker.screenPoints().points;
        return found.filter((i) => x[i] >= 0 && y[i] >= 0 && x[i] <= width && y[i] <= height);
      },
      invalidatePicking: () => picker.invalidate(),
      measureOrbit: (frames) => measureOrbit(get(), controls.current?.target ?? new THREE.Vector3(), frames),
      measureLayoutUpdate: () => measureLayoutUpdate(get(), drawn),
      memory: () => memoryReport(drawn, picker),
      labels: () => shown.labels.map((l) => ({ ...l })),
      camera: () => {
        const { camera } = get();
        const t = controls.current?.target ?? new THREE.Vector3();
        const v = (x: THREE.Vector3) => [x.x, x.y, x.z] as [number, number, number];
        return { orthographic: camera instanceof THREE.OrthographicCamera, position: v(camera.position), target: v(t), up: v(camera.up), zoom: camera.zoom };
      },
      setCamera: (pose) => {
        const { camera, invalidate } = get();
        const c = controls.current;
        camera.position.set(...pose.position);
        camera.up.set(...pose.up);
        if (camera instanceof THREE.OrthographicCamera || camera instanceof THREE.PerspectiveCamera) {
          camera.zoom = pose.zoom;
          camera.updateProjectionMatrix();
        }
        camera.lookAt(...pose.target);
        if (c) {
          c.target.set(...pose.target);
          // As a user's move: the first fit no longer follows the canvas size.
          c.dispatchEvent({ type: 'start', target: c } as never);
          c.update();
          c.dispatchEvent({ type: 'end', target: c } as never);
        }
        invalidate();
      },
      exportPng: (scale, legend) => exportPng(get(), scale, legend),
      labelPlacementMs: () => shown.placeMs,
      prepareSprite: (sprite, n) => prepareAtlas(get().gl, sprite, n),
    };
    setViewHandle(view);

    let frame = 0;
    const onMove = (e: PointerEvent) => {
      cancelAnimationFrame(frame);
      // While a button is down the view is being dragged: no tooltip, and no re-indexing the
      // points on every move of the camera.
      if (e.buttons !== 0) return setHovered(null);
      const { clientX, clientY } = e;
      frame = requestAnimationFrame(() => setHovered(view.pickAt(clientX, clientY).index));
    };
    const onLeave = () => {
      cancelAnimationFrame(frame);
      setHovered(null);
    };
    let down: { x: number; y: number } | null = null;
    const onDown = (e: PointerEvent) => {
      down = e.button === 0 ? { x: e.clientX, y: e.clientY } : null;
    };
    const onUp = (e: PointerEvent) => {
      if (!down || Math.hypot(e.clientX - down.x, e.clientY - down.y) > CLICK_SLOP) return;
      down = null;
      const hit = view.pickAt(e.clientX, e.clientY).index;
      const settle = (p: Promise<void>) => p.catch(() => undefined); // the inspector shows its own errors
      if (hit != null) {
        (e.shiftKey ? addToSelection : select)([hit]);
        // A click inspects the point: its neighbours in the original space.
        if (!e.shiftKey) settle(inspect(hit));
      } else if (!e.shiftKey) {
        clearSelection();
        settle(inspect(null));
      }
    };
    const onDoubleClick = (e: MouseEvent) => {
      const hit = view.pickAt(e.clientX, e.clientY).index;
      if (hit != null) focusOn(hit);
    };
    // The GPU can drop the context (driver reset, too many tabs): say so, and when it comes back
    // three.js uploads the buffers and pictures again; the layout and camera never left.
    const LOST = 'The GPU reset the view: it comes back by itself once the GPU is available again.';
    const onLost = (e: Event) => {
      e.preventDefault();
      setState({ error: LOST });
    };
    const onRestored = () => {
      if (getState().error === LOST) setState({ error: null });
      drawn.changed();
      picker.invalidate();
      get().invalidate();
    };
    el.addEventListener('webglcontextlost', onLost);
    el.addEventListener('webglcontextrestored', onRestored);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') clearSelection();
    };
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerleave', onLeave);
    el.addEventListener('pointerdown', onDown);
    el.addEventListener('pointerup', onUp);
    el.addEventListener('dblclick', onDoubleClick);
    window.addEventListener('keydown', onKey);
    return () => {
      cancelAnimationFrame(frame);
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerleave', onLeave);
      el.removeEventListener('pointerdown', onDown);
      el.removeEventListener('pointerup', onUp);
      el.removeEventListener('dblclick', onDoubleClick);
      el.removeEventListener('webglcontextlost', onLost);
      el.removeEventListener('webglcontextrestored', onRestored);
      window.removeEventListener('keydown', onKey);
      setViewHandle(null);
    };
  }, [get, drawn, picker, controls, shown]);

  return labelLayer ? <Labels drawn={drawn} picker={picker} layer={labelLayer} shown={shown} /> : null;
}
