/**
 * What `npm run bench` measures inside the page: frames of a full orbit, the main-thread cost of
 * a streamed layout, and memory. Each frame is rendered synchronously and flushed by reading a
 * pixel back, which waits for the GPU (SwiftShader: the CPU) to finish it.
 */
import type { RootState } from '@react-three/fiber';
import * as THREE from 'three';
import { NOT_PLACED } from '../reduce/sample';
import { getState, setState, type LayoutUpdateTiming, type MemoryReport } from '../state/store';
import type { DrawnPoints } from './drawn-points';
import type { ViewPicker } from './view-picker';

function frameTimer({ advance, gl }: RootState): () => number {
  const ctx = gl.getContext();
  const pixel = new Uint8Array(4);
  return () => {
    const t0 = performance.now();
    advance(performance.now());
    ctx.readPixels(0, 0, 1, 1, ctx.RGBA, ctx.UNSIGNED_BYTE, pixel);
    return performance.now() - t0;
  };
}

/** Per-frame ms of orbiting the camera a full turn around `target` in `frames` steps. */
export function measureOrbit(root: RootState, target: THREE.Vector3, frames: number): number[] {
  const { camera } = root;
  const frame = frameTimer(root);
  const step = new THREE.Quaternion().setFromAxisAngle(new THREE.Vector3(0, 1, 0), (2 * Math.PI) / frames);
  const times: number[] = [];
  for (let k = 0; k < frames; k++) {
    const t0 = performance.now();
    camera.position.sub(target).applyQuaternion(step).add(target);
    camera.lookAt(target);
    frame();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Streams a new layout (every point moved) through the store, as a worker's would arrive. */
export async function measureLayoutUpdate(root: RootState, drawn: DrawnPoints): Promise<LayoutUpdateTiming> {
  const frame = frameTimer(root);
  const still = [frame(), frame(), frame()].sort((a, b) => a - b);
  const frameMs = still[1];
  const { layout, layoutVersion } = getState();
  if (!layout) return { commitMs: 0, glideFrameJsMs: [], frameMs };
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
}

export function memoryReport(drawn: DrawnPoints, picker: ViewPicker): MemoryReport {
  const g = drawn.geometry;
  const buffers = g ? Object.values(g.attributes).reduce((sum, a) => sum + (a.array as { byteLength: number }).byteLength, 0) : 0;
  const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;
  return { jsHeapBytes: heap, gpuBufferBytes: buffers, gpuTextureBytes: drawn.atlasBytes + picker.idBufferBytes() };
}
