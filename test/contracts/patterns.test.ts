import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';
import { RE2JS } from 're2js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContractFiles } from '../../src/contracts/files.js';
import { generateStandalone } from '../../src/contracts/standalone.js';
import { compileValidators } from '../../src/contracts/validators-ajv.js';
import { type StandaloneFactory, standaloneProvider } from '../../src/contracts/validators-standalone.js';
import { compileFiles, copyFiles, fixture } from '../helpers/contracts.js';

// Patterns come from contracts, which admins upload: they must run in time linear in the input
// (finding 8 of issue 14), on Node (ajv compiled at run time) and on Workers (ajv standalone code),
// and a pattern too large to be a field format is refused before anything compiles it.

const REDOS = '^([^!]+)+$';

/** Milliseconds per call: repeated until 15 ms have passed, so that fast and slow calls are both measured. */
function perCall(fn: () => void): number {
  fn();
  let calls = 0;
  const start = performance.now();
  do {
    fn();
    calls++;
  } while (performance.now() - start < 15);
  return (performance.now() - start) / calls;
}

/** How much longer a string twice as long takes: about 2 when linear, 2^n when backtracking. */
function doublingRatio(validate: (s: string) => unknown, n: number): number {
  // Without a "!" nothing matches; a backtracking engine tries every way to split the run.
  const short = `${'a'.repeat(n)}!`;
  const long = `${'a'.repeat(2 * n)}!`;
  const ratios: number[] = [];
  for (let round = 0; round < 3; round++)
    ratios.push(perCall(() => validate(long)) / perCall(() => validate(short)));
  return Math.min(...ratios);
}

/** The flat dialect of the sample contract with `pattern` on its free-text field BZ. */
function withPattern(pattern: string): ContractFiles {
  const files = copyFiles(fixture().contracts[0]!);
  const schema = files.dialects.flat!.schema as { properties: Record<string, Record<string, unknown>> };
  schema.properties.BZ!.pattern = pattern;
  return files;
}

describe('contract patterns run in linear time', () => {
  it('validates against a catastrophic pattern in linear time on Node (13 vs 26 characters)', () => {
    const { core } = fixture();
    const validators = compileValidators(core, { s: { type: 'string', pattern: REDOS } });
    const validate = validators.s!;
    expect(validate('abc')).toBe(true);
    expect(validate('ab!c')).toBe(false);
    expect(doublingRatio((s) => validate(s), 13)).toBeLessThan(6);
  });

  it('validates against it in linear time in the standalone code the Worker runs', () => {
    const dir = fixture();
    const files = withPattern(REDOS);
    const code = generateStandalone(dir.core, files);
    // Every pattern goes through the linear-time engine the module is given, none through RegExp.
    expect(code.includes('new RegExp')).toBe(false);
    const module = { exports: undefined as unknown };
    // The generated module is CommonJS: run it as Node would load it.
    const load = runInThisContext(`(function (module, require) {${code}\n})`) as (
      m: typeof module,
      r: NodeJS.Require,
    ) => void;
    load(module, createRequire(import.meta.url));
    const provider = standaloneProvider({ 'sample@1.0.0': module.exports as StandaloneFactory });
    const validate = provider('sample@1.0.0', {})['dialect:flat']!;
    expect(validate({ BZ: 'abc' })).toBe(true);
    expect(validate({ BZ: 'ab!c' })).toBe(false);
    expect(doublingRatio((s) => validate({ BZ: s }), 13)).toBeLessThan(6);
  });

  it('refuses a 140 KB pattern by its size, before compiling it', () => {
    const dir = fixture();
    const huge = `^(${Array.from({ length: 22_000 }, (_, i) => `a${i}`).join('|')})+$`;
    expect(huge.length).toBeGreaterThan(140_000);
    const small = perCall(() => compileFiles(dir, withPattern('^[a-z]{1,20}$')));
    let faults: unknown;
    const refused = perCall(() => {
      faults = compileFiles(dir, withPattern(huge));
    });
    expect(faults).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'dialects/flat/schema.json',
          pointer: '/properties/BZ/pattern',
          detail: expect.stringContaining('1024'),
        }),
      ]),
    );
    // Refusing it costs no more than compiling a contract with a small pattern.
    expect(refused / small).toBeLessThan(2);
  });

  it('compiles no pattern when validators are built (at boot), each one once when a document needs it', () => {
    const { core } = fixture();
    // ajv checks each schema against the JSON Schema meta-schema, whose own patterns run here too.
    compileValidators(core, { s: { type: 'string', pattern: '^a$' } }).s!('a');
    const compile = vi.spyOn(RE2JS, 'compile');
    const unique = `^[a-z]{1,${3 + Math.floor(Math.random() * 400)}}q$`;
    const compiled = () => compile.mock.calls.length;
    const validate = compileValidators(core, { s: { type: 'string', pattern: unique } }).s!;
    expect(compiled()).toBe(0);
    expect(validate('abq')).toBe(true);
    expect(validate('ab')).toBe(false);
    expect(compiled()).toBe(1);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
