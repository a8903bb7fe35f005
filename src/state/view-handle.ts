/**
 * The mounted view's imperative handle (screen positions, picking, the camera, measurements):
 * registered by the render layer, read by scripts and panels. Kept here, out of the store: it is
 * a set of closures over live three.js objects, not state to render or serialise.
 */
import type { ViewApi } from './store';

let handle: ViewApi | null = null;

export function setViewHandle(view: ViewApi | null): void {
  handle = view;
}

export function viewHandle(): ViewApi | null {
  return handle;
}
