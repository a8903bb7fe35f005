/**
 * The ids held by each heap row of one stripe, as hash sets: NN-descent's repeat check in O(1).
 * Pure and worker-safe.
 *
 * Why: most offers that beat a row's root are of a neighbour the row already holds (77% at k = 90
 * on mnist-10k: the same pair turns up in many joins), and scanning the row's K ids for each one
 * took most of the time of applying offers. A row's set is built from its heap at its first offer
 * of the stripe's turn (begin), then kept in step with each entry that enters or leaves; it answers
 * exactly as the scan would, so the heaps come out the same, bit for bit.
 * Open addressing with linear probing, at most half full; -1 marks a free slot.
 */
export class StripeSets {
  private readonly slots: Int32Array;
  private readonly built: Int32Array;
  private readonly shift: number;
  private readonly mask: number;
  private readonly size: number;
  private turn = 0;

  /** For stripes of up to `rows` rows of K entries each. */
  constructor(rows: number, K: number) {
    let bits = 1;
    while (1 << bits < 2 * K) bits++;
    this.size = 1 << bits;
    this.mask = this.size - 1;
    this.shift = 32 - bits;
    this.slots = new Int32Array(rows * this.size);
    this.built = new Int32Array(rows);
  }

  /** Before a stripe's offers: every row's set is stale. */
  begin(): void {
    this.turn++;
  }

  private home(j: number): number {
    return Math.imul(j, 0x9e3779b1) >>> this.shift;
  }

  /** Whether the row (its place in the stripe) holds j; its heap's ids are idx[base, base + K). */
  has(local: number, idx: Int32Array, base: number, K: number, j: number): boolean {
    const o = local * this.size;
    const slots = this.slots;
    if (this.built[local] !== this.turn) {
      this.built[local] = this.turn;
      slots.fill(-1, o, o + this.size);
      for (let c = base; c < base + K; c++) if (idx[c] >= 0) this.insert(o, idx[c]);
    }
    for (let i = this.home(j); ; i = (i + 1) & this.mask) {
      const x = slots[o + i];
      if (x === j) return true;
      if (x < 0) return false;
    }
  }

  /** The row's entry `out` (-1: an empty one) leaves for `into`, which it did not hold. */
  replace(local: number, out: number, into: number): void {
    const o = local * this.size;
    if (out >= 0) this.remove(o, out);
    this.insert(o, into);
  }

  private insert(o: number, j: number): void {
    const slots = this.slots;
    let i = this.home(j);
    while (slots[o + i] >= 0) i = (i + 1) & this.mask;
    slots[o + i] = j;
  }

  /** Deletes j, shifting back the entries of its probe run that would no longer be found. */
  private remove(o: number, j: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let hole = this.home(j);
    while (slots[o + hole] !== j) hole = (hole + 1) & mask;
    for (let i = (hole + 1) & mask; slots[o + i] >= 0; i = (i + 1) & mask) {
      // The entry at i may fill the hole unless its home lies cyclically in (hole, i].
      const h = this.home(slots[o + i]);
      if (((i - h) & mask) >= ((i - hole) & mask)) {
        slots[o + hole] = slots[o + i];
        hole = i;
      }
    }
    slots[o + hole] = -1;
  }
}
