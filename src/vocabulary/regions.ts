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
