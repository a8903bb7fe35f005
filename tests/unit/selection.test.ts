import { beforeEach, describe, expect, it } from 'vitest';
import { addToSelection, clearSelection, isolate, select, setHidden, showAll, toggleHidden } from '../../src/state/actions';
import { HIDDEN, pointFlags, SELECTED } from '../../src/state/point-flags';
import { setState, getState, type Dataset } from '../../src/state/store';

const column = { name: 'label', values: ['a', 'b', 'a', 'c', null], numeric: false, distinct: 3 };
const dataset = { n: 5 } as Dataset;

beforeEach(() => setState({ dataset, selected: new Int32Array(0), hiddenValues: [] }));

describe('selection and legend filters', () => {
  it('select keeps valid indices once, in order; shift adds, and toggles a single point', () => {
    select([3, 1, 3, 9, -1, 2.5]);
    expect(Array.from(getState().selected)).toEqual([1, 3]);
    addToSelection([0, 4]);
    expect(Array.from(getState().selected)).toEqual([0, 1, 3, 4]);
    addToSelection([3]);
    expect(Array.from(getState().selected)).toEqual([0, 1, 4]);
    clearSelection();
    expect(getState().selected.length).toBe(0);
  });

  it('legend click hides and shows; shift-click isolates, and again shows all', () => {
    toggleHidden('a');
    expect(getState().hiddenValues).toEqual(['a']);
    toggleHidden('a');
    expect(getState().hiddenValues).toEqual([]);
    isolate('b', ['a', 'b', 'c']);
    expect(getState().hiddenValues.sort()).toEqual(['a', 'c']);
    isolate('b', ['a', 'b', 'c']);
    expect(getState().hiddenValues).toEqual([]);
    toggleHidden('c');
    showAll();
    expect(getState().hiddenValues).toEqual([]);
    // window.projector.hide(values): exactly these, once each.
    setHidden(['a', 'c', 'a']);
    expect(getState().hiddenValues).toEqual(['a', 'c']);
  });

  it('flags: hidden by value (missing values never), selected by index', () => {
    const flags = pointFlags(5, column, ['a'], Int32Array.from([2, 3]));
    expect(Array.from(flags)).toEqual([HIDDEN, 0, HIDDEN | SELECTED, SELECTED, 0]);
  });
});
