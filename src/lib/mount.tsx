/** The component for pages without React: mount(element, options) renders it with the package's React. */
import { createRoot } from 'react-dom/client';
import { createProjectorApi, type ProjectorApi } from '../state/automation';
import { EmbeddingProjector, type EmbeddingProjectorProps } from './EmbeddingProjector';

export type MountOptions = Omit<EmbeddingProjectorProps, 'ref'>;

export interface ProjectorHandle extends ProjectorApi {
  /** Renders again with these options merged over the current ones (a new config or data loads it). */
  update(options: Partial<MountOptions>): void;
  /** Removes the viewer from the element. */
  unmount(): void;
}

export function mount(element: HTMLElement, options: MountOptions = {}): ProjectorHandle {
  const root = createRoot(element);
  let current = options;
  const render = () => root.render(<EmbeddingProjector {...current} />);
  render();
  // The store is the page's one store, so the handle needs no component instance to reach it.
  return Object.assign(createProjectorApi(), {
    update(patch: Partial<MountOptions>) {
      current = { ...current, ...patch };
      render();
    },
    unmount: () => root.unmount(),
  });
}
