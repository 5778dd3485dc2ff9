import { IDENTIFIER_NORMAL_FORMS } from '../vocabulary/identifiers/index.js';
import type { Contract } from './contract.js';
import type { Segments } from './pointer.js';

/** A place in the canonical model holding an identifier with a normal form (`*` = every item). */
interface Place {
  readonly segments: Segments;
  readonly normalize: (value: string) => string;
}

const PLACES = new WeakMap<Contract, readonly Place[]>();

/** Where the canonical schema puts identifiers that have a normal form; found once per contract. */
function placesOf(contract: Contract): readonly Place[] {
  let places = PLACES.get(contract);
  if (places !== undefined) return places;
  const found: Place[] = [];
  for (const leaf of contract.walker.leaves(contract.canonicalSchema)) {
    const node = contract.walker.at(contract.canonicalSchema, leaf);
    const items = node?.items as Record<string, unknown> | undefined;
    const format = node?.format ?? items?.format;
    const normalize = typeof format === 'string' ? IDENTIFIER_NORMAL_FORMS[format] : undefined;
    if (normalize === undefined) continue;
    found.push({ segments: node?.format === undefined ? [...leaf, '*'] : leaf, normalize });
  }
  places = found;
  PLACES.set(contract, places);
  return places;
}

function visit(holder: unknown, segments: Segments, i: number, normalize: (v: string) => string): void {
  if (typeof holder !== 'object' || holder === null) return;
  const seg = segments[i]!;
  const container = holder as Record<string, unknown>;
  const keys = seg === '*' ? (Array.isArray(holder) ? holder.keys() : []) : [seg];
  for (const key of keys) {
    const value = container[key as string];
    if (i < segments.length - 1) visit(value, segments, i + 1, normalize);
    else if (typeof value === 'string') {
      const normal = normalize(value);
      if (normal !== value) container[key as string] = normal;
    }
  }
}

/**
 * Writes every identifier of a freshly translated canonical body in its normal form (an ID
 * number's `x` as `X`), whatever the dialect wrote: every dialect yields the same canonical value.
 */
export function normalizeIdentifiers(contract: Contract, canonical: Record<string, unknown>): void {
  for (const place of placesOf(contract)) visit(canonical, place.segments, 0, place.normalize);
}
