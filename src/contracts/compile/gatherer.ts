/** The most document shapes (lists of top-level names) a `Gatherer` remembers. */
const SHAPES = 8;

/**
 * Reads the top-level names that field rules ask for from a document in one pass over its own
 * keys, instead of one generic keyed lookup per name (which costs as much for an absent name as for
 * a present one). A document's list of own keys is compared with the shapes seen before; for a
 * known shape each key's slot is already known, so the pass is a copy. Each name has one slot.
 */
export class Gatherer {
  private readonly slots = new Map<string, number>();
  private readonly shapes: { readonly keys: readonly string[]; readonly slotOfKey: Int32Array }[] = [];

  /** The slot of a top-level name read by some rule (assigned while compiling). */
  slotOf(name: string): number {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(name, slot);
    }
    return slot;
  }

  gather(source: unknown): unknown[] | undefined {
    if (this.slots.size === 0 || typeof source !== 'object' || source === null || Array.isArray(source))
      return undefined;
    const keys = Object.keys(source);
    const shape = this.shapeOf(keys);
    const values = Object.values(source);
    const gathered: unknown[] = new Array(this.slots.size);
    const slotOfKey = shape.slotOfKey;
    for (let k = 0; k < slotOfKey.length; k++) {
      const slot = slotOfKey[k]!;
      if (slot >= 0) gathered[slot] = values[k];
    }
    return gathered;
  }

  private shapeOf(keys: readonly string[]): { readonly slotOfKey: Int32Array } {
    const shapes = this.shapes;
    search: for (let i = 0; i < shapes.length; i++) {
      const known = shapes[i]!.keys;
      if (known.length !== keys.length) continue;
      for (let k = 0; k < keys.length; k++) if (known[k] !== keys[k]) continue search;
      return shapes[i]!;
    }
    const slotOfKey = Int32Array.from(keys, (key) => this.slots.get(key) ?? -1);
    const shape = { keys, slotOfKey };
    if (shapes.length >= SHAPES) shapes.pop();
    shapes.unshift(shape);
    return shape;
  }
}
