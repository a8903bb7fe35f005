import { DataError } from '../errors';
import { type ColumnInfo, VectorChoiceError } from './types';

export interface VectorPlan {
  /** One list column, or several numeric scalar columns read side by side. */
  columns: string[];
  list: boolean;
  choices: string[];
}

/**
 * Which columns make the vector. A list column wins (several: the caller must choose);
 * without one, the float columns taken together; without those, the integer columns (a table
 * of pixel counts, say). Integers beside floats are kept as metadata: they are ids and classes.
 */
export function chooseVector(columns: ColumnInfo[], choice: string | null | undefined | false, file: string): VectorPlan {
  const lists = columns.filter((c) => c.kind === 'list').map((c) => c.name);
  if (choice === false) return { columns: [], list: false, choices: lists };
  if (choice) {
    if (lists.includes(choice)) return { columns: [choice], list: true, choices: lists };
    const known = lists.length > 0 ? lists.join(', ') : 'none';
    throw new VectorChoiceError(file, lists, `has no vector column "${choice}" (vector columns: ${known})`);
  }
  if (lists.length === 1) return { columns: lists, list: true, choices: lists };
  if (lists.length > 1) throw new VectorChoiceError(file, lists);
  const floats = columns.filter((c) => c.kind === 'float').map((c) => c.name);
  if (floats.length > 0) return { columns: floats, list: false, choices: [] };
  const ints = columns.filter((c) => c.kind === 'int').map((c) => c.name);
  if (ints.length > 0) return { columns: ints, list: false, choices: [] };
  const names = columns.map((c) => `${c.name} (${c.kind})`).join(', ') || 'no columns';
  throw new DataError(
    file,
    `no vector column: needs a list<float> column, a column of number arrays, or numeric columns; found ${names}`,
  );
}
