import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeApp } from '../../src/runtime/node/app.js';
import { type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { adminCredentials, MemoryAudit } from './helpers.js';

// PUT /admin/v1/partners/{id} with an EC key whose point is not on the curve answered 500 (an
// unhandled DataError from Web Crypto); it is a 4xx problem naming the key (issue 14, finding 9).

let nodes: LiveNode[] = [];
let app: ReturnType<typeof nodeApp>;
let token = '';

beforeAll(async () => {
  nodes = await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js' },
    ],
    tempDir('yrdx-admin-partner-keys-'),
  );
  const huzhou = nodes[0]!;
  const creds = await adminCredentials(Date.now());
  token = creds.tokens.admin;
  app = nodeApp(
    { ...huzhou.state, config: { ...huzhou.state.config, admin: creds.admin } },
    huzhou.exchange,
    undefined,
    {
      audit: new MemoryAudit(),
    },
  );
}, patient(30_000));
afterAll(async () => {
  for (const n of nodes) await n.stop();
});

describe('partner keys through the admin API', () => {
  it('answers an EC key off its curve with a 4xx problem naming the key, and keeps the partner', async () => {
    const huzhou = nodes[0]!;
    const before = [...huzhou.state.partners.get('320500')!.keys.keys()];
    const config = huzhou.state.partners.config('320500')!;
    const key = { ...(config.keys.jwks!.keys[0] as Record<string, unknown>) };
    const y = String(key.y);
    key.y = `${y.slice(0, -2)}${y.at(-2) === 'A' ? 'B' : 'A'}${y.at(-1)}`;
    key.kid = 'suzhou-off-curve';
    const response = await app.request('/admin/v1/partners/320500', {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'accept-language': 'en',
      },
      body: JSON.stringify({ ...config, keys: { jwks: { keys: [key] } } }),
    });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as {
      code: string;
      errors: { pointer: string; detail: string }[];
    };
    expect(problem.code).toBe('request_invalid');
    expect(problem.errors).toEqual([
      expect.objectContaining({
        pointer: '/keys/jwks/keys/0',
        detail: expect.stringContaining('suzhou-off-curve'),
      }),
    ]);
    expect([...huzhou.state.partners.get('320500')!.keys.keys()]).toEqual(before);
  });
});
