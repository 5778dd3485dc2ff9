import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isSigningAlgorithm } from '../../envelope/algorithms.js';
import { sha256Hex } from '../../envelope/digest.js';
import { YrdxError } from '../../errors/errors.js';
import { generatePrivateJwk, publicPart, thumbprint } from '../../keys/jwk.js';
import { DEFAULT_KEY_LIFETIME_DAYS, NodeKeyring, rotateKeyring } from '../../keys/keyring.js';
import { loadKeyring, publishJwksFile, retainRetiredSeconds } from '../node/boot.js';
import { loadConfigFile } from '../node/config-file.js';
import { writeFileAtomic } from '../node/key-sources.js';
import { type Io, UsageError } from './output.js';

const KID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * `yrdx keys generate --alg ES256|EdDSA|PS256 --kid KID --out DIR [--lifetime-days N] [--force]`:
 * one key, whose `exp` (Unix seconds, N days from now, default 730; 0 for none) becomes its
 * `notAfter` when the private JWK is used as a node's keys.
 */
export async function keysGenerate(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      alg: { type: 'string', default: 'ES256' },
      kid: { type: 'string' },
      out: { type: 'string' },
      'lifetime-days': { type: 'string', default: String(DEFAULT_KEY_LIFETIME_DAYS) },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const lifetimeDays = Number(values['lifetime-days']);
  if (!Number.isInteger(lifetimeDays) || lifetimeDays < 0 || lifetimeDays > 3650)
    throw new UsageError('--lifetime-days must be an integer from 0 (no end) to 3650');
  if (!isSigningAlgorithm(values.alg)) throw new UsageError('--alg must be ES256, EdDSA or PS256');
  if (values.kid === undefined || !KID.test(values.kid))
    throw new UsageError('--kid must be 1–128 letters, digits or . _ : -');
  if (values.out === undefined) throw new UsageError('--out DIR is required');
  const privatePath = resolve(values.out, `${values.kid}.private.jwk.json`);
  const publicPath = resolve(values.out, `${values.kid}.jwks.json`);
  if (!values.force && (existsSync(privatePath) || existsSync(publicPath))) {
    throw new UsageError(`${privatePath} or ${publicPath} exists; pass --force to overwrite`);
  }
  const jwk = await generatePrivateJwk(values.alg);
  const exp = lifetimeDays === 0 ? undefined : Math.floor(io.now() / 1000) + lifetimeDays * 86_400;
  const meta = { kid: values.kid, alg: values.alg, use: 'sig', ...(exp === undefined ? {} : { exp }) };
  const notAfter = exp === undefined ? undefined : new Date(exp * 1000).toISOString();
  writeFileAtomic(privatePath, `${JSON.stringify({ ...jwk, ...meta }, null, 2)}\n`, 0o600);
  writeFileAtomic(
    publicPath,
    `${JSON.stringify({ keys: [{ ...publicPart(jwk as Record<string, unknown>), ...meta }] }, null, 2)}\n`,
    0o644,
  );
  const tp = await thumbprint(jwk as Record<string, unknown>);
  if (values.json)
    io.out(
      `${JSON.stringify({ kid: values.kid, alg: values.alg, thumbprint: tp, ...(notAfter === undefined ? {} : { notAfter }), privateKey: privatePath, jwks: publicPath })}\n`,
    );
  else
    io.out(
      `kid ${values.kid} (${values.alg})\nthumbprint ${tp}\nnot after ${notAfter ?? '(no end set)'}\nprivate key ${privatePath} (mode 0600)\npublic JWKS ${publicPath}\n`,
    );
  return 0;
}

function configOption(values: { config?: string | string[] | undefined }): string[] {
  const given = values.config;
  if (given === undefined) return ['config/node.json'];
  return Array.isArray(given) ? given : [given];
}

