/** A statement's text and its values, in the order of the text's placeholders. */
export interface Bound {
  readonly text: string;
  readonly values: unknown[];
}

/**
 * Writes the `@name` parameters of `text` (the SQL the stores share is written with them, as the
 * embedded SQLite store binds it) as the placeholders of a dialect that binds by position:
 * `n => '?' + n` for D1, `n => '$' + n` for PostgreSQL. Each distinct name gets one number and its
 * value is bound once; a name without a value is a mistake in the caller, not a NULL.
 */
export function bindNamed(
  text: string,
  params: Readonly<Record<string, unknown>>,
  placeholder: (n: number) => string,
): Bound {
  const order: string[] = [];
  const query = text.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    let index = order.indexOf(name);
    if (index < 0) {
      if (!(name in params)) throw new Error(`no value for @${name}`);
      index = order.push(name) - 1;
    }
    return placeholder(index + 1);
  });
  const values = order.map((name) => {
    const value = params[name];
    return value === undefined ? null : value;
  });
  return { text: query, values };
}
