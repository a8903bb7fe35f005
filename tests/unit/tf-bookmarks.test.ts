import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/data/errors';
import {
  TF_REQUIRED_FIELDS,
  bookmarkLayout,
  bookmarkSelection,
  makeBookmark,
  parseBookmarks,
  writeBookmarks,
  type TfState,
} from '../../src/data/tf-bookmarks';
import { thrown } from './dataset-helpers';

/*
 * A bookmarks file as TF's Embedding Projector writes it, written out by hand from the
 * fields of vz_projector/data.ts `class State`: the bookmark panel downloads
 * `JSON.stringify(savedStates)`, each state built by vz-projector.ts `getCurrentState()`
 * (projections holds every key computed so far, `filteredPoints` is null unless filtered),
 * the projections panel's `populateBookmarkFromUI` (pcaComponentDimensions, tSNE*, umap*,
 * custom*) and the scatter plot's `getCameraDef()`.
 *
 * 4 points with 4 dimensions. TF computes 10 PCA components; with 4 dimensions pca-4..9 come
 * out NaN, which JSON.stringify writes as null.
 */
const nulls = { 'pca-4': null, 'pca-5': null, 'pca-6': null, 'pca-7': null, 'pca-8': null, 'pca-9': null };
const pca = [
  [0.7071067690849304, -0.18257418274879456, 0.05123456194996834, 0.0012345678],
  [-0.40824830532073975, 0.9128709435462952, -0.3333333432674408, -0.0098765432],
  [0.1111111119389534, 0.2222222238779068, 0.6666666865348816, 0.5],
  [-0.4099999964237213, -0.9519999623298645, -0.38460001349449158, 0.25],
];
const tsne = [
  [12.345678901234567, -3.5, 0.25],
  [-7.000000000000001, 4.125, -1.5],
  [0.1, 0.2, 0.30000000000000004],
  [-100.5, 1e-7, 42],
];
const pcaKeys = (i: number) => ({
  'pca-0': pca[i][0],
  'pca-1': pca[i][1],
  'pca-2': pca[i][2],
  'pca-3': pca[i][3],
  ...nulls,
});

const tfStates = [
  {
    label: 'State 0',
    isSelected: false,
    tSNEIteration: 0,
    tSNEPerplexity: 5,
    tSNELearningRate: 1,
    tSNEis3d: true,
    umapIs3d: true,
    umapNeighbors: 15,
    umapMinDist: 0.1,
    pcaComponentDimensions: [0, 1, 2],
    projections: [0, 1, 2, 3].map(pcaKeys),
    selectedPoints: [2],
    selectedProjection: 'pca',
    dataSetDimensions: [4, 4],
    filteredPoints: null,
    cameraDef: { orthographic: false, position: [0.45, 0.9, 1.6], target: [0, 0, 0], zoom: 1 },
    selectedColorOptionName: 'species',
    forceCategoricalColoring: false,
    selectedLabelOption: 'name',
    customSelectedSearchByMetadataOption: 'name',
    customXLeftText: '',
    customXLeftRegex: false,
    customXRightText: '',
    customXRightRegex: false,
    customYUpText: '',
    customYUpRegex: false,
    customYDownText: '',
    customYDownRegex: false,
  },
  {
    label: 'State 1',
    isSelected: true,
    tSNEIteration: 317,
    tSNEPerplexity: 5,
    tSNELearningRate: 1,
    // Switched from 3D to 2D: tsne-2 from the earlier run stays in projections.
    tSNEis3d: false,
    umapIs3d: true,
    umapNeighbors: 15,
    umapMinDist: 0.1,
    pcaComponentDimensions: [0, 1, 2],
    projections: [0, 1, 2, 3].map((i) => ({
      ...pcaKeys(i),
      'tsne-0': tsne[i][0],
      'tsne-1': tsne[i][1],
      'tsne-2': tsne[i][2],
    })),
    selectedPoints: [0, 3],
    selectedProjection: 'tsne',
    dataSetDimensions: [4, 4],
    filteredPoints: null,
    cameraDef: { orthographic: true, position: [0.1, -0.2, 4], target: [0.1, -0.2, 0], zoom: 1.7 },
    selectedColorOptionName: 'No color map',
    forceCategoricalColoring: false,
    selectedLabelOption: 'name',
    customSelectedSearchByMetadataOption: 'name',
    customXLeftText: '',
    customXLeftRegex: false,
    customXRightText: '',
    customXRightRegex: false,
    customYUpText: '',
    customYUpRegex: false,
    customYDownText: '',
    customYDownRegex: false,
  },
];
const TF_FILE = JSON.stringify(tfStates);

