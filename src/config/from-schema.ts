/**
 * The TypeScript type of the values a JSON schema written `as const` accepts, for the keywords
 * yrdx's configuration schema uses (type, enum, anyOf, properties, required, additionalProperties,
 * items). Deriving the types keeps the schema the one description of the configuration file: a
 * member added to the schema appears in the types, and code reading a member the schema lacks
 * does not compile. Keywords that only narrow a value (pattern, format, ranges) add nothing here.
 */
export type FromSchema<S> = S extends { readonly anyOf: readonly (infer A)[] }
  ? FromSchema<A>
  : S extends { readonly enum: readonly (infer E)[] }
    ? E
    : S extends { readonly type: 'string' }
      ? string
      : S extends { readonly type: 'integer' | 'number' }
        ? number
        : S extends { readonly type: 'boolean' }
          ? boolean
          : S extends { readonly type: 'array'; readonly items: infer I }
            ? readonly FromSchema<I>[]
            : S extends { readonly type: 'object'; readonly properties: infer P }
              ? ObjectOf<P, RequiredOf<S>, S extends { readonly additionalProperties: false } ? false : true>
              : S extends { readonly type: 'object'; readonly additionalProperties: infer A extends object }
                ? Readonly<Partial<Record<string, FromSchema<A>>>>
                : S extends { readonly type: 'object' }
                  ? Readonly<Record<string, unknown>>
                  : unknown;

type RequiredOf<S> = S extends { readonly required: readonly (infer R)[] } ? R : never;

/** Required members, then optional ones; other members only when the schema allows them. */
type ObjectOf<P, R, Open extends boolean> = Flat<
  { readonly [K in keyof P & R]: FromSchema<P[K]> } & {
    readonly [K in Exclude<keyof P, R>]?: FromSchema<P[K]>;
  } & (Open extends true ? Readonly<Record<string, unknown>> : unknown)
>;

type Flat<T> = { [K in keyof T]: T[K] };
