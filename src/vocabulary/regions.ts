import regions from '../../contracts/reference/regions.json' with { type: 'json' };

/** A prefecture-level unit of the Delta with its GB/T 2260 code (`contracts/reference/regions.json`). */
export interface City {
  readonly code: string;
  readonly name: string;
  readonly provinceCode: string;
}

const CITIES: ReadonlyMap<string, City> = new Map(
  regions.cities.map((c) => [
    c.code,
    Object.freeze({ code: c.code, name: c.name, provinceCode: c.provinceCode }),
  ]),
);

/** The city with this six-digit division code, if it is one of the Delta's 41. */
export function cityByCode(code: string): City | undefined {
  return CITIES.get(code);
}

export function allCities(): readonly City[] {
  return [...CITIES.values()];
}

/**
 * The city whose node serves a division: the city itself, the city of a district or county
 * (`320506` 吴中区 → `320500` 苏州市), or the municipality of one of its districts (`310115` →
 * `310000`); undefined outside the Delta's 41.
 */
export function servingCity(code: string): string | undefined {
  for (const candidate of [code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`])
    if (CITIES.has(candidate)) return candidate;
  return undefined;
}