/** Fields TF cannot load a bookmark without, read off its source:
 *  vz-projector.ts loadState: projections (.length), selectedPoints (notifySelectionChanged
 *  reads .length), selectedProjection (stateGetAccessorDimensions throws otherwise);
 *  projections panel restoreUIFromBookmark: pcaComponentDimensions ([0], .length),
 *  tSNEPerplexity / tSNELearningRate / tSNEIteration (.toString());
 *  bookmark panel savedStatesValid: dataSetDimensions ([0], [1]). */
const REQUIRED_BY_TF = [
  'projections',
  'selectedProjection',
  'pcaComponentDimensions',
  'tSNEIteration',
  'tSNEPerplexity',
  'tSNELearningRate',
  'selectedPoints',
  'dataSetDimensions',
];

/** TF's stateGetAccessorDimensions + getProjectionComponents, ported as they are. */
function tfAccessorKeys(state: Record<string, unknown>): string[] {
  let dims: Array<number | string>;
  switch (state.selectedProjection) {
    case 'pca':
      dims = (state.pcaComponentDimensions as number[]).slice();
      break;
    case 'tsne':
      dims = [0, 1];
      if (state.tSNEis3d) dims.push(2);
      break;
    case 'umap':
      dims = [0, 1];
      if (state.umapIs3d) dims.push(2);
      break;
    case 'custom':
      dims = ['x', 'y'];
      break;
    default:
      throw new Error('Unexpected fallthrough');
  }
  const prefix = state.selectedProjection === 'custom' ? 'linear' : String(state.selectedProjection);
  return dims.map((d) => `${prefix}-${d}`);
}

