/**
 * The render bench's baseline: the same points as plain THREE.Points with a PointsMaterial, no
 * React, no sprites, no picking. `?data=<url of a .bytes>&n=<points>`; the canvas fills the
 * window (the bench sizes it to 1280x720).
 */
import * as THREE from 'three';
import { fitCamera } from '../../src/render/camera-fit';

declare global {
  interface Window {
    bare: { ready: boolean; error: string | null; renderer: string; measureOrbit(frames: number): number[] };
  }
}

const FOV = 50;

/** The app's pointWorldSize (copied: src/render is being reorganised, and this page stays standalone). */
const pointWorldSize = (n: number) => Math.min(0.06, Math.max(0.01, 1.8 / Math.sqrt(Math.max(n, 1))));

/** Viewer.tsx's margin for its first fit. */
const MARGIN = 1.12;

const params = new URLSearchParams(location.search);
const width = window.innerWidth;
const height = window.innerHeight;
const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
renderer.setPixelRatio(1);
renderer.setSize(width, height);
document.body.appendChild(renderer.domElement);
const camera = new THREE.PerspectiveCamera(FOV, width / height, 0.01, 100);
const target = new THREE.Vector3();
const scene = new THREE.Scene();
const gl = renderer.getContext();
const pixel = new Uint8Array(4);
const up = new THREE.Vector3(0, 1, 0);

const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');

window.bare = {
  ready: false,
  error: null,
  renderer: String(gl.getParameter(debugInfo ? debugInfo.UNMASKED_RENDERER_WEBGL : gl.RENDERER)),
  measureOrbit(frames) {
    const times: number[] = [];
    const step = (2 * Math.PI) / frames;
    for (let f = 0; f < frames; f++) {
      const t0 = performance.now();
      camera.position.sub(target).applyAxisAngle(up, step).add(target);
      camera.lookAt(target);
      renderer.render(scene, camera);
      // readPixels waits for the GPU (SwiftShader) to finish the frame.
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
      times.push(performance.now() - t0);
    }
    return times;
  },
};

async function main(): Promise<void> {
  const n = Number(params.get('n'));
  const res = await fetch(params.get('data') ?? '');
  if (!res.ok) throw new Error(`${res.status} fetching ${params.get('data')}`);
  const positions = new Float32Array(await res.arrayBuffer());
  if (positions.length !== n * 3) throw new Error(`expected ${n * 3} floats, got ${positions.length}`);
  // The app's own first fit, so both pages draw the cloud at the same size.
  const fit = fitCamera(positions, THREE.MathUtils.degToRad(FOV), width, height, MARGIN);
  target.set(...fit.center);
  camera.position.set(fit.center[0], fit.center[1], fit.center[2] + fit.distance);
  camera.lookAt(target);
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  // PointsMaterial's attenuated size is size * (height / 2) / depth px; our shader multiplies the
  // world size by the projection's focal term too, so scale by it to draw points of the same size.
  const focal = 1 / Math.tan(THREE.MathUtils.degToRad(FOV / 2));
  const material = new THREE.PointsMaterial({ color: 0x4f9fe0, size: pointWorldSize(n) * focal, sizeAttenuation: true });
  scene.add(new THREE.Points(geometry, material));
  renderer.render(scene, camera);
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
  window.bare.ready = true;
}

main().catch((e: unknown) => {
  window.bare.error = e instanceof Error ? e.message : String(e);
});
