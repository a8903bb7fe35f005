import type { ReactNode } from 'react';
import { Viewer } from '../render/Viewer';
import { setState, useProjector } from '../state/store';
import { BookmarksPanel } from './BookmarksPanel';
import { ErrorBanner } from './ErrorBanner';
import { ErrorBoundary } from './ErrorBoundary';
import { FileOpener } from './FileOpener';
import { ImagesPanel } from './ImagesPanel';
import { InspectorPanel } from './InspectorPanel';
import { SearchPanel } from './SearchPanel';
import { SharePanel } from './SharePanel';
import { Legend } from './Legend';
import { PlaybackControls } from './PlaybackControls';
import { ProjectionPanel } from './ProjectionPanel';
import { Selectors } from './Selectors';
import { StatusLine } from './StatusLine';
import { ThemeToggle } from './ThemeToggle';
import { Tooltip } from './Tooltip';
import { ViewPanel } from './ViewPanel';

/**
 * The whole viewer. `embedded`: inside another app, which owns the page: the theme is neither
 * written to the document nor remembered in localStorage.
 */
export function App({ embedded = false }: { embedded?: boolean }) {
  return (
    <Themed>
      <header className="toolbar">
        <h1>Embedding Projector</h1>
        <Selectors />
        <PlaybackControls />
        <SharePanel />
        <FileOpener />
        <ThemeToggle persist={!embedded} />
      </header>
      <StatusLine />
      <ErrorBanner />
      <main className="stage">
        <ErrorBoundary what="the view" onFailure={(viewFailed) => setState({ viewFailed })}>
          <Viewer />
        </ErrorBoundary>
        <ErrorBoundary what="the panels">
        <div className="left-panels" data-overlay>
          <ProjectionPanel />
          <ImagesPanel />
          <BookmarksPanel />
        </div>
        <div className="right-panels" data-overlay>
          <SearchPanel />
          <InspectorPanel />
          <Legend />
        </div>
        <ViewPanel />
        </ErrorBoundary>
      </main>
      <Tooltip />
    </Themed>
  );
}

/**
 * The app's root, carrying the theme its styles read. Only this re-renders when the theme
 * changes: the panels are its children, created by App, so React leaves them as they are.
 */
function Themed({ children }: { children: ReactNode }) {
  const theme = useProjector((s) => s.theme);
  return (
    <div className="app" data-theme={theme}>
      {children}
    </div>
  );
}