function errorOf(text: string, numPoints = 4, fileName = 'bookmarks.txt'): DataError {
  const e = thrown(() => parseBookmarks(text, fileName, numPoints));
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

/** TF_FILE with bookmark 1 changed. */
function withState1(change: (s: Record<string, unknown>) => void): string {
  const states = JSON.parse(TF_FILE) as Array<Record<string, unknown>>;
  change(states[1]);
  return JSON.stringify(states);
}

describe('parseBookmarks on a file TF wrote', () => {
  const states = parseBookmarks(TF_FILE, 'state', 4);

  it('reads both states with their settings', () => {
    expect(states).toHaveLength(2);
    expect(states[0]).toMatchObject({
      label: 'State 0',
      selectedProjection: 'pca',
      pcaComponentDimensions: [0, 1, 2],
      dataSetDimensions: [4, 4],
      selectedPoints: [2],
      filteredPoints: null,
      selectedColorOptionName: 'species',
      selectedLabelOption: 'name',
      cameraDef: { orthographic: false, position: [0.45, 0.9, 1.6], target: [0, 0, 0], zoom: 1 },
    });
    expect(states[1]).toMatchObject({
      label: 'State 1',
      isSelected: true,
      selectedProjection: 'tsne',
      tSNEis3d: false,
      tSNEIteration: 317,
      selectedPoints: [0, 3],
      cameraDef: { orthographic: true, position: [0.1, -0.2, 4], target: [0.1, -0.2, 0], zoom: 1.7 },
    });
    // TF's NaN PCA components (written as null) are dropped; the numbers are kept as written.
    expect(states[0].projections[1]).toEqual({
      'pca-0': pca[1][0],
      'pca-1': pca[1][1],
      'pca-2': pca[1][2],
      'pca-3': pca[1][3],
    });
  });

  it('gives the saved PCA 3D coordinates exactly', () => {
    const layout = bookmarkLayout(states[0], 4);
    expect(layout.method).toBe('pca');
    expect(layout.dim).toBe(3);
    expect(layout.missing).toEqual([]);
    expect(layout.positions).toBeInstanceOf(Float32Array);
    expect(layout.positions).toHaveLength(12);
    for (let i = 0; i < 4; i++) {
      for (let d = 0; d < 3; d++) expect(layout.positions[i * 3 + d]).toBe(Math.fround(pca[i][d]));
    }
  });

  it('gives the saved t-SNE 2D coordinates exactly, z = 0, ignoring the stale tsne-2', () => {
    const layout = bookmarkLayout(states[1], 4);
    expect(layout.method).toBe('tsne');
    expect(layout.dim).toBe(2);
    expect(layout.missing).toEqual([]);
    for (let i = 0; i < 4; i++) {
      expect(layout.positions[i * 3]).toBe(Math.fround(tsne[i][0]));
      expect(layout.positions[i * 3 + 1]).toBe(Math.fround(tsne[i][1]));
      expect(layout.positions[i * 3 + 2]).toBe(0);
    }
  });

  it('uses pcaComponentDimensions to pick the pca-<k> keys', () => {
    const [s] = parseBookmarks(withState1((s) => {
      s.selectedProjection = 'pca';
      s.pcaComponentDimensions = [3, 0];
    }), 'state', 4).slice(1);
    const layout = bookmarkLayout(s, 4);
    expect(layout.dim).toBe(2);
    expect(Array.from(layout.positions.slice(3, 6))).toEqual([Math.fround(pca[1][3]), Math.fround(pca[1][0]), 0]);
  });

  it('reads the Custom tab from linear-x / linear-y', () => {
    const text = withState1((s) => {
      s.selectedProjection = 'custom';
      s.projections = [0, 1, 2, 3].map((i) => ({ 'linear-x': i * 0.5, 'linear-y': -i }));
    });
    const layout = bookmarkLayout(parseBookmarks(text, 'state', 4)[1], 4);
    expect(layout.method).toBe('custom');
    expect(layout.dim).toBe(2);
    expect(Array.from(layout.positions)).toEqual([0, 0, 0, 0.5, -1, 0, 1, -2, 0, 1.5, -3, 0]);
  });

  it('accepts points outside TF\'s t-SNE sample and reports them as missing', () => {
    const text = withState1((s) => {
      const p = s.projections as Array<Record<string, unknown>>;
      p[2] = pcaKeys(2);
    });
    const layout = bookmarkLayout(parseBookmarks(text, 'state', 4)[1], 4);
    expect(layout.missing).toEqual([2]);
    expect(Number.isNaN(layout.positions[6])).toBe(true);
    expect(layout.positions[9]).toBe(Math.fround(tsne[3][0]));
  });

  it('maps a filtered bookmark back to dataset points', () => {
    // TF saved while showing points 3 and 1 only: projections and selectedPoints are per shown point.
    const text = withState1((s) => {
      s.filteredPoints = [3, 1];
      s.dataSetDimensions = [2, 4];
      s.projections = [{ 'tsne-0': 1, 'tsne-1': 2 }, { 'tsne-0': 3, 'tsne-1': 4 }];
      s.selectedPoints = [1];
    });
    const state = parseBookmarks(text, 'state', 4)[1];
    const layout = bookmarkLayout(state, 4);
    expect(layout.missing).toEqual([0, 2]);
    expect(Array.from(layout.positions.slice(9, 12))).toEqual([1, 2, 0]);
    expect(Array.from(layout.positions.slice(3, 6))).toEqual([3, 4, 0]);
    expect(bookmarkSelection(state)).toEqual([1]);
  });

  it('takes an empty bookmarks file', () => {
    expect(parseBookmarks('[]', 'state', 4)).toEqual([]);
  });
});

describe('makeBookmark -> writeBookmarks -> parseBookmarks -> bookmarkLayout', () => {
  const n = 50;
  const positions = new Float32Array(n * 3);
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  for (let i = 0; i < positions.length; i++) positions[i] = rand() * 10 ** Math.round(rand() * 6);
  positions[0] = 1e-30;
  positions[1] = -3.4e38;
  positions[3] = 0.1;
  const base = {
    positions,
    vectorDim: 16,
    selected: [3, 7, 49],
    colorColumn: 'label',
    labelColumn: 'word',
    camera: { orthographic: false, position: [1, 2, 3] as [number, number, number], target: [0, 0.5, 0] as [number, number, number], zoom: 1.25 },
  };

  const cases = [
    { label: 'PCA 3D', method: 'pca', dim: 3, pcaComponents: [2, 0, 5] },
    { label: 'PCA 2D', method: 'pca', dim: 2 },
    { label: 't-SNE 3D', method: 'tsne', dim: 3 },
    { label: 't-SNE 2D', method: 'tsne', dim: 2 },
    { label: 'UMAP 3D', method: 'umap', dim: 3 },
    { label: 'UMAP 2D', method: 'umap', dim: 2 },
  ] as const;

  for (const c of cases) {
    it(`is exact for ${c.label}`, () => {
      const pcaComponents = 'pcaComponents' in c ? ([...c.pcaComponents] as [number, number, number]) : undefined;
      const state = makeBookmark({ ...base, label: c.label, method: c.method, dim: c.dim, pcaComponents });
      const [read] = parseBookmarks(writeBookmarks([state]), 'ours.json', n);
      const layout = bookmarkLayout(read, n);
      expect(layout.method).toBe(c.method);
      expect(layout.dim).toBe(c.dim);
      expect(layout.missing).toEqual([]);
      for (let i = 0; i < n; i++) {
        for (let d = 0; d < 3; d++) {
          const want = d < c.dim ? positions[i * 3 + d] : 0;
          expect(layout.positions[i * 3 + d]).toBe(want);
        }
      }
      expect(bookmarkSelection(read)).toEqual([3, 7, 49]);
      expect(read.cameraDef).toEqual(base.camera);
      expect(read.label).toBe(c.label);
    });
  }

  it('writes the keys TF reads for the projection, and nothing else', () => {
    const pcaState = makeBookmark({ ...base, label: 'x', method: 'pca', dim: 3, pcaComponents: [2, 0, 5] });
    expect(Object.keys(pcaState.projections[0])).toEqual(['pca-2', 'pca-0', 'pca-5']);
    expect(pcaState.pcaComponentDimensions).toEqual([2, 0, 5]);
    const tsne2 = makeBookmark({ ...base, label: 'x', method: 'tsne', dim: 2 });
    expect(Object.keys(tsne2.projections[0])).toEqual(['tsne-0', 'tsne-1']);
    expect(tsne2.tSNEis3d).toBe(false);
    const umap3 = makeBookmark({ ...base, label: 'x', method: 'umap', dim: 3 });
    expect(Object.keys(umap3.projections[0])).toEqual(['umap-0', 'umap-1', 'umap-2']);
    expect(umap3.umapIs3d).toBe(true);
  });

  it('writes coordinates in the shortest form that reads back as the same float32', () => {
    const text = writeBookmarks([makeBookmark({ ...base, label: 'x', method: 'tsne', dim: 2 })]);
    expect(text).toContain('"tsne-0":0.1,');
    expect(text).not.toContain('0.10000000149011612');
  });
});

describe('what we write loads in TF', () => {
  const n = 6;
  const positions = new Float32Array(n * 3).map((_, i) => Math.sin(i) * 3);
  const args = {
    label: 'Ours',
    positions,
    vectorDim: 8,
    selected: [1],
    colorColumn: null,
    labelColumn: null,
    camera: { orthographic: true, position: [0, 0, 4] as [number, number, number], target: [0, 0, 0] as [number, number, number], zoom: 1 },
  };

  it('lists the same required fields as TF', () => {
    expect([...TF_REQUIRED_FIELDS].sort()).toEqual([...REQUIRED_BY_TF].sort());
  });

  for (const [method, dim] of [['pca', 3], ['pca', 2], ['tsne', 2], ['tsne', 3], ['umap', 2], ['umap', 3]] as const) {
    it(`has every field TF needs for ${method} ${dim}D`, () => {
      const text = writeBookmarks([makeBookmark({ ...args, method, dim })]);
      // TF downloads JSON.stringify(savedStates): one line, no indentation.
      expect(text).not.toMatch(/\n/);
      const [s] = JSON.parse(text) as Array<Record<string, unknown>>;
      for (const f of REQUIRED_BY_TF) {
        expect(s[f], f).not.toBeUndefined();
        expect(s[f], f).not.toBeNull();
      }
      // What TF's loaders do with them.
      expect(() => tfAccessorKeys(s)).not.toThrow();
      const keys = tfAccessorKeys(s);
      expect(keys).toHaveLength(dim);
      for (const p of s.projections as Array<Record<string, unknown>>) {
        for (const k of keys) expect(typeof p[k]).toBe('number');
      }
      expect((s.projections as unknown[]).length).toBe(n);
      expect(s.dataSetDimensions).toEqual([n, 8]); // savedStatesValid
      expect((s.pcaComponentDimensions as number[]).length).toBeGreaterThanOrEqual(2);
      for (const f of ['tSNEPerplexity', 'tSNELearningRate', 'tSNEIteration']) expect(typeof s[f]).toBe('number');
      expect(Array.isArray(s.selectedPoints)).toBe(true);
      // TF's own defaults for the rest.
      expect(s).toMatchObject({
        isSelected: false,
        filteredPoints: null,
        tSNELearningRate: 1,
        tSNEPerplexity: 5,
        umapNeighbors: 15,
        umapMinDist: 0.1,
        selectedColorOptionName: 'No color map',
        forceCategoricalColoring: false,
        customXLeftText: '',
        customXLeftRegex: false,
        cameraDef: { orthographic: true, position: [0, 0, 4], target: [0, 0, 0], zoom: 1 },
      });
      expect([...(s.shuffledDataIndices as number[])].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    });
  }

  it('carries the colour and label columns and t-SNE settings in TF\'s conventions', () => {
    const s = makeBookmark({
      ...args,
      method: 'tsne',
      dim: 3,
      colorColumn: 'class',
      labelColumn: 'word',
      tsne: { perplexity: 30, learningRate: 100, iteration: 500 },
    });
    expect(s).toMatchObject({
      selectedColorOptionName: 'class',
      selectedLabelOption: 'word',
      customSelectedSearchByMetadataOption: 'word',
      tSNEPerplexity: 30,
      tSNELearningRate: 2, // log10, TF's slider value
      tSNEIteration: 500,
    });
  });

  it('rejects arguments TF could not show', () => {
    expect(() => makeBookmark({ ...args, method: 'pca', dim: 3, pcaComponents: [0, 1, 10] })).toThrow(RangeError);
    expect(() => makeBookmark({ ...args, method: 'pca', dim: 3, selected: [6] })).toThrow(RangeError);
    const bad = positions.slice();
    bad[4] = NaN;
    expect(() => makeBookmark({ ...args, positions: bad, method: 'tsne', dim: 2 })).toThrow(RangeError);
  });
});

describe('parseBookmarks errors', () => {
  it('names the file when it is not JSON', () => {
    const e = errorOf('{"label": ', 4, 'runs/a/state');
    expect(e.file).toBe('runs/a/state');
    expect(e.message).toMatch(/^runs\/a\/state: not valid JSON/);
  });

  it('rejects anything but a JSON array', () => {
    const e = errorOf(JSON.stringify({ bookmarks: tfStates }));
    expect(e.message).toMatch(/JSON array/);
    expect(errorOf('"state"').message).toMatch(/JSON array/);
  });

  const cases: Array<[string, (s: Record<string, unknown>) => void, string, RegExp]> = [
    ['a bookmark that is not an object', () => undefined, '[1]', /must be an object/],
    ['projections for another dataset', (s) => (s.projections as unknown[]).pop(), '[1].projections', /has 3 entries but the dataset has 4 points/],
    ['a missing projections array', (s) => delete s.projections, '[1].projections', /missing/],
    ['a non-finite coordinate (NaN written as null)', (s) => ((s.projections as Array<Record<string, unknown>>)[2]['tsne-1'] = null), '[1].projections[2].tsne-1', /finite number, got null/],
    ['a coordinate that is a string', (s) => ((s.projections as Array<Record<string, unknown>>)[0]['pca-1'] = '0.5'), '[1].projections[0].pca-1', /finite number/],
    ['an unknown projection key', (s) => ((s.projections as Array<Record<string, unknown>>)[3]['pca_0'] = 1), '[1].projections[3].pca_0', /unknown projection key/],
    ['a t-SNE key beyond 3D', (s) => ((s.projections as Array<Record<string, unknown>>)[3]['tsne-3'] = 1), '[1].projections[3].tsne-3', /unknown projection key/],
    ['a point with half its t-SNE coordinates', (s) => delete (s.projections as Array<Record<string, unknown>>)[1]['tsne-1'], '[1].projections[1].tsne-1', /missing/],
    ['a selected point out of range', (s) => (s.selectedPoints = [0, 4]), '[1].selectedPoints[1]', /4 is not a point index in 0\.\.3/],
    ['a selected point that is not an integer', (s) => (s.selectedPoints = [1.5]), '[1].selectedPoints[0]', /not a point index/],
    ['a missing selectedPoints', (s) => delete s.selectedPoints, '[1].selectedPoints', /missing/],
    ['an unknown projection type', (s) => (s.selectedProjection = 'isomap'), '[1].selectedProjection', /one of pca, tsne, umap, custom/],
    ['a missing t-SNE perplexity', (s) => delete s.tSNEPerplexity, '[1].tSNEPerplexity', /missing/],
    ['a missing dataSetDimensions', (s) => delete s.dataSetDimensions, '[1].dataSetDimensions', /missing/],
    ['a PCA bookmark with one component', (s) => { s.selectedProjection = 'pca'; s.pcaComponentDimensions = [0]; }, '[1].pcaComponentDimensions', /2 or 3 components/],
    ['a PCA bookmark whose components were not saved', (s) => { s.selectedProjection = 'pca'; s.pcaComponentDimensions = [0, 7]; }, '[1].projections[0].pca-7', /finite number, got null/],
    ['filteredPoints out of range', (s) => (s.filteredPoints = [0, 9]), '[1].filteredPoints[1]', /9 is not a point index/],
    ['a camera without a zoom', (s) => delete (s.cameraDef as Record<string, unknown>).zoom, '[1].cameraDef.zoom', /positive number/],
  ];
  for (const [what, change, field, message] of cases) {
    it(`names the file, bookmark and field for ${what}`, () => {
      const text = what === 'a bookmark that is not an object'
        ? JSON.stringify([tfStates[0], 42])
        : withState1(change);
      const e = errorOf(text, 4, 'state.txt');
      expect(e.file).toBe('state.txt');
      expect(e.field).toBe(field);
      expect(e.message).toContain('state.txt');
      expect(e.message).toContain(`field "${field}"`);
      expect(e.message).toContain('bookmark 1');
      expect(e.message).toMatch(message);
    });
  }

  it('checks the point count against filteredPoints when filtered', () => {
    const e = errorOf(withState1((s) => (s.filteredPoints = [0, 1])));
    expect(e.field).toBe('[1].projections');
    expect(e.message).toMatch(/filteredPoints lists 2 points/);
  });
});

// Type-level: a parsed state is a TfState.
const _typed: TfState[] = parseBookmarks('[]', 'x', 0);
void _typed;
