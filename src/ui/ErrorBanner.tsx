import { getState, setState, useProjector } from '../state/store';

/** Shown after a failed load; the dataset already on screen stays. */
export function ErrorBanner() {
  const error = useProjector((s) => s.error);
  if (!error) return null;
  return (
    <div className="error" role="alert" data-testid="error">
      <span>{error}</span>
      <button type="button" aria-label="Dismiss" onClick={() => setState({ error: null, status: getState().dataset ? 'ready' : 'empty' })}>×</button>
    </div>
  );
}
