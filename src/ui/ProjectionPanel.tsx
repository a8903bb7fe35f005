/**
 * The projection panel: each method's parameters, Run / Pause / Re-run with a new seed, the
 * iteration counter and progress, and for PCA the components on each axis with their variance.
 */
import { useEffect, useState } from 'react';
import { rerunWithNewSeed, setPaused, setProjection, setSampleSize } from '../state/actions';
import { MAX_PLACED } from '../state/layout-cache';
import { useProjector, type ProjectionSettings } from '../state/store';
import { formatCount } from './format';

type Draft = Pick<ProjectionSettings, 'umap' | 'tsne' | 'custom'>;

function NumberField(props: { label: string; value: number; step?: number; min?: number; testId: string; onChange: (v: number) => void }) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        data-testid={props.testId}
        value={props.value}
        step={props.step ?? 1}
        min={props.min}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (Number.isFinite(v)) props.onChange(v);
        }}
      />
    </label>
  );
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function PcaAxes() {
  const settings = useProjector((s) => s.settings);
  const dim = useProjector((s) => s.projection.dim);
  const info = useProjector((s) => s.pcaInfo);
  const count = info?.explained.length ?? 10;
  const axes = settings.pca.axes;
  const shown = axes.slice(0, dim);
  const total = info ? shown.reduce((sum, a) => sum + (info.explained[a] ?? 0), 0) : null;
  return (
    <div className="params">
      {(['X', 'Y', 'Z'] as const).slice(0, dim).map((name, slot) => (
        <label key={name}>
          {name}
          <select
            data-testid={`pca-axis-${name.toLowerCase()}`}
            value={axes[slot]}
            onChange={(e) => {
              const next = [...axes] as [number, number, number];
              next[slot] = Number(e.target.value);
              void setProjection('pca', dim, { pca: { axes: next } });
            }}
          >
            {Array.from({ length: count }, (_, c) => (
              <option key={c} value={c}>
                PC{c + 1}
                {info ? ` (${pct(info.explained[c])})` : ''}
              </option>
            ))}
          </select>
        </label>
      ))}
      {total != null && <div className="variance" data-testid="pca-variance">Variance shown: {pct(total)}</div>}
      <label className="inline variance" title="TF's option: centre the vectors and scale each to unit length before projecting">
        <input
          type="checkbox"
          data-testid="pca-sphereize"
          checked={!!settings.pca.sphereize}
          onChange={(e) => void setProjection('pca', dim, { pca: { sphereize: e.target.checked } })}
        />{' '}
        Sphereize data
      </label>
    </div>
  );
}

