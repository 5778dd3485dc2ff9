import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/contracts/translate.js';
import {
  exportSm2Pkcs8,
  importSm2PrivateJwk,
  sm2SignatureFromDer,
  sm2Verify,
} from '../../src/crypto/gm/index.js';
import { importSm2PublicJwk } from '../../src/crypto/gm/jwk.js';
import { decodeBase64Url, encodeBase64Url, encodeBase64UrlText } from '../../src/envelope/base64url.js';
import { sha256Hex, sm3Digest } from '../../src/envelope/digest.js';
import { verifyReceipt } from '../../src/envelope/receipt.js';
import { sealMessage } from '../../src/envelope/seal.js';
import { createKeyring } from '../../src/keys/keyring.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { requireBundle, type WorkerNode, workerNode } from './worker-node.js';

/**
 * The national profile at the edge: the bundled Worker (dist-worker/worker.js) in Miniflare with
 * `cryptoProfile: "gm"` and an SM2 keyring in its YRDX_KEYS secret, as Suzhou, beside two real Node
 * nodes: Huzhou on the national profile (SM2) and Shanghai on the international one (ES256). workerd
 * has no SM2 or SM3 (Web Crypto has neither): every signature and digest of the Worker here is
 * computed by src/crypto/gm in JavaScript.
 */
let suzhou: WorkerNode;
let huzhou: LiveNode;
let shanghai: LiveNode;
const dir = tempDir('yrdx-edge-gm-');

const example = (dialect: string, type: string) =>
  JSON.parse(
    readFileSync(`contracts/food-safety/2.0.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;

const canonical = (dialect: string, type: string, body: unknown) =>
  translate(huzhou.state.contracts.latest('food-safety')!, dialect, 'canonical', type as never, body);

interface Jws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function readJws(token: string): Jws {
  const [header, payload] = token.split('.') as [string, string];
  const text = (part: string) => new TextDecoder().decode(decodeBase64Url(part) as Uint8Array);
  return { header: JSON.parse(text(header)), claims: JSON.parse(text(payload)) };
}

async function status(url: string, apiKey: string, id: string): Promise<{ status: string }> {
  const res = await fetch(`${url}/v1/messages/${id}`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string };
}

async function delivered(url: string, apiKey: string, id: string, what: string): Promise<void> {
  await eventually(
    async () => ((await status(url, apiKey, id)).status === 'delivered' ? true : undefined),
    15_000,
    what,
  );
}

interface AdminMessage {
  outbound?: {
    token: string;
    deliveries: { recipient: string; receipt?: { token: string; sha256: string } }[];
  };
  inbound: { iss: string; token: string; sha256: string; receiptToken: string }[];
}

/** The Worker's record of a message (its D1 store), through its admin API. */
async function workerRecord(id: string): Promise<AdminMessage> {
  const res = await fetch(`${suzhou.url}/admin/v1/messages/${id}`, {
    headers: { authorization: `Bearer ${suzhou.adminToken}` },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as AdminMessage;
}

async function submit(
  from: { submit: WorkerNode['submit'] },
  to: string,
  dialect: string,
  type = 'notification',
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await from.submit({ to, domain: 'food-safety', type, body: example(dialect, type), ...extra });
  const text = await res.text();
  expect(res.status, text).toBe(202);
  return (JSON.parse(text) as { id: string }).id;
}

/** A message from Huzhou to the Worker with Huzhou's SM2 kid, signed by `sign` over the signing input. */
async function forgedFromHuzhou(alg: string, sign: (input: Uint8Array) => Uint8Array): Promise<string> {
  const contract = huzhou.state.contracts.latest('food-safety')!.id;
  const sealed = await sealMessage(
    {
      to: '320500',
      type: 'notification',
      domain: 'food-safety',
      contract,
      body: canonical('zj', 'notification', example('zj', 'notification')),
    },
    {
      self: '330500',
      signer: huzhou.state.keyring.signer,
      policy: huzhou.state.config.envelope,
      now: Date.now,
    },
  );
  const header = encodeBase64UrlText(
    JSON.stringify({ alg, kid: huzhou.state.keyring.signer.kid, typ: readJws(sealed.token).header.typ }),
  );
  const input = `${header}.${sealed.token.split('.')[1]}`;
  return `${input}.${encodeBase64Url(sign(new TextEncoder().encode(input)))}`;
}

const postInbox = (token: string) =>
  fetch(`${suzhou.url}/v1/inbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/jose' },
    body: token,
  });

