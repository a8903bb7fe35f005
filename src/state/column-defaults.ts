/**
 * What a dataset opens with, before any setting is touched: colour by the first column whose
 * values are few enough to be categories (else one calm colour, no legend), and label by the first
 * text column whose values are mostly unique (words, titles, ids), so text embeddings read as text.
 */
import type { Metadata } from '../data/types';
import { MAX_CATEGORIES } from '../color/color-by';

/** Share of non-empty cells that must be distinct for a column to name its points. */
const MOSTLY_UNIQUE = 0.8;

export function defaultColorColumn(metadata: Metadata | null): number {
  return metadata?.columns.findIndex((c) => c.distinct > 0 && c.distinct <= MAX_CATEGORIES) ?? -1;
}

export function defaultLabelColumn(metadata: Metadata | null): number {
  if (!metadata) return -1;
  return metadata.columns.findIndex((c) => {
    if (c.numeric || c.distinct === 0) return false;
    let filled = 0;
    for (const v of c.values) if (v !== null) filled++;
    return c.distinct >= MOSTLY_UNIQUE * filled;
  });
}