export function ProjectionPanel() {
  const projection = useProjector((s) => s.projection);
  const settings = useProjector((s) => s.settings);
  const status = useProjector((s) => s.status);
  const paused = useProjector((s) => s.paused);
  const iteration = useProjector((s) => s.iteration);
  const dataset = useProjector((s) => s.dataset);
  const [draft, setDraft] = useState<Draft>({ umap: settings.umap, tsne: settings.tsne, custom: settings.custom });
  useEffect(() => setDraft({ umap: settings.umap, tsne: settings.tsne, custom: settings.custom }), [settings]);
  const counts = useProjector((s) => s.customCounts);

  if (!dataset) return null;
  if (dataset.d <= 3) {
    return <aside className="panel" data-testid="projection-panel">The vectors have {dataset.d} dimensions: shown as they are.</aside>;
  }
  const method = projection.method;
  const running = status === 'reducing';
  const run = () => void setProjection(method, projection.dim, method === 'pca' ? {} : { [method]: draft[method] });
  const setU = (patch: Partial<Draft['umap']>) => setDraft((d) => ({ ...d, umap: { ...d.umap, ...patch } }));
  const setT = (patch: Partial<Draft['tsne']>) => setDraft((d) => ({ ...d, tsne: { ...d.tsne, ...patch } }));
  const setC = (patch: Partial<Draft['custom']>) => setDraft((d) => ({ ...d, custom: { ...d.custom, ...patch } }));
  const query = (axis: 'x' | 'y', end: 0 | 1, label: string, k: number) => (
    <label>
      {label}
      {counts && method === 'custom' && <span className="hint" data-testid={`custom-count-${axis}${end}`}> {formatCount(counts[k])} match</span>}
      <input
        data-testid={`custom-${axis}${end}`}
        value={draft.custom[axis][end]}
        onChange={(e) => {
          const pair = [...draft.custom[axis]] as [string, string];
          pair[end] = e.target.value;
          setC({ [axis]: pair });
        }}
      />
    </label>
  );
  const columns = dataset.metadata?.columns ?? [];

  return (
    <aside className="panel" data-testid="projection-panel">
      <h2>{{ pca: 'PCA', umap: 'UMAP', tsne: 't-SNE', custom: 'Custom' }[method]}</h2>
      {method === 'custom' && (
        <div className="params">
          <label className="variance">
            Search in
            <select data-testid="custom-column" value={draft.custom.column ?? ''} onChange={(e) => setC({ column: e.target.value || null })}>
              <option value="">all columns</option>
              {columns.map((c, i) => (
                <option key={c.name + i} value={c.name}>{c.name}</option>
              ))}
            </select>
          </label>
          {query('x', 0, 'X left', 0)}
          {query('x', 1, 'X right', 1)}
          {query('y', 0, 'Y down', 2)}
          {query('y', 1, 'Y up', 3)}
          <label className="inline variance">
            <input type="checkbox" data-testid="custom-regex" checked={draft.custom.regex} onChange={(e) => setC({ regex: e.target.checked })} /> regex
          </label>
        </div>
      )}
      {method === 'pca' && <PcaAxes />}
      {method === 'umap' && (
        <div className="params">
          <NumberField label="Neighbours" testId="umap-neighbors" min={2} value={draft.umap.nNeighbors} onChange={(v) => setU({ nNeighbors: v })} />
          <NumberField label="Min distance" testId="umap-min-dist" step={0.05} min={0} value={draft.umap.minDist} onChange={(v) => setU({ minDist: v })} />
          <label>
            Epochs
            <input
              data-testid="umap-epochs"
              placeholder="auto"
              value={draft.umap.epochs === 'auto' ? '' : draft.umap.epochs}
              onChange={(e) => setU({ epochs: e.target.value.trim() === '' ? 'auto' : Math.max(1, Number(e.target.value) || 1) })}
            />
          </label>
          <NumberField label="Seed" testId="umap-seed" value={draft.umap.seed} onChange={(v) => setU({ seed: v })} />
        </div>
      )}
      {method === 'tsne' && (
        <div className="params">
          <NumberField label="Perplexity" testId="tsne-perplexity" min={2} value={draft.tsne.perplexity} onChange={(v) => setT({ perplexity: v })} />
          <label>
            Learning rate
            <input
              data-testid="tsne-learning-rate"
              placeholder="auto (N/12)"
              value={draft.tsne.learningRate === 'auto' ? '' : draft.tsne.learningRate}
              onChange={(e) => setT({ learningRate: e.target.value.trim() === '' ? 'auto' : Math.max(1, Number(e.target.value) || 1) })}
            />
          </label>
          <NumberField label="Iterations" testId="tsne-iterations" min={1} value={draft.tsne.iterations} onChange={(v) => setT({ iterations: v })} />
          <NumberField label="Theta" testId="tsne-theta" step={0.1} min={0} value={draft.tsne.theta} onChange={(v) => setT({ theta: v })} />
          <NumberField label="Seed" testId="tsne-seed" value={draft.tsne.seed} onChange={(v) => setT({ seed: v })} />
        </div>
      )}
      {(method === 'umap' || method === 'tsne') && dataset.d > 128 && (
        <label className="inline variance" title="Candidates are found among the top 64 principal components, then ranked by exact distances in all dimensions (recall@15 0.98 on MNIST). Off: searched in all dimensions, slower.">
          <input
            type="checkbox"
            data-testid="neighbour-projection"
            checked={settings.neighbourProjection}
            onChange={(e) => void setProjection(method, projection.dim, { neighbourProjection: e.target.checked })}
          />{' '}
          neighbours via top principal components
        </label>
      )}
      {dataset.n > MAX_PLACED && (
        <div className="params sample">
          <p>
            UMAP and t-SNE place every point up to {formatCount(MAX_PLACED)}; this embedding has {formatCount(dataset.n)}.
            They run on a sample of this size; the other points are hidden and counted.
          </p>
          <NumberField
            label="Sample size"
            testId="sample-size"
            min={2}
            value={settings.sampleSize ?? MAX_PLACED}
            onChange={(v) => setSampleSize(Math.min(MAX_PLACED, Math.max(2, Math.round(v))))}
          />
        </div>
      )}
      {method === 'custom' && (
        <div className="run-buttons">
          <button type="button" data-testid="run" onClick={run}>Project</button>
        </div>
      )}
      {(method === 'umap' || method === 'tsne') && (
        <div className="run-buttons">
          <button type="button" data-testid="run" onClick={run}>Run</button>
          <button type="button" data-testid="pause" disabled={!running} onClick={() => setPaused(!paused)}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" data-testid="rerun" onClick={() => void rerunWithNewSeed()}>Re-run, new seed</button>
        </div>
      )}
      {iteration && (method === 'umap' || method === 'tsne') && (
        <div className="iteration" data-testid="iteration">
          {method === 'umap' ? 'Epoch' : 'Iteration'} {formatCount(iteration.current)} / {formatCount(iteration.total)}
          <progress max={1} value={projection.progress} />
        </div>
      )}
    </aside>
  );
}