beforeAll(async () => {
  requireBundle();
  suzhou = await workerNode({ id: '320500', name: '苏州市', province: 'js', cryptoProfile: 'gm' });
  [huzhou, shanghai] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj', cryptoProfile: 'gm' },
      { id: '310000', name: '上海市', province: 'sh' },
    ],
    dir,
    { external: [suzhou.member] },
  )) as [LiveNode, LiveNode];
  await suzhou.start([suzhou.member, huzhou.member, shanghai.member]);
}, patient(60_000));

afterAll(async () => {
  await huzhou?.stop();
  await shanghai?.stop();
  await suzhou?.stop();
});

describe('the bundled Worker on the national profile (Miniflare, D1)', () => {
  it('boots from an SM2 keyring in its secret and publishes the profile, SM2 keys and what it accepts', async () => {
    const node = (await (await fetch(`${suzhou.url}/.well-known/yrdx-node`)).json()) as {
      cryptoProfile: unknown;
      algorithms: string[];
    };
    expect(node.cryptoProfile).toEqual({ name: 'gm', signs: 'SM2', digest: 'SM3', atRest: 'SM4-GCM' });
    expect(node.algorithms).toContain('SM2');
    const jwks = (await (await fetch(`${suzhou.url}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'SM2', alg: 'SM2' });
      expect(key.d).toBeUndefined();
    }
    const ready = await fetch(`${suzhou.url}/readyz`);
    expect(ready.status, await ready.clone().text()).toBe(200);
  });

  it('a gm Node node and the gm Worker exchange a request and its reply, SM2 signatures and SM3 receipts both ways', async () => {
    // Node → Worker: Huzhou signs with SM2; the Worker verifies it in workerd and answers an SM2 receipt naming the SM3 digest.
    const requestId = await submit(huzhou, '320500', 'zj', 'assistance-request');
    await delivered(huzhou.url, huzhou.apiKey, requestId, 'Huzhou’s request delivered to the Worker');
    const out = await huzhou.exchange.deps.store.getOutbound(requestId);
    const sent = out!.token;
    expect(readJws(sent).header.alg).toBe('SM2');
    const receipt = out!.deliveries[0]!.receipt!;
    const fromWorker = readJws(receipt.token);
    expect(fromWorker.header).toMatchObject({ alg: 'SM2', kid: suzhou.keyring.signer.kid });
    expect(fromWorker.claims).toMatchObject({ messageId: requestId, status: 'accepted' });
    expect(`sm3:${fromWorker.claims.sm3}`).toBe(sm3Digest(sent));
    expect(fromWorker.claims.sha256).toBeUndefined();
    // The Worker's store keeps SM3 digests of what it received and what it answered.
    const atWorker = (await workerRecord(requestId)).inbound[0]!;
    expect(atWorker).toMatchObject({ iss: '330500', token: sent, sha256: sm3Digest(sent) });
    expect(atWorker.receiptToken).toBe(receipt.token);

    // Worker → Node: the reply, signed with SM2 in workerd; Huzhou answers an SM2 receipt naming the SM3 digest.
    const replyId = await submit(suzhou, '330500', 'js', 'assistance-reply', { inReplyTo: requestId });
    await delivered(suzhou.url, suzhou.apiKey, replyId, 'the Worker’s reply delivered to Huzhou');
    const record = await workerRecord(replyId);
    const reply = record.outbound!.token;
    expect(readJws(reply).header).toMatchObject({ alg: 'SM2', kid: suzhou.keyring.signer.kid });
    const fromHuzhou = record.outbound!.deliveries[0]!.receipt!;
    expect(readJws(fromHuzhou.token).header).toMatchObject({
      alg: 'SM2',
      kid: huzhou.state.keyring.signer.kid,
    });
    expect(`sm3:${readJws(fromHuzhou.token).claims.sm3}`).toBe(sm3Digest(reply));
    expect(fromHuzhou.sha256).toBe(sm3Digest(fromHuzhou.token));
    // The Worker's SM2 signature checks outside yrdx's envelope code too: the raw primitive over the signing input.
    const [h, p, s] = reply.split('.') as [string, string, string];
    const publicJwk = suzhou.member.jwks.keys.find((k) => k.kid === suzhou.keyring.signer.kid)!;
    expect(
      sm2Verify(
        importSm2PublicJwk(publicJwk as unknown as Record<string, unknown>),
        new TextEncoder().encode(`${h}.${p}`),
        decodeBase64Url(s) as Uint8Array,
      ),
    ).toBe(true);
    const inbound = await huzhou.exchange.deps.store.getInbound('320500', replyId);
    expect(inbound).toMatchObject({ token: reply, sha256: sm3Digest(reply) });
    const thread = await eventually(
      async () => {
        const t = await huzhou.exchange.deps.store.getThread(readJws(sent).claims.thread as string);
        return t?.status === 'closed' ? t : undefined;
      },
      15_000,
      'Huzhou’s thread closed by the Worker’s reply',
    );
    expect(thread.replyId).toBe(replyId);
    const pushed = await eventually(
      () => huzhou.pushed.find((m) => m.headers['x-yrdx-message-id'] === replyId),
      15_000,
      'the push to Huzhou’s case system',
    );
    expect(canonical('zj', 'assistance-reply', pushed.body)).toEqual(
      canonical('js', 'assistance-reply', example('js', 'assistance-reply')),
    );
  });

  it('the gm Worker and an international Node node exchange both ways: SM2 one way, ES256 the other', async () => {
    // Worker → Shanghai: an SM2 message; Shanghai verifies it and answers an ES256 receipt with a SHA-256 digest.
    const toShanghai = await submit(suzhou, '310000', 'js');
    await delivered(suzhou.url, suzhou.apiKey, toShanghai, 'the Worker’s message delivered to Shanghai');
    const record = await workerRecord(toShanghai);
    const sent = record.outbound!.token;
    expect(readJws(sent).header.alg).toBe('SM2');
    const esReceipt = readJws(record.outbound!.deliveries[0]!.receipt!.token);
    expect(esReceipt.header).toMatchObject({ alg: 'ES256', kid: shanghai.state.keyring.signer.kid });
    expect(esReceipt.claims.sha256).toBe(await sha256Hex(sent));
    expect(esReceipt.claims.sm3).toBeUndefined();
    const atShanghai = await shanghai.exchange.deps.store.getInbound('320500', toShanghai);
    expect(atShanghai?.sha256).toBe(await sha256Hex(sent));

    // Shanghai → Worker: an ES256 message (Web Crypto in workerd); the Worker answers with SM2 and SM3.
    const fromShanghai = await submit(shanghai, '320500', 'sh');
    await delivered(
      shanghai.url,
      shanghai.apiKey,
      fromShanghai,
      'Shanghai’s message delivered to the Worker',
    );
    const out = await shanghai.exchange.deps.store.getOutbound(fromShanghai);
    expect(readJws(out!.token).header.alg).toBe('ES256');
    const smReceipt = readJws(out!.deliveries[0]!.receipt!.token);
    expect(smReceipt.header).toMatchObject({ alg: 'SM2', kid: suzhou.keyring.signer.kid });
    expect(`sm3:${smReceipt.claims.sm3}`).toBe(sm3Digest(out!.token));
    const atWorker = (await workerRecord(fromShanghai)).inbound[0]!;
    expect(atWorker).toMatchObject({ iss: '310000', sha256: sm3Digest(out!.token) });
  });

  it('answers a partner’s direct post with an SM2 receipt that the partner verifies', async () => {
    const contract = huzhou.state.contracts.latest('food-safety')!.id;
    const sealed = await sealMessage(
      {
        to: '320500',
        type: 'notification',
        domain: 'food-safety',
        contract,
        body: canonical('zj', 'notification', example('zj', 'notification')),
      },
      {
        self: '330500',
        signer: huzhou.state.keyring.signer,
        policy: huzhou.state.config.envelope,
        now: Date.now,
        sha256: sm3Digest,
      },
    );
    const answer = await postInbox(sealed.token);
    const receipt = await answer.text();
    expect(answer.status, receipt).toBe(200);
    const verified = await verifyReceipt(
      receipt,
      { token: sealed.token, claims: sealed.claims },
      {
        self: '330500',
        expectedIssuer: '320500',
        keys: huzhou.state.partners,
        policy: huzhou.state.config.envelope,
        now: Date.now,
        sha256: sm3Digest,
      },
    );
    expect(verified.alg).toBe('SM2');
    expect(verified.claims).toMatchObject({ messageId: sealed.claims.jti, sm3: sealed.sha256.slice(4) });
    // The same bytes again: the stored receipt.
    expect(await (await postInbox(sealed.token)).text()).toBe(receipt);
  });

  it('refuses, in workerd, an ECDSA signature over the SM2 curve without Z (what node:crypto makes)', async () => {
    const doc = JSON.parse(readFileSync(join(dir, '330500', 'keys', 'keyring.json'), 'utf8')) as {
      keys: { kid: string; privateJwk: Record<string, unknown> }[];
    };
    const jwk = doc.keys.find((k) => k.kid === huzhou.state.keyring.signer.kid)!.privateJwk;
    const nodeKey = createPrivateKey({
      key: Buffer.from(exportSm2Pkcs8(importSm2PrivateJwk(jwk))),
      format: 'der',
      type: 'pkcs8',
    });
    const token = await forgedFromHuzhou('SM2', (input) =>
      sm2SignatureFromDer(nodeSign('sm3', input, nodeKey)),
    );
    const answer = await postInbox(token);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(((await answer.json()) as { code: string }).code).toBe('jws_signature_invalid');
  });

  it('refuses another algorithm under the gm partner’s SM2 key (the alg is bound to the key)', async () => {
    const token = await forgedFromHuzhou('ES256', () => new Uint8Array(64).fill(7));
    const answer = await postInbox(token);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(((await answer.json()) as { code: string }).code).toBe('jws_alg_key_mismatch');
  });
});

describe('the national profile’s keys from the Workers secret', () => {
  it('refuses one private SM2 JWK alone in the secret: a Worker seals at rest and needs a data key beside it', async () => {
    const single = await workerNode({
      id: '320200',
      name: '无锡市',
      province: 'js',
      cryptoProfile: 'gm',
      keysSecret: (doc) => JSON.stringify({ ...doc.keys[0]!.privateJwk, kid: doc.keys[0]!.kid }),
    });
    try {
      await single.start([single.member, huzhou.member]);
      const answer = await fetch(`${single.url}/.well-known/yrdx-node`);
      expect(answer.status).toBeGreaterThanOrEqual(500);
      const problem = (await answer.json()) as { code: string; detail: string };
      // The problem names the fix (a data key added to the keyring document), never key material.
      expect(problem.code).toBe('data_key_missing');
      expect(problem.detail).toContain('data-key rotate');
    } finally {
      await single.stop();
    }
  });

  it('refuses to start under gm when the secret’s active key is not SM2, saying so', async () => {
    const es256 = await createKeyring('320300', 'ES256', Date.now());
    const wrong = await workerNode({
      id: '320300',
      name: '常州市',
      province: 'js',
      cryptoProfile: 'gm',
      keysSecret: () => JSON.stringify(es256),
    });
    try {
      await wrong.start([wrong.member, huzhou.member]);
      const answer = await fetch(`${wrong.url}/.well-known/yrdx-node`);
      expect(answer.status).toBeGreaterThanOrEqual(500);
      const problem = (await answer.json()) as { code: string; detail: string };
      expect(problem.code).toBe('keys_invalid');
      expect(problem.detail).toContain('SM2');
      // The problem names the key and the algorithm, never the key material.
      expect(JSON.stringify(problem)).not.toContain(String(es256.keys[0]!.privateJwk.d));
    } finally {
      await wrong.stop();
    }
  });
});
