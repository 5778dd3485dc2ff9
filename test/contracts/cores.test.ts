import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaWalker } from '../../src/contracts/schema-walk.js';
import { compileValidators } from '../../src/contracts/validators-ajv.js';
import { readContractsDir, readCores } from '../../src/runtime/node/contracts-dir.js';
import { schemaArbitrary } from '../helpers/schema-arbitrary.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyOfCores(): string {
  const root = mkdtempSync(join(tmpdir(), 'yrdx-cores-'));
  made.push(root);
  cpSync('contracts/core', join(root, 'core'), { recursive: true });
  return root;
}

describe('case cores, one per generation', () => {
  it('reads every core/*.schema.json, each with its own $id, and a canonical schema may use either', () => {
    const cores = readContractsDir('contracts').core;
    expect(cores.map((c) => c.$id).sort()).toEqual([
      'urn:yrdx:contracts:core',
      'urn:yrdx:contracts:core:2',
      'urn:yrdx:contracts:core:cooperation:1',
    ]);
    const validate = compileValidators(cores, {
      one: { $ref: 'urn:yrdx:contracts:core#/$defs/party' },
      two: { $ref: 'urn:yrdx:contracts:core:2#/$defs/party' },
    });
    const business = {
      kind: 'individual-business',
      name: '湖州市吴兴区张三食品店',
      uscc: '91330110MA2CE7K8X4',
    };
    // Only generation 2 knows the 个体工商户 of the 双公示 standard; generation 1 stays as published.
    expect(validate.one!(business)).toBe(false);
    expect(validate.two!(business)).toBe(true);
  });

  it('generation 2 keeps a result as the laboratory wrote it', () => {
    const { m } = compileValidators(readContractsDir('contracts').core, {
      m: { $ref: 'urn:yrdx:contracts:core:2#/$defs/measured' },
    });
    for (const ok of [
      { value: '1.80', unit: 'mg/kg' },
      { value: '0.005', qualifier: '<', unit: 'mg/kg' },
      { notDetected: true, detectionLimit: '0.003', unit: 'mg/kg' },
      { value: '3.2E5', unit: 'CFU/g' },
    ])
      expect(m!(ok), JSON.stringify(ok)).toBe(true);
    for (const bad of [
      { notDetected: true, value: '0.1' },
      { qualifier: '<' },
      { value: '1.8e5' },
      { value: '01.8' },
    ])
      expect(m!(bad), JSON.stringify(bad)).toBe(false);
  });

  it('refuses a folder without the first core, and two cores with one $id', () => {
    const root = copyOfCores();
    writeFileSync(
      join(root, 'core', 'case-3.schema.json'),
      JSON.stringify({ $id: 'urn:yrdx:contracts:core:2' }),
    );
    expect(() => readCores(root)).toThrow(expect.objectContaining({ code: 'contract_invalid' }));
    rmSync(join(root, 'core', 'case.schema.json'));
    rmSync(join(root, 'core', 'case-3.schema.json'));
    expect(() => readCores(root)).toThrow(expect.objectContaining({ code: 'contract_invalid' }));
  });

  it('the document generator of the property tests covers the choices of generation 2, with valid documents only', () => {
    const cores = readContractsDir('contracts').core;
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['m', 'w', 'p'],
      properties: {
        m: { $ref: 'urn:yrdx:contracts:core:2#/$defs/measured' },
        w: { $ref: 'urn:yrdx:contracts:core:2#/$defs/when' },
        p: { $ref: 'urn:yrdx:contracts:core:2#/$defs/party' },
      },
    };
    const { doc } = compileValidators(cores, { doc: schema });
    const seen = new Set<string>();
    fc.assert(
      fc.property(schemaArbitrary(new SchemaWalker([...cores, schema]), schema), (value) => {
        expect(doc!(value), JSON.stringify(value)).toBe(true);
        const v = value as { m: { notDetected?: true }; w: string; p: { kind: string } };
        seen.add(v.m.notDetected ? 'not-detected' : 'value');
        seen.add(v.w.includes('T') ? 'date-time' : 'date');
        seen.add(v.p.kind);
      }),
      { numRuns: 200 },
    );
    expect([...seen].sort()).toEqual(
      [
        'date',
        'date-time',
        'individual',
        'individual-business',
        'not-detected',
        'organisation',
        'value',
      ].sort(),
    );
  });
});
