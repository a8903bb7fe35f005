import { Viewer } from '../render/Viewer';
import { setState } from '../state/store';
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

export function App() {
  return (
    <div className="app">
      <header className="toolbar">
        <h1>Embedding Projector</h1>
        <Selectors />
        <PlaybackControls />
        <SharePanel />
        <FileOpener />
        <ThemeToggle />
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
    </div>
  );
}
