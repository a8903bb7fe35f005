/**
 * Links the cameras of the main view and the side-by-side view: moving either moves both. Poses
 * are copied (position, orientation, zoom, orbit target), never shared objects: each canvas keeps
 * its own camera sized to itself.
 */
import * as THREE from 'three';

interface End {
  camera: THREE.Camera;
  target: THREE.Vector3;
  invalidate: () => void;
  /** Applies the orbit target after a pose change (OrbitControls.update). */
  update?: () => void;
}

function copyPose(from: End, to: End): void {
  to.camera.position.copy(from.camera.position);
  to.camera.quaternion.copy(from.camera.quaternion);
  to.camera.up.copy(from.camera.up);
  to.target.copy(from.target);
  if (from.camera instanceof THREE.OrthographicCamera && to.camera instanceof THREE.OrthographicCamera && to.camera.zoom !== from.camera.zoom) {
    to.camera.zoom = from.camera.zoom;
    to.camera.updateProjectionMatrix();
  }
  to.camera.updateMatrixWorld();
}

export class CameraLink {
  main: End | null = null;
  second: End | null = null;
  private syncing = false;

  /** The main view moved (or rendered): the second view follows. */
  fromMain(): void {
    if (this.syncing || !this.main || !this.second) return;
    const m = this.main.camera;
    const s = this.second.camera;
    if (s.position.equals(m.position) && s.quaternion.equals(m.quaternion) && this.second.target.equals(this.main.target) && zoomOf(s) === zoomOf(m)) return;
    copyPose(this.main, this.second);
    this.second.invalidate();
  }

  /** The second view was dragged: the main view follows. */
  fromSecond(): void {
    if (this.syncing || !this.main || !this.second) return;
    this.syncing = true;
    try {
      copyPose(this.second, this.main);
      this.main.update?.();
      this.main.invalidate();
    } finally {
      this.syncing = false;
    }
  }
}

const zoomOf = (c: THREE.Camera) => (c instanceof THREE.OrthographicCamera ? c.zoom : 1);
