import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { validateNodeConfig } from '../../src/config/validate.js';
import { createKeyring, NodeKeyring } from '../../src/keys/keyring.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { adminCredentials } from '../admin/helpers.js';

/**
 * Behind a TLS-terminating proxy the node sees plain http: with `trustProxy` it takes the scheme
 * from X-Forwarded-Proto, so the console's cookies are `Secure`; without it, a client could claim
 * https itself, so the header is ignored.
 */
async function consoleApp(trustProxy: boolean) {
  const creds = await adminCredentials(Date.now());
  const config = validateNodeConfig(
    {
      id: '330500',
      name: '湖州市',
      province: 'zj',
      publicUrl: 'https://yrdx.huzhou.example',
      keys: { source: 'file' },
      partners: [],
      trustProxy,
    },
    { file: 'test' },
  );
  const keyring = await NodeKeyring.load(await createKeyring('330500', 'ES256', Date.now()), '330500', {
    retainRetiredSeconds: 3600,
  });
  const partners = await PartnerRegistry.create([], { file: 'test', ownId: '330500', ownThumbprints: [] });
  const app = buildApp({ config: { ...config, admin: creds.admin }, keyring: () => keyring, partners });
  return { app, token: creds.tokens.admin };
}

async function signIn(trustProxy: boolean, headers: Record<string, string>): Promise<string> {
  const { app, token } = await consoleApp(trustProxy);
  const res = await app.request('http://yrdx.huzhou.example/console/sign-in', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'http://yrdx.huzhou.example',
      host: 'yrdx.huzhou.example',
      ...headers,
    },
    body: new URLSearchParams({ token }).toString(),
  });
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toContain('yrdx_console=');
  return cookie;
}

describe('the console behind a TLS-terminating proxy', () => {
  it('sets a Secure session cookie when trustProxy is on and the proxy says https', async () => {
    expect(await signIn(true, { 'x-forwarded-proto': 'https' })).toMatch(/;\s*Secure/i);
  });

  it('ignores X-Forwarded-Proto without trustProxy', async () => {
    expect(await signIn(false, { 'x-forwarded-proto': 'https' })).not.toMatch(/;\s*Secure/i);
  });

  it('believes the proxy, not the client: the last entry of X-Forwarded-Proto counts', async () => {
    expect(await signIn(true, { 'x-forwarded-proto': 'https, http' })).not.toMatch(/;\s*Secure/i);
    expect(await signIn(true, {})).not.toMatch(/;\s*Secure/i);
  });
});
