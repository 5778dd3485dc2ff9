// Types of the generated config-schema.cjs (written by `npm run build:worker`).
type SchemaValidator = ((value: unknown) => boolean) & { errors?: import('ajv').ErrorObject[] | null };
declare function createValidators(formats: Record<string, unknown>): {
  readonly node: SchemaValidator;
  readonly partner: SchemaValidator;
};
export = createValidators;
