import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Registered when a test file imports this module, so that directories made inside hooks are removed too.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory removed after the test file. */
export function tempDir(prefix = 'yrdx-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/** A copy of the repository's config/ folder, so tests can generate keys beside it. */
export function copyConfig(): string {
  const dir = tempDir('yrdx-config-');
  cpSync(new URL('../../config', import.meta.url), join(dir, 'config'), { recursive: true });
  return join(dir, 'config');
}
