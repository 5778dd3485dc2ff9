/**
 * Stands in for ajv's compiler and ajv-formats in the Worker bundle (wrangler.toml `[alias]`):
 * Workers forbid code generation, so the bundle must not carry a path that compiles a schema. Every
 * validator the Worker uses was generated at build time (contracts/build/, build/worker/);
 * reaching this module is a bug, and it says so.
 */
function refuse(): never {
  throw new Error('yrdx: ajv cannot compile schemas on Workers; use the validators generated at build time');
}

export class Ajv2020 {
  constructor() {
    refuse();
  }
}

export default refuse;
