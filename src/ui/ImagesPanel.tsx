/**
 * "Images from vectors": for an embedding without a sprite, read each vector as a picture
 * (width x height x channels, value range, invert, a transparent colour, a background by a
 * metadata column in the view's palette). The pictures become the points' sprites at once, and
 * the PNG and a config using it can be downloaded.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Rgb } from '../sprite/embedding-image';
import { picturesPlausible, suggestImageSize, type ValueRange } from '../sprite/vector-images';
import { useProjector } from '../state/store';
import { buildImagesFromVectors } from '../state/vector-images';

const TRANSPARENT: Record<string, Rgb | null> = { none: null, black: [0, 0, 0], white: [255, 255, 255] };

function DownloadLink({ name, bytes, type, testId, label }: { name: string; bytes: Uint8Array | string; type: string; testId: string; label: string }) {
  // Made and revoked by the same effect: a URL made during render could be revoked by an
  // earlier mount's cleanup while this one still shows it.
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const made = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [bytes, type]);
  if (!url) return null;
  return (
    <a href={url} download={name} data-testid={testId}>
      {label}
    </a>
  );
}

export function ImagesPanel() {
  const dataset = useProjector((s) => s.dataset);
  const job = useProjector((s) => s.vectorImages);
  const suggested = useMemo(() => (dataset ? suggestImageSize(dataset.d) : null), [dataset]);
  const [size, setSize] = useState({ width: 0, height: 0, channels: 1 as 1 | 3 | 4 });
  const [range, setRange] = useState<ValueRange>('auto');
  const [invert, setInvert] = useState(false);
  const [transparent, setTransparent] = useState('none');
  const [background, setBackground] = useState(-1);
  const d = dataset?.d ?? 0;
  useEffect(() => {
    setSize(suggested ?? { width: d, height: 1, channels: 1 });
  }, [suggested, d]);

  const mine = job.datasetKey === dataset?.key;
  if (!dataset || (dataset.sprite && !mine)) return null;
  const fits = size.width * size.height * size.channels === dataset.d;
  const columns = dataset.metadata?.columns ?? [];
  const num = (v: string) => Math.max(1, Math.floor(Number(v) || 1));

  return (
    // Collapsed unless the vectors look like pictures: word vectors read as 10x10 images are noise.
    <details className="panel images-panel" data-testid="images-panel" key={dataset.key} open={mine || picturesPlausible(dataset.d, dataset.valueRange)}>
      <summary>
        <h2>Images from vectors</h2>
      </summary>
      <div className="params">
        <label>
          Width
          <input type="number" min={1} data-testid="images-width" value={size.width} onChange={(e) => setSize({ ...size, width: num(e.target.value) })} />
        </label>
        <label>
          Height
          <input type="number" min={1} data-testid="images-height" value={size.height} onChange={(e) => setSize({ ...size, height: num(e.target.value) })} />
        </label>
        <label>
          Channels
          <select data-testid="images-channels" value={size.channels} onChange={(e) => setSize({ ...size, channels: Number(e.target.value) as 1 | 3 | 4 })}>
            <option value={1}>1 (grey)</option>
            <option value={3}>3 (RGB)</option>
            <option value={4}>4 (RGBA)</option>
          </select>
        </label>
        <label>
          Values
          <select data-testid="images-range" value={range} onChange={(e) => setRange(e.target.value as ValueRange)}>
            <option value="auto">auto (min..max)</option>
            <option value="0..1">0..1</option>
            <option value="0..255">0..255</option>
          </select>
        </label>
        <label>
          Transparent
          <select data-testid="images-transparent" value={transparent} onChange={(e) => setTransparent(e.target.value)}>
            <option value="none">none</option>
            <option value="black">black</option>
            <option value="white">white</option>
          </select>
        </label>
        <label>
          Background by
          <select data-testid="images-background" value={background} onChange={(e) => setBackground(Number(e.target.value))}>
            <option value={-1}>none</option>
            {columns.map((c, i) => (
              <option key={c.name + i} value={i}>{c.name}</option>
            ))}
          </select>
        </label>
      </div>
      <label className="inline">
        <input type="checkbox" data-testid="images-invert" checked={invert} onChange={(e) => setInvert(e.target.checked)} /> invert
      </label>
      {!fits && (
        <div className="hint" data-testid="images-hint">
          {size.width} × {size.height} × {size.channels} = {size.width * size.height * size.channels}, but each vector has {dataset.d} values
        </div>
      )}
      <div className="run-buttons">
        <button
          type="button"
          data-testid="images-build"
          disabled={!fits || job.state === 'building'}
          onClick={() =>
            void buildImagesFromVectors({
              ...size,
              range,
              invert,
              transparent: TRANSPARENT[transparent],
              backgroundColumn: background >= 0 ? background : null,
            })
          }
        >
          {job.state === 'building' && mine ? 'Building…' : 'Build images'}
        </button>
      </div>
      {mine && job.state === 'error' && <div className="hint error-text">{job.message}</div>}
      {mine && job.state === 'done' && job.png && job.config && (
        <div className="downloads">
          <DownloadLink name={job.png.name} bytes={job.png.bytes} type="image/png" testId="images-download-png" label="Download PNG" />
          <DownloadLink name="projector_config.json" bytes={job.config} type="application/json" testId="images-download-config" label="Download config" />
        </div>
      )}
    </details>
  );
}
