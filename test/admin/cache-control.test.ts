import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { validateNodeConfig } from '../../src/config/validate.js';
import { createKeyring, NodeKeyring } from '../../src/keys/keyring.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { adminCredentials } from './helpers.js';

/** Admin answers hold credentials' views of the node: no cache may keep them, errors included. */
let app: ReturnType<typeof buildApp>;
let token = '';

beforeAll(async () => {
  const creds = await adminCredentials(Date.now(), { perMinute: 60, burst: 8 });
  token = creds.tokens.admin;
  const config = validateNodeConfig(
    {
      id: '330500',
      name: '湖州市',
      province: 'zj',
      publicUrl: 'https://yrdx.huzhou.example',
      keys: { source: 'file' },
      partners: [],
    },
    { file: 'test' },
  );
  const keyring = await NodeKeyring.load(await createKeyring('330500', 'ES256', Date.now()), '330500', {
    retainRetiredSeconds: 3600,
  });
  const partners = await PartnerRegistry.create([], { file: 'test', ownId: '330500', ownThumbprints: [] });
  app = buildApp({ config: { ...config, admin: creds.admin }, keyring: () => keyring, partners });
});

const call = (method: string, path: string, auth = true, body?: string) =>
  app.request(path, {
    method,
    headers: {
      ...(auth ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body }),
  });

describe('Cache-Control of the admin API', () => {
  it('is no-store on every answer: 200, 401, 404, 400, 422 and 429', async () => {
    const answers = [
      await call('GET', '/admin/v1/me'),
      await call('GET', '/admin/v1/partners'),
      await call('GET', '/admin/v1/me', false),
      await call('GET', '/admin/v1/partners/320500'),
      await call('GET', '/admin/v1/no-such-route'),
      await call('POST', '/admin/v1/partners', true, '{not json'),
      await call('POST', '/admin/v1/partners', true, '{}'),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 401, 404, 404, 400, 422]);
    let limited: Response | undefined;
    for (let i = 0; i < 20 && limited === undefined; i++) {
      const res = await call('GET', '/admin/v1/me');
      if (res.status === 429) limited = res;
    }
    expect(limited).toBeDefined();
    for (const res of [...answers, limited!]) {
      expect(res.headers.get('cache-control'), `${res.status}`).toBe('no-store');
    }
  });
});
