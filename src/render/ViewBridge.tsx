/**
 * Connects the mounted view to the store and to scripts: screen positions, hover picking, click
 * and shift-click selection, Escape, selection shapes, and the measurements `npm run bench`
 * takes in the browser (orbit frame time, layout update cost, memory).
 */
import { useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import * as THREE from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { addToSelection, clearSelection, select, setHovered } from '../state/actions';
import { HIDDEN } from '../state/point-flags';
import { getState, setState, type LayoutUpdateTiming, type SelectShape, type ViewApi } from '../state/store';
import type { DrawnPoints } from './drawn-points';
import { Labels } from './Labels';
import { projectPoint } from './picking';
import { NOT_PLACED } from '../reduce/sample';
import { ViewPicker } from './view-picker';

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
        return { drawn, camera, renderer: gl, material: drawn.material, geometry: drawn.geometry, width: size.width, height: size.height };
      }),
    [get, drawn],
  );
  useEffect(() => () => picker.dispose(), [picker]);

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
      measureOrbit(frames) {
        const { camera, advance, gl } = get();
        const target = controls.current?.target ?? new THREE.Vector3();
        const ctx = gl.getContext();
        const pixel = new Uint8Array(4);
        const step = new THREE.Quaternion().setFromAxisAngle(new THREE.Vector3(0, 1, 0), (2 * Math.PI) / frames);
        const times: number[] = [];
        for (let k = 0; k < frames; k++) {
          const t0 = performance.now();
          camera.position.sub(target).applyQuaternion(step).add(target);
          camera.lookAt(target);
          advance(performance.now());
          // Reading a pixel waits for the GPU (SwiftShader: the CPU) to finish the frame.
          ctx.readPixels(0, 0, 1, 1, ctx.RGBA, ctx.UNSIGNED_BYTE, pixel);
          times.push(performance.now() - t0);
        }
        return times;
      },
      async measureLayoutUpdate(): Promise<LayoutUpdateTiming> {
        const { advance, gl } = get();
        const ctx = gl.getContext();
        const pixel = new Uint8Array(4);
        const frame = () => {
          const t0 = performance.now();
          advance(performance.now());
          ctx.readPixels(0, 0, 1, 1, ctx.RGBA, ctx.UNSIGNED_BYTE, pixel);
          return performance.now() - t0;
        };
        const still = [frame(), frame(), frame()].sort((a, b) => a - b);
        const frameMs = still[1];
        const { layout, layoutVersion } = getState();
        if (!layout) return { commitMs: 0, glideFrameJsMs: [], frameMs };
        // A new layout, as a worker would post it: a fresh array, every point moved.
        const next = layout.map((v, i) => (Math.abs(v) >= NOT_PLACED ? v : v * 0.9 + 0.05 * Math.sin(i)));
        const t0 = performance.now();
        setState({ layout: next, layoutVersion: layoutVersion + 1 });
        const commitMs = performance.now() - t0;
        const glideFrameJsMs: number[] = [];
        const until = performance.now() + 2000;
        while (getState().renderedVersion < layoutVersion + 1 && performance.now() < until) {
          drawn.lastGlideMs = 0;
          frame();
          glideFrameJsMs.push(drawn.lastGlideMs);
          await new Promise((r) => setTimeout(r, 16));
        }
        return { commitMs, glideFrameJsMs, frameMs };
      },
      memory() {
        const g = drawn.geometry;
        const buffers = g ? Object.values(g.attributes).reduce((sum, a) => sum + (a.array as ArrayLike<number> & { byteLength: number }).byteLength, 0) : 0;
        const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;
        return { jsHeapBytes: heap, gpuBufferBytes: buffers, gpuTextureBytes: drawn.atlasBytes + picker.idBufferBytes() };
      },
    };
    setState({ view });

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
      if (hit != null) (e.shiftKey ? addToSelection : select)([hit]);
      else if (!e.shiftKey) clearSelection();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') clearSelection();
    };
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerleave', onLeave);
    el.addEventListener('pointerdown', onDown);
    el.addEventListener('pointerup', onUp);
    window.addEventListener('keydown', onKey);
    return () => {
      cancelAnimationFrame(frame);
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerleave', onLeave);
      el.removeEventListener('pointerdown', onDown);
      el.removeEventListener('pointerup', onUp);
      window.removeEventListener('keydown', onKey);
      setState({ view: null });
    };
  }, [get, drawn, picker, controls]);

  return labelLayer ? <Labels drawn={drawn} picker={picker} layer={labelLayer} /> : null;
}
