import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isYrdxError } from '../../src/errors/errors.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { compileFiles, copyFiles, FIXTURE_DIR, fixture, loadAll } from '../helpers/contracts.js';
import { tempDir } from '../helpers/tmp.js';

// Contract files are bounded in depth and size before anything recurses into them, whether they were
// uploaded (an object) or read from a contracts folder (finding 9 of issue 14): a fault with the file
// and the pointer, never a stack overflow.

const DEPTH = 100_000;
const deepText = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;

/** A copy of the fixture contracts folder, to break on disk. */
function folder(): string {
  const root = join(tempDir('yrdx-contracts-hostile-'), 'contracts');
  cpSync(FIXTURE_DIR, root, { recursive: true });
  return root;
}

function refusal(fn: () => unknown): {
  code: string;
  errors: { file?: string; pointer: string; detail: string }[];
} {
  try {
    fn();
  } catch (error) {
    if (isYrdxError(error))
      return { code: error.code, errors: error.errors.map((e) => ({ ...e, detail: e.detail.en })) };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('contract files are bounded before they are compiled', () => {
  it('reports a 100,000-deep member of a mapping read from disk with its file and pointer', () => {
    const root = folder();
    const file = join(root, 'sample', '1.0.0', 'dialects', 'flat', 'mapping.json');
    const mapping = readFileSync(file, 'utf8');
    writeFileSync(file, mapping.replace(/^\{/, `{"deep": ${deepText},`));
    const { code, errors } = refusal(() => loadAll(readContractsDir(root)));
    expect(code).toBe('contract_invalid');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.file).toMatch(/sample\/1\.0\.0\/dialects\/flat\/mapping\.json$/);
    expect(errors[0]!.pointer).toMatch(/^\/deep(\/a)+$/);
    expect(errors[0]!.detail).toContain('32');
  });

  it('refuses a contract file larger than the bound without reading it', () => {
    const root = folder();
    const file = join(root, 'sample', '1.0.0', 'dialects', 'nested', 'examples', 'notification.json');
    writeFileSync(file, `{"pad": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    const { code, errors } = refusal(() => loadAll(readContractsDir(root)));
    expect(code).toBe('contract_invalid');
    expect(errors[0]!.file).toMatch(/examples\/notification\.json$/);
    expect(errors[0]!.detail).toContain('1048576');
  });

  it('reports a 100,000-deep member of an uploaded mapping as a fault, not a stack overflow', () => {
    const dir = fixture();
    const files = copyFiles(dir.contracts[0]!);
    (files.dialects.flat!.mapping as Record<string, unknown>).deep = JSON.parse(deepText);
    const faults = compileFiles(dir, files);
    expect(Array.isArray(faults)).toBe(true);
    expect(faults).toContainEqual(
      expect.objectContaining({
        file: 'dialects/flat/mapping.json',
        pointer: expect.stringMatching(/^\/deep\/a/),
      }),
    );
  });

  it('refuses files whose names are not a message type before a path is made of them', () => {
    const root = folder();
    writeFileSync(join(root, 'sample', '1.0.0', 'dialects', 'flat', 'examples', 'notes.json'), '{}');
    const { code, errors } = refusal(() => readContractsDir(root));
    expect(code).toBe('contract_invalid');
    expect(errors[0]!.file).toMatch(/dialects\/flat\/examples\/notes\.json$/);
  });

  it('refuses a version folder whose name is not MAJOR.MINOR.PATCH without leading zeros', () => {
    const root = folder();
    cpSync(join(root, 'sample', '1.0.0'), join(root, 'sample', '01.0.0'), { recursive: true });
    const { code, errors } = refusal(() => readContractsDir(root));
    expect(code).toBe('contract_invalid');
    expect(errors[0]!.file).toMatch(/sample\/01\.0\.0$/);
  });
});