/** `yrdx keys init [--config FILE]...`: first-run key generation for one or more nodes. */
export async function keysInit(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  });
  for (const file of configOption(values)) {
    const config = loadConfigFile(file);
    const { keySource, keyring } = await loadKeyring(config, { env: io.env, now: io.now });
    const jwks = resolve(config.dataDir, 'jwks.json');
    if (values.json)
      io.out(
        `${JSON.stringify({ node: config.id, source: keySource.description, jwks, keys: keyring.keys })}\n`,
      );
    else
      io.out(
        `${config.id} ${config.name}: ${keyring.keys.map((k) => `${k.kid} (${k.state})`).join(', ')}\n  public JWKS ${jwks}\n`,
      );
  }
  return 0;
}

/** `yrdx keys list [--config FILE] [--json]` */
export async function keysList(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, json: { type: 'boolean' } } });
  const config = loadConfigFile(configOption(values)[0]!);
  const { keyring } = await loadKeyring(config, { env: io.env, now: io.now });
  if (values.json) {
    for (const k of keyring.keys) io.out(`${JSON.stringify(k)}\n`);
    return 0;
  }
  io.out(
    'KID                              ALG    STATE    THUMBPRINT                                   CREATED                  NOT AFTER\n',
  );
  for (const k of keyring.keys) {
    io.out(
      `${k.kid.padEnd(32)} ${k.alg.padEnd(6)} ${k.state.padEnd(8)} ${k.thumbprint} ${k.createdAt} ${k.notAfter ?? '-'}\n`,
    );
  }
  return 0;
}

/**
 * `yrdx keys rotate [--config FILE] [--force] [--json]`: next → active, active → retired, a new next
 * key. A running node picks the new keyring up on SIGHUP.
 */
export async function keysRotate(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const config = loadConfigFile(configOption(values)[0]!);
  const { keySource } = await loadKeyring(config, { env: io.env, now: io.now });
  if (keySource.save === undefined) {
    throw new YrdxError('key_rotation_refused', {
      params: {
        reason: `the keys come from ${keySource.description}, which yrdx cannot write; rotate them where they are managed`,
      },
    });
  }
  const doc = await keySource.load();
  const result = await rotateKeyring(doc!, config.id, io.now(), {
    alg: config.keys.algorithm,
    minNextAgeSeconds: config.rotation.minNextAgeSeconds,
    retainRetiredSeconds: retainRetiredSeconds(config),
    lifetimeDays: config.rotation.keyLifetimeDays,
    force: values.force === true,
  });
  const keyring = await NodeKeyring.load(result.document, config.id, {
    retainRetiredSeconds: retainRetiredSeconds(config),
  });
  await keySource.save(result.document);
  const jwks = publishJwksFile(config, keyring, io.now());
  const summary = {
    node: config.id,
    activated: result.activated,
    retired: result.retired,
    created: result.created,
    dropped: result.dropped,
    jwks,
  };
  if (values.json) io.out(`${JSON.stringify(summary)}\n`);
  else {
    io.out(
      `${config.id}: ${result.activated} is now active; ${result.retired} is retired (published until its messages expire)\n`,
    );
    io.out(`new next key ${result.created}: give partners its thumbprint before the next rotation\n`);
    if (result.dropped.length > 0) io.out(`dropped expired retired keys: ${result.dropped.join(', ')}\n`);
    io.out(`public JWKS ${jwks}\nsend SIGHUP to a running node to load the new keys\n`);
  }
  return 0;
}

/**
 * `yrdx keys api-key [--json]`: a new API key for a local system. The key is shown once; the
 * configuration stores only its SHA-256 (`"apiKeys": ["sha256:…"]`).
 */
export async function keysApiKey(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  const hash = `sha256:${await sha256Hex(key)}`;
  if (values.json) io.out(`${JSON.stringify({ key, hash })}\n`);
  else
    io.out(
      `API key (give it to the local system; it is not stored): ${key}\nfor the configuration ("apiKeys"): ${hash}\n`,
    );
  return 0;
}
