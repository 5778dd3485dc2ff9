import type { LocalSystemConfig } from '../../config/types.js';
import type { Contract } from '../../contracts/contract.js';
import { getAt, type Segments } from '../../contracts/pointer.js';

/**
 * The organs a message is addressed to, by the route its workflow declares (`route.organs`: for a
 * suspected crime handed over, the public-security organ and the procuratorate copied), read from the
 * canonical body; empty for a message that names none. `*` in a pointer stands for every item.
 */
export function organsOf(contract: Contract, type: string, canonical: unknown): string[] {
  const out = new Set<string>();
  for (const workflow of contract.workflows.values()) {
    if (!workflow.opens.includes(type)) continue;
    for (const pointer of workflow.organs)
      for (const v of valuesAt(canonical, pointer)) if (typeof v === 'string') out.add(v);
  }
  return [...out];
}

function valuesAt(root: unknown, pointer: Segments): unknown[] {
  const star = pointer.indexOf('*');
  if (star < 0) {
    const v = getAt(root, pointer);
    return v === undefined ? [] : [v];
  }
  const list = getAt(root, pointer.slice(0, star));
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => valuesAt(item, pointer.slice(star + 1)));
}

/**
 * The local systems that receive a message: the organs' own systems when it is addressed to organs
 * (a case file for the police goes to the police's system, not the bureau's), else the systems
 * without organs.
 */
export function forOrgans(
  systems: readonly LocalSystemConfig[],
  organs: readonly string[],
): LocalSystemConfig[] {
  if (organs.length === 0) return systems.filter((s) => s.organs.length === 0);
  return systems.filter((s) => s.organs.some((o) => organs.includes(o)));
}
