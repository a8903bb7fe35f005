/** Group, title, projection and colour selectors: native selects, as scripts and tests expect. */
import { chooseVectorColumn, setColorColumn, setGroup, setProjection, setTitle } from '../state/actions';
import { colorable, MAX_CATEGORIES } from '../color/color-by';
import { stop } from '../state/playback';
import { useProjector, type Dim, type Method } from '../state/store';
import { formatCount } from './format';

const METHODS: { value: Method; label: string }[] = [
  { value: 'pca', label: 'PCA' },
  { value: 'umap', label: 'UMAP' },
  { value: 'tsne', label: 't-SNE' },
  { value: 'custom', label: 'Custom' },
];

export function Selectors() {
  const groups = useProjector((s) => s.groups);
  const group = useProjector((s) => s.group);
  const title = useProjector((s) => s.title);
  const pending = useProjector((s) => s.pending);
  const method = useProjector((s) => s.projection.method);
  const dim = useProjector((s) => s.projection.dim);
  const columns = useProjector((s) => s.dataset?.metadata?.columns);
  const colorColumn = useProjector((s) => s.colorColumn);
  const groupName = pending?.group ?? groups[group]?.name ?? '';
  const titles = groups.find((g) => g.name === groupName)?.embeddings.map((e) => e.title) ?? [];
  const titleName = pending?.title ?? groups[group]?.embeddings[title]?.title ?? '';
  const keep = () => undefined; // failures are shown by the error banner

  return (
    <div className="selectors">
      <label>
        Group
        <select data-testid="group-select" value={groupName} disabled={groups.length === 0} onChange={(e) => setGroup(e.target.value).then(keep)}>
          {groups.map((g) => (
            <option key={g.name} value={g.name}>{g.name}</option>
          ))}
        </select>
      </label>
      <label>
        Title
        <select data-testid="title-select" value={titleName} disabled={titles.length === 0} onChange={(e) => {
            // Choosing a title by hand ends playback there.
            stop();
            setTitle(e.target.value).then(keep);
          }}>
          {titles.map((t) => (
            <option key={t} value={t}>{t}</option>
          ))}
        </select>
      </label>
      <VectorSelect />
      <label>
        Projection
        <select data-testid="projection-select" value={method} onChange={(e) => setProjection(e.target.value as Method).then(keep)}>
          {METHODS.map((m) => (
            <option key={m.value} value={m.value}>{m.label}</option>
          ))}
        </select>
      </label>
      <label>
        Dimensions
        <select
          data-testid="dim-select"
          value={dim}
          onChange={(e) => setProjection(method, Number(e.target.value) as Dim).then(keep)}
        >
          <option value={3}>3D</option>
          <option value={2}>2D</option>
        </select>
      </label>
      <label>
        Colour by
        <select data-testid="color-select" value={colorColumn} disabled={!columns?.length} onChange={(e) => setColorColumn(Number(e.target.value))}>
          <option value={-1}>none</option>
          {columns?.map((c, i) =>
            colorable(c) ? (
              <option key={c.name + i} value={i}>{c.name}</option>
            ) : (
              <option key={c.name + i} value={i} disabled title={`${formatCount(c.distinct)} values; colouring needs at most ${MAX_CATEGORIES}`}>
                {c.name} (too many values)
              </option>
            ),
          )}
        </select>
      </label>
    </div>
  );
}

/**
 * A table with several vector columns: shown while the page asks which (nothing chosen yet) and
 * afterwards, to switch. Hidden for every other dataset.
 */
const NO_CHOICES: string[] = [];

function VectorSelect() {
  const ask = useProjector((s) => s.vectorAsk);
  // A stable empty list: a selector returning a fresh [] would re-render without end.
  const choices = useProjector((s) => s.vectorAsk?.choices ?? s.dataset?.vectorChoices ?? NO_CHOICES);
  const shown = useProjector((s) => s.dataset?.vectorColumns);
  if (choices.length < 2) return null;
  const value = ask ? '' : (shown?.[0] ?? '');
  return (
    <label className={ask ? 'asking' : undefined}>
      Vector column
      <select data-testid="vector-select" value={value} onChange={(e) => e.target.value && chooseVectorColumn(e.target.value).then(() => undefined)}>
        {ask && <option value="">choose…</option>}
        {choices.map((c) => (
          <option key={c} value={c}>{c}</option>
        ))}
      </select>
    </label>
  );
}
