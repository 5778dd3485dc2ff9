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

const PINYIN: ReadonlyMap<string, string> = new Map(regions.cities.map((c) => [c.code, c.pinyin]));

/**
 * A node or division code with its city's name beside it, for people: `320500 苏州市` /
 * `320500 Suzhou`; the code alone when it is not one of the Delta's 41 (a district is named by the city
 * that serves it only where the caller asks `servingCity` first).
 */
export function cityLabel(code: string, lang: 'zh' | 'en' = 'zh'): string {
  const name = lang === 'en' ? PINYIN.get(code) : CITIES.get(code)?.name;
  return name === undefined ? code : `${code} ${name}`;
}

/** The city's name alone in the language (苏州市 / Suzhou), or undefined outside the Delta's 41. */
export function cityName(code: string, lang: 'zh' | 'en' = 'zh'): string | undefined {
  return lang === 'en' ? PINYIN.get(code) : CITIES.get(code)?.name;
}
