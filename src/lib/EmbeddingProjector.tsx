/**
 * The viewer as a React component for other apps. The app keeps one store per page, so one
 * projector per page: a second mounted at the same time would show the same data.
 */
import { useEffect, useImperativeHandle, useMemo, useRef, type CSSProperties, type Ref } from 'react';
import { loadConfigs, loadData } from '../state/actions';
import { createProjectorApi, type ProjectorApi, type ProjectorStateView } from '../state/automation';
import type { InMemoryData } from '../state/in-memory';
import { getState, setState, useProjector, type Dim, type Theme } from '../state/store';
import { followInUrl } from '../state/view-state';
import { App } from '../ui/App';

export interface EmbeddingProjectorProps {
  /** URL(s) of projector configs (TF's projector_config.json, Comet's template-<group>-configs.json); each is a group. */
  config?: string | string[];
  /** In-memory data instead of configs. A new object loads again; keep it stable (useMemo) between renders. */
  data?: InMemoryData;
  /** The projection first shown; later changes go through the panel or the ref. Default: pca. */
  projection?: 'pca' | 'umap' | 'tsne';
  /** 2 or 3 (the default). */
  dimensions?: Dim;
  /** The title first shown, for configs with several. */
  title?: string;
  /** Follows the prop when given; otherwise light, and the toolbar button switches it. */
  theme?: Theme;
  /** Write the view into the page's address bar as the standalone app does. Off by default: the URL is the host app's. */
  followUrl?: boolean;
  /** Called with the selected rows whenever the selection changes. */
  onSelect?: (indices: number[]) => void;
  /** Called with the hovered row (null: none) whenever it changes. */
  onHover?: (index: number | null) => void;
  /** Called whenever the state that window.projector.state() reports changes. */
  onStateChange?: (state: ProjectorStateView) => void;
  /** The same methods as the standalone app's window.projector. */
  ref?: Ref<ProjectorApi>;
  className?: string;
  /** The component fills its parent's height by default; give the parent (or this) a height. */
  style?: CSSProperties;
}

const sameList = (a: string | string[] | undefined) => (a === undefined ? '' : JSON.stringify(Array.isArray(a) ? a : [a]));

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function EmbeddingProjector(props: EmbeddingProjectorProps) {
  const { config, data, projection, dimensions, title, theme, followUrl = false, ref, className, style } = props;
  const api = useMemo(createProjectorApi, []);
  useImperativeHandle(ref, () => api, [api]);

  // The latest callbacks, without resubscribing on every render of the host.
  const callbacks = useRef(props);
  callbacks.current = props;

  const configKey = sameList(config);
  useEffect(() => {
    const opts = { method: projection, dim: dimensions, title };
    if (data) void loadData(data, opts);
    else if (configKey) void loadConfigs(JSON.parse(configKey) as string[], opts);
    // The projection, dimensions and title are initial: changing them later does not reload.
  }, [configKey, data]);

  useEffect(() => {
    if (theme) setState({ theme });
  }, [theme]);

  useEffect(() => {
    if (followUrl) followInUrl();
  }, [followUrl]);

  useEffect(() => {
    let selected = getState().selected;
    let hovered = getState().hovered;
    let reported = '';
    return useProjector.subscribe((s) => {
      const { onSelect, onHover, onStateChange } = callbacks.current;
      // A new dataset brings a new empty array: only a different set of rows is a change.
      if (s.selected !== selected) {
        const changed = !sameRows(s.selected, selected);
        selected = s.selected;
        if (changed) onSelect?.(Array.from(selected));
      }
      if (s.hovered !== hovered) {
        hovered = s.hovered;
        onHover?.(hovered);
      }
      if (onStateChange) {
        const view = api.state();
        const key = JSON.stringify(view);
        if (key !== reported) {
          reported = key;
          onStateChange(view);
        }
      }
    });
  }, [api]);

  return (
    <div className={className ? `projector-root ${className}` : 'projector-root'} style={{ height: '100%', ...style }}>
      <App embedded />
    </div>
  );
}
