// Types of the generated contracts.cjs (written by `npm run build:worker`).
declare const bundle: {
  readonly core: import('../../../contracts/schema-walk.js').SchemaNode;
  readonly contracts: readonly import('../../../contracts/files.js').ContractFiles[];
  readonly validators: Readonly<
    Record<string, import('../../../contracts/validators-standalone.js').StandaloneFactory>
  >;
  readonly runs: Readonly<
    Record<string, Readonly<Record<string, import('../../../contracts/compile.js').RunFactory>>>
  >;
};
export = bundle;
