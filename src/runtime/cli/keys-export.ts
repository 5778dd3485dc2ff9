import { createPublicKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import { importSm2PublicJwk } from '../../crypto/gm/jwk.js';
import { exportSm2PublicPem } from '../../crypto/gm/pkcs8.js';
import { YrdxError } from '../../errors/errors.js';
import { listOf, textOf } from '../../errors/text.js';
import { publicPart } from '../../keys/jwk.js';
import { loadKeyring } from '../node/boot.js';
import { loadConfigFile } from '../node/config-file.js';
import type { Io } from './output.js';
import { bilingual } from './text.js';

export const TEXT = bilingual({
  zh: {
    'help:keys export':
      'yrdx keys export [--kid KID] [--pem] [--config FILE]\n输出节点的一个公钥：JWK，或 SPKI PEM（可交给 OpenSSL 等工具核验签名）\n  --kid KID                  密钥标识（默认签名密钥）\n  --pem                      输出 SPKI PEM（-----BEGIN PUBLIC KEY-----）\n  --config FILE              节点配置文件（默认 config/node.json）',
    unknownKid: '密钥环中没有密钥 {kid}（现有：{kids}）',
  },
  en: {
    'help:keys export':
      'yrdx keys export [--kid KID] [--pem] [--config FILE]\nprint one of the node’s public keys: as JWK, or as SPKI PEM (for OpenSSL and other tools to check signatures)\n  --kid KID                  key id (default the active key)\n  --pem                      print SPKI PEM (-----BEGIN PUBLIC KEY-----)\n  --config FILE              node configuration (default config/node.json)',
    unknownKid: 'the keyring has no key {kid} (it has: {kids})',
  },
});

/**
 * `yrdx keys export [--kid KID] [--pem] [--config FILE]`: a public key of this node. SM2 keys are
 * written as src/crypto/gm writes them (byte for byte as `openssl pkey -pubout`); the others by node:crypto.
 */
export async function keysExport(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kid: { type: 'string' },
      pem: { type: 'boolean' },
      config: { type: 'string', default: 'config/node.json' },
    },
  });
  const config = loadConfigFile(values.config);
  const { keyring } = await loadKeyring(config, { env: io.env, now: io.now }, 'if-writable');
  const kid = values.kid ?? keyring.signer.kid;
  const key = keyring.verificationKey(kid);
  if (key === undefined) {
    const kids = listOf(keyring.keys.map((k) => k.kid));
    throw new YrdxError('keys_invalid', { params: { reason: textOf(TEXT, 'unknownKid', { kid, kids }) } });
  }
  if (!values.pem) {
    io.out(`${JSON.stringify(key.jwk, null, 2)}\n`);
    return 0;
  }
  const material = publicPart(key.jwk);
  io.out(
    key.alg === 'SM2'
      ? exportSm2PublicPem(importSm2PublicJwk(material))
      : (createPublicKey({ key: { ...material }, format: 'jwk' }).export({
          type: 'spki',
          format: 'pem',
        }) as string),
  );
  return 0;
}
