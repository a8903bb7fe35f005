import { foreignHosts } from '../data/url-safety';
import { isolateRows } from '../state/actions';
import { useProjector } from '../state/store';
import { canShareMemory } from '../workers/shared-tensor';
import { formatBytes, formatCount } from './format';

const METHOD_NAMES = { pca: 'PCA', umap: 'UMAP', tsne: 't-SNE', custom: 'Custom' } as const;

/** "MNIST 2k · 2,000 points · 784 dims", or what is happening now, with a progress bar. */
export function StatusLine() {
  const status = useProjector((s) => s.status);
  const dataset = useProjector((s) => s.dataset);
  const progress = useProjector((s) => s.progress);
  const projection = useProjector((s) => s.projection);
  const iteration = useProjector((s) => s.iteration);
  const paused = useProjector((s) => s.paused);
  const placed = useProjector((s) => s.placed);
  const notice = useProjector((s) => s.notice);
  const isolated = useProjector((s) => s.isolated);
  const sources = useProjector((s) => s.sources);
  const hosts = sources ? foreignHosts(sources, location.href) : [];
  const shown = dataset ? `${dataset.name} · ${formatCount(dataset.n)} points · ${formatCount(dataset.d)} dims` : 'No embedding loaded';
  const sample =
    dataset && placed != null
      ? `Sample: ${formatCount(placed)} placed, ${formatCount(dataset.n - placed)} not in the sample (hidden)`
      : null;

  let work: { label: string; fraction: number | null } | null = null;
  if (status === 'loading') {
    if (progress) {
      const bytes = progress.total ? `${formatBytes(progress.loaded)} / ${formatBytes(progress.total)}` : formatBytes(progress.loaded);
      work = { label: `${progress.stage} · ${bytes}`, fraction: progress.total ? progress.loaded / progress.total : null };
    } else work = { label: 'Loading…', fraction: null };
  } else if (status === 'reducing') {
    const name = `${METHOD_NAMES[projection.method]} ${projection.dim}D`;
    if (progress) work = { label: `${name} · ${progress.stage} ${Math.round(progress.loaded * 100)}%`, fraction: progress.loaded };
    else {
      const count = iteration ? ` · ${formatCount(iteration.current)} / ${formatCount(iteration.total)}` : '';
      work = { label: `${paused ? 'Paused' : 'Computing'} ${name}${count}`, fraction: projection.progress };
    }
  }

  return (
    <div className="status-line">
      <span data-testid="status">{shown}</span>
      {hosts.length > 0 && <span className="hosts-note" data-testid="hosts-note">data from {hosts.join(', ')}</span>}
      {sample && <span className="sample-note" data-testid="sample-note">{sample}</span>}
      {dataset && isolated && (
        <span className="isolated-note" data-testid="isolated-note">
          showing {formatCount(isolated.length)} of {formatCount(dataset.n)}
          <button type="button" className="link" data-testid="status-show-all" onClick={() => void isolateRows(null).catch(() => undefined)}>
            show all
          </button>
        </span>
      )}
      {dataset && !canShareMemory() && (
        <span
          className="isolation-note"
          data-testid="isolation-note"
          title="Serve the page with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: credentialless (npm start and projector serve do) to hold the vectors once for every worker and split t-SNE over every core."
        >
          not cross-origin isolated: one thread per layout, each job copies the vectors
        </span>
      )}
      {notice && <span className="notice" data-testid="notice">{notice}</span>}
      {work && (
        <span className="progress" data-testid="progress">
          <progress max={1} value={work.fraction ?? undefined} />
          <span>{work.label}</span>
        </span>
      )}
    </div>
  );
}
