import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { openMessage } from '../src/envelope/open.js';
import { verifyReceipt } from '../src/envelope/receipt.js';
import { MemoryReplayGuard } from '../src/envelope/replay.js';
import { sealMessage, sealReceipt } from '../src/envelope/seal.js';
import { bootNode, type NodeState } from '../src/runtime/node/boot.js';
import { cli } from './helpers/cli.js';
import { copyConfig } from './helpers/tmp.js';

/**
 * The sample federation in config/federation (Huzhou, Suzhou, Shanghai, Hefei): keys generated at
 * run time, each node booted from its own file, served on 127.0.0.1, and every pair exchanging a
 * sealed message and a receipt.
 */
const IDS = ['330500', '320500', '310000', '340100'];
const nodes = new Map<string, NodeState>();
const servers: ServerType[] = [];
const urls = new Map<string, string>();

beforeAll(async () => {
  const dir = copyConfig();
  const files = IDS.map((id) => join(dir, 'federation', `${id}.json`));
  const init = await cli(['keys', 'init', ...files.flatMap((f) => ['--config', f])]);
  expect(init.status, init.stderr).toBe(0);
  for (const [i, id] of IDS.entries()) {
    const state = await bootNode(files[i]!, { env: {}, now: Date.now });
    nodes.set(id, state);
    const app = buildApp({ config: state.config, keyring: () => state.keyring, partners: state.partners });
    await new Promise<void>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
        urls.set(id, `http://127.0.0.1:${info.port}`);
        resolve();
      });
      servers.push(server);
    });
  }
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('the sample federation', () => {
  it('publishes over HTTP exactly the keys each partner pinned from its JWKS file', async () => {
    for (const id of IDS) {
      const published = (await (await fetch(`${urls.get(id)}/.well-known/jwks.json`)).json()) as {
        keys: { kid: string }[];
      };
      for (const other of IDS.filter((o) => o !== id)) {
        const pinned = nodes.get(other)!.partners.get(id)!;
        expect([...pinned.keys.keys()].sort()).toEqual(published.keys.map((k) => k.kid).sort());
      }
    }
  });

  it('mixes algorithms: Suzhou signs with EdDSA, the others with ES256', () => {
    expect(nodes.get('320500')!.keyring.signer.alg).toBe('EdDSA');
    expect(nodes.get('330500')!.keyring.signer.alg).toBe('ES256');
  });

  for (const from of IDS) {
    for (const to of IDS.filter((t) => t !== from)) {
      it(`${from} → ${to}: sealed, opened, receipted, receipt verified`, async () => {
        const sender = nodes.get(from)!;
        const recipient = nodes.get(to)!;
        const sealed = await sealMessage(
          {
            to,
            type: 'assistance-request',
            domain: 'food-safety',
            contract: 'food-safety@1.0.0',
            body: { 请求: `${sender.config.name}请${recipient.config.name}协查` },
          },
          { self: from, signer: sender.keyring.signer, policy: sender.config.envelope, now: Date.now },
        );
        const replay = new MemoryReplayGuard(Date.now);
        const opened = await openMessage(sealed.token, {
          self: to,
          keys: recipient.partners,
          policy: recipient.config.envelope,
          now: Date.now,
          replay,
        });
        expect(opened.claims.body).toEqual(sealed.claims.body);
        const receipt = await sealReceipt(
          { to: from, messageId: opened.claims.jti, sha256: opened.sha256, status: 'accepted' },
          { self: to, signer: recipient.keyring.signer, policy: recipient.config.envelope, now: Date.now },
        );
        const checked = await verifyReceipt(receipt.token, sealed, {
          self: from,
          keys: sender.partners,
          policy: sender.config.envelope,
          now: Date.now,
          expectedIssuer: to,
        });
        expect(checked.claims.sha256).toBe(sealed.sha256);
      });
    }
  }
});
