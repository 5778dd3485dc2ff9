import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedWorkerBuild, WORKER_BUILD_DIR } from '../../scripts/build-worker.js';
import { isYrdxError } from '../../src/errors/errors.js';
import { workerConfig } from '../../src/runtime/worker/config.js';
import type { WorkerEnv } from '../../src/runtime/worker/env.js';
import { workerLogger } from '../../src/runtime/worker/logger.js';

const bundled = JSON.parse(readFileSync('config/worker.json', 'utf8')) as Record<string, unknown>;
const env = (vars: Record<string, string>): WorkerEnv => ({ DB: {} as WorkerEnv['DB'], ...vars });

describe('the Worker build', () => {
  it('is current in build/worker (npm run build:worker writes it)', () => {
    for (const [name, text] of expectedWorkerBuild()) {
      expect(readFileSync(`${WORKER_BUILD_DIR}/${name}`, 'utf8') === text, `${name} is not current`).toBe(
        true,
      );
    }
  });
});

describe('the Worker configuration', () => {
  it('is the bundled file with the members of YRDX_CONFIG and the admin credentials secret', () => {
    const config = workerConfig(
      bundled,
      env({
        YRDX_CONFIG: JSON.stringify({ publicUrl: 'https://yrdx.huzhou.example' }),
        YRDX_ADMIN_CREDENTIALS: JSON.stringify([
          { id: 'ops', role: 'operator', tokenHash: `sha256:${'a'.repeat(64)}` },
        ]),
      }),
    );
    expect(config.publicUrl).toBe('https://yrdx.huzhou.example');
    expect(config.keys).toEqual({ source: 'secret', binding: 'YRDX_KEYS', algorithm: 'ES256' });
    expect(config.admin?.credentials.map((c) => c.id)).toEqual(['ops']);
  });

  it('refuses file key sources and partner JWKS files, and YRDX_CONFIG that is not an object', () => {
    const refused = (vars: Record<string, string>) => {
      try {
        workerConfig(bundled, env(vars));
      } catch (error) {
        return isYrdxError(error) ? error.errors.map((e) => e.pointer) : [];
      }
      return undefined;
    };
    expect(
      refused({ YRDX_CONFIG: JSON.stringify({ keys: { source: 'file', algorithm: 'ES256' } }) }),
    ).toEqual(['/keys/source']);
    expect(refused({ YRDX_CONFIG: '[1]' })).toEqual(['']);
  });
});

describe('the Worker logger', () => {
  it('writes one JSON object per line with pino’s fields, redacted, above its level', () => {
    const lines: string[] = [];
    const log = workerLogger({ level: 'info', write: (l) => lines.push(l), now: () => 1000 });
    log('debug', 'hidden');
    log('warn', 'call 13912345678', { token: 'secret', body: { name: 'x' }, partner: '320500' });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        level: 40,
        time: 1000,
        service: 'yrdx',
        token: '[redacted]',
        body: '[payload omitted]',
        partner: '320500',
        msg: 'call [phone]',
      },
    ]);
  });
});
