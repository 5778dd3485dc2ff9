import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeApp } from '../../src/runtime/node/app.js';
import type { AdminRole } from '../../src/vocabulary/roles.js';
import { type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { adminCredentials, example, MemoryAudit } from './helpers.js';

type Caller = 'admin' | 'operator' | 'auditor' | 'none' | 'wrong' | 'expired';
const CALLERS: readonly Caller[] = ['admin', 'operator', 'auditor', 'none', 'wrong', 'expired'];

/**
 * Every admin endpoint, with a request that the endpoint answers deterministically once the caller
 * is let through (`ok`), and the roles that are let through.
 */
const ENDPOINTS: readonly {
  method: string;
  path: string;
  body?: unknown;
  ok: number;
  roles: readonly AdminRole[];
}[] = [
  { method: 'GET', path: '/me', ok: 200, roles: ['admin', 'operator', 'auditor'] },
  { method: 'GET', path: '/contracts', ok: 200, roles: ['admin', 'operator'] },
  { method: 'GET', path: '/contracts/food-safety/1.0.0', ok: 200, roles: ['admin', 'operator'] },
  { method: 'POST', path: '/contracts', body: {}, ok: 422, roles: ['admin'] },
  {
    method: 'POST',
    path: '/contracts/food-safety/1.0.0/translate',
    body: {
      from: 'zj',
      to: 'js',
      type: 'assistance-request',
      document: example('food-safety', 'zj', 'assistance-request'),
    },
    ok: 200,
    roles: ['admin', 'operator'],
  },
  { method: 'POST', path: '/contracts/food-safety/9.9.9/activate', ok: 404, roles: ['admin'] },
  { method: 'POST', path: '/contracts/food-safety/9.9.9/deprecate', ok: 404, roles: ['admin'] },
  { method: 'GET', path: '/partners', ok: 200, roles: ['admin', 'operator'] },
  { method: 'GET', path: '/partners/320500', ok: 200, roles: ['admin', 'operator'] },
  { method: 'POST', path: '/partners', body: {}, ok: 422, roles: ['admin'] },
  { method: 'PUT', path: '/partners/320500', body: {}, ok: 422, roles: ['admin'] },
  { method: 'POST', path: '/partners/310000/suspend', ok: 404, roles: ['admin', 'operator'] },
  { method: 'POST', path: '/partners/310000/resume', ok: 404, roles: ['admin'] },
  { method: 'GET', path: '/partners/320500/health', ok: 200, roles: ['admin', 'operator'] },
  { method: 'GET', path: '/health/partners', ok: 200, roles: ['admin', 'operator'] },
  { method: 'GET', path: '/keys', ok: 200, roles: ['admin', 'operator'] },
  { method: 'POST', path: '/keys/rotate', ok: 409, roles: ['admin'] },
  { method: 'GET', path: '/messages?partner=320500', ok: 200, roles: ['admin', 'operator', 'auditor'] },
  { method: 'GET', path: '/messages/01NOSUCHMESSAGE', ok: 404, roles: ['admin', 'operator', 'auditor'] },
  {
    method: 'GET',
    path: '/messages/01NOSUCHMESSAGE/attachments/0',
    ok: 404,
    roles: ['admin', 'auditor'],
  },
  {
    method: 'POST',
    path: '/messages/01NOSUCHMESSAGE/attachments/requeue',
    ok: 409,
    roles: ['admin', 'operator'],
  },
  { method: 'GET', path: '/threads?status=open', ok: 200, roles: ['admin', 'operator', 'auditor'] },
  { method: 'GET', path: '/threads/summary', ok: 200, roles: ['admin', 'operator', 'auditor'] },
  { method: 'GET', path: '/threads/no-such-thread', ok: 404, roles: ['admin', 'operator', 'auditor'] },
  { method: 'GET', path: '/dead-letters', ok: 200, roles: ['admin', 'operator'] },
  {
    method: 'POST',
    path: '/dead-letters/partner/no-such-delivery/requeue',
    ok: 409,
    roles: ['admin', 'operator'],
  },
];

let nodes: LiveNode[] = [];
let app: ReturnType<typeof nodeApp>;
const audit = new MemoryAudit();
let tokens: Awaited<ReturnType<typeof adminCredentials>>['tokens'];

beforeAll(async () => {
  nodes = await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js' },
    ],
    tempDir('yrdx-admin-roles-'),
  );
  const huzhou = nodes[0]!;
  const creds = await adminCredentials(Date.now());
  tokens = creds.tokens;
  app = nodeApp(
    { ...huzhou.state, config: { ...huzhou.state.config, admin: creds.admin } },
    huzhou.exchange,
    undefined,
    {
      audit,
    },
  );
}, patient(30_000));
afterAll(async () => {
  for (const n of nodes) await n.stop();
});

function authorization(caller: Caller): Record<string, string> {
  switch (caller) {
    case 'none':
      return {};
    case 'wrong':
      return { authorization: `Bearer ${'x'.repeat(43)}` };
    default:
      return { authorization: `Bearer ${tokens[caller]}` };
  }
}

const expected = (e: (typeof ENDPOINTS)[number], caller: Caller) =>
  caller === 'none' || caller === 'wrong' || caller === 'expired'
    ? 401
    : e.roles.includes(caller)
      ? e.ok
      : 403;

const CODES: Record<number, string | undefined> = { 401: undefined, 403: 'admin_forbidden' };
const UNAUTHENTICATED: Record<string, string> = {
  none: 'admin_auth_required',
  wrong: 'admin_auth_invalid',
  expired: 'admin_credential_expired',
};

describe('admin API: every endpoint × every caller', () => {
  const cases = ENDPOINTS.flatMap((e) =>
    CALLERS.map((caller) => ({ ...e, caller, status: expected(e, caller) })),
  );
  it.each(cases)('$method $path as $caller → $status', async ({ method, path, body, caller, status }) => {
    const before = audit.events.length;
    const response = await app.request(`/admin/v1${path}`, {
      method,
      headers: {
        ...authorization(caller),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status).toBe(status);
    if (status >= 400) {
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as { code: string };
      const code = status === 401 ? UNAUTHENTICATED[caller] : CODES[status];
      if (code !== undefined) expect(problem.code).toBe(code);
    }
    if (caller === 'none' || caller === 'wrong' || caller === 'expired') {
      // Refused without a valid credential: counted and summarised, at most once per window.
      expect(audit.events.length - before).toBeLessThanOrEqual(1);
      if (audit.events.length > before)
        expect(audit.events.at(-1)).toMatchObject({ actor: 'anonymous', action: 'anonymous refusals' });
      return;
    }
    // Every action of a principal, allowed or refused, is recorded once, with the actor and never the token.
    expect(audit.events.length).toBe(before + 1);
    const event = audit.events.at(-1)!;
    expect(event).toMatchObject({
      action: `${method} /admin/v1${path.split('?')[0]}`,
      status,
      outcome: status < 400 ? 'allowed' : 'refused',
      actor: {
        admin: 'ops-admin',
        operator: 'duty-operator',
        auditor: 'inspector',
      }[caller],
    });
    expect(JSON.stringify(event)).not.toContain(tokens.admin);
  });
});
