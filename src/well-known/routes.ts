import { Hono } from 'hono';
import type { NodeConfig } from '../config/types.js';
import type { ContractRef } from '../contracts/registry.js';
import { sha256Hex } from '../envelope/digest.js';
import type { AppEnv } from '../http/env.js';
import type { NodeKeyring } from '../keys/keyring.js';
import { VERSION } from '../platform/version.js';

export interface WellKnownDeps {
  readonly config: NodeConfig;
  readonly keyring: () => NodeKeyring;
  readonly contracts: () => readonly ContractRef[];
  readonly now: () => number;
}

const MAX_AGE = 300;

/** `/.well-known/jwks.json` and `/.well-known/yrdx-node`, cacheable with ETags. */
export function wellKnownRoutes(deps: WellKnownDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { config } = deps;

  app.get('/jwks.json', (c) => {
    const body = deps.keyring().jwks(Math.floor(deps.now() / 1000));
    return cacheable(c.req.header('if-none-match'), JSON.stringify(body), 'application/jwk-set+json');
  });

  app.get('/yrdx-node', (c) => {
    const nowSeconds = Math.floor(deps.now() / 1000);
    const keyring = deps.keyring();
    const refs = deps.contracts();
    const published = new Set(keyring.published(nowSeconds).map((k) => k.kid));
    const body = {
      id: config.id,
      name: config.name,
      province: config.province,
      software: { name: 'yrdx', version: VERSION },
      // What the node's contracts declare: a domain or a type added as a contract appears here.
      domains: [...new Set(refs.map((ref) => ref.domain))].sort(),
      messageTypes: [...new Set(refs.flatMap((ref) => ref.messageTypes ?? []))].sort(),
      contracts: refs.map((ref) => `${ref.domain}@${ref.version}`),
      // The profile this node keeps (what it signs, digests and encrypts with) and what it accepts:
      // a partner reading `gm` here knows to expect SM2 signatures and SM3 digests in receipts.
      cryptoProfile: {
        name: config.cryptoProfile,
        signs: keyring.signer.alg,
        digest: config.cryptoProfile === 'gm' ? 'SM3' : 'SHA-256',
        atRest: config.cryptoProfile === 'gm' ? 'SM4-GCM' : 'AES-256-GCM',
      },
      algorithms: config.envelope.algorithms,
      keys: keyring.keys
        .filter((k) => published.has(k.kid))
        .map((k) => ({
          kid: k.kid,
          alg: k.alg,
          state: k.state,
          thumbprint: k.thumbprint,
          ...(k.notAfter === undefined ? {} : { notAfter: k.notAfter }),
          ...(k.publishedUntil === undefined
            ? {}
            : { publishedUntil: new Date(k.publishedUntil * 1000).toISOString() }),
        })),
      endpoints: {
        inbox: `${config.publicUrl}/v1/inbox`,
        jwks: `${config.publicUrl}/.well-known/jwks.json`,
        node: `${config.publicUrl}/.well-known/yrdx-node`,
      },
    };
    return cacheable(c.req.header('if-none-match'), JSON.stringify(body), 'application/json');
  });

  return app;
}

async function cacheable(ifNoneMatch: string | undefined, body: string, type: string): Promise<Response> {
  const etag = `"${(await sha256Hex(body)).slice(0, 32)}"`;
  const headers = {
    'cache-control': `public, max-age=${MAX_AGE}, must-revalidate`,
    etag,
  };
  if (ifNoneMatch?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, {
    status: 200,
    headers: { ...headers, 'content-type': `${type}; charset=utf-8` },
  });
}
