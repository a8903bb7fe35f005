/**
 * `embedding-projector`: the viewer for other apps, as a React component or mounted into an
 * element. Styles: import 'embedding-projector/style.css' once.
 */
// The styles go to dist-lib/style.css (the bundler takes them out of the JS): exported as 'embedding-projector/style.css'.
import '../ui/styles.css';

export { EmbeddingProjector, type EmbeddingProjectorProps } from './EmbeddingProjector';
export { mount, type MountOptions, type ProjectorHandle } from './mount';
export type { ProjectorApi, ProjectorStateView } from '../state/automation';
export type { InMemoryData, MetadataCell } from '../state/in-memory';
export type { Dim, Method, Theme, ViewOptions } from '../state/store';
export type { ViewState } from '../state/view-state';
