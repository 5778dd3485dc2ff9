// Types of the generated contracts.cjs (written by `npm run build:worker`).
declare const bundle: {
  readonly core: import('../../src/contracts/schema-walk.js').CoreSchemas;
  readonly contracts: readonly import('../../src/contracts/files.js').ContractFiles[];
  readonly validators: Readonly<
    Record<string, import('../../src/contracts/validators-standalone.js').StandaloneFactory>
  >;
  readonly runs: Readonly<
    Record<string, Readonly<Record<string, import('../../src/contracts/compile.js').RunFactory>>>
  >;
};
export = bundle;
