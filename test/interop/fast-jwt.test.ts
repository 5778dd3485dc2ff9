import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigner, createVerifier } from 'fast-jwt';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { tempDir, writeJson } from '../helpers/tmp.js';

/**
 * Interoperability with an independent JOSE implementation: fast-jwt (npm `fast-jwt`, by
 * NearForm), which signs and verifies through Node's crypto with its own JWS code. A JWS made by
 * `yrdx sign` verifies with fast-jwt, and a JWS made by fast-jwt verifies with `yrdx verify`.
 */
const dir = tempDir('yrdx-interop-');
const claims = {
  iss: '330500',
  aud: '320500',
  jti: '01JINTEROP0000000000000001',
  type: 'case-transfer',
  domain: 'ip-protection',
  contract: 'ip-protection@1.0.0',
  thread: '01JINTEROP0000000000000001',
  body: { 专利号: 'CN202310123456.7', 商标类别: '第25类', 案由: '假冒专利' },
};

for (const alg of ['ES256', 'EdDSA'] as const) {
  describe(`yrdx and fast-jwt interoperate (${alg})`, () => {
    const kid = `interop-${alg}`;
    const keys = async () => {
      await cli(['keys', 'generate', '--alg', alg, '--kid', kid, '--out', dir]);
      const privateJwk = JSON.parse(readFileSync(join(dir, `${kid}.private.jwk.json`), 'utf8'));
      const privatePem = createPrivateKey({ key: privateJwk, format: 'jwk' })
        .export({ format: 'pem', type: 'pkcs8' })
        .toString();
      const publicPem = createPublicKey({ key: privateJwk, format: 'jwk' })
        .export({ format: 'pem', type: 'spki' })
        .toString();
      return {
        privatePem,
        publicPem,
        jwks: join(dir, `${kid}.jwks.json`),
        privateFile: join(dir, `${kid}.private.jwk.json`),
      };
    };

    it('a JWS made by yrdx sign verifies with fast-jwt', async () => {
      const k = await keys();
      const signed = await cli([
        'sign',
        '--key',
        k.privateFile,
        writeJson(join(dir, `claims-${alg}.json`), claims),
      ]);
      expect(signed.status, signed.stderr).toBe(0);
      const verifier = createVerifier({
        key: k.publicPem,
        algorithms: [alg],
        allowedIss: '330500',
        allowedAud: '320500',
        checkTyp: 'yrdx+jwt',
        complete: true,
      });
      const decoded = verifier(signed.stdout.trim()) as {
        header: Record<string, unknown>;
        payload: Record<string, unknown>;
      };
      expect(decoded.header).toEqual({ alg, kid, typ: 'yrdx+jwt' });
      expect(decoded.payload).toMatchObject(claims);
    });

    it('a JWS made by fast-jwt verifies with yrdx verify', async () => {
      const k = await keys();
      const signer = createSigner({
        key: k.privatePem,
        algorithm: alg,
        kid,
        header: { alg, typ: 'yrdx+jwt' },
        expiresIn: 3600_000,
      });
      const token = signer({ ...claims, body: { ...claims.body, 来源: 'fast-jwt' } });
      const file = join(dir, `fast-jwt-${alg}.jws`);
      writeFileSync(file, token);
      const verified = await cli([
        'verify',
        '--jwks',
        k.jwks,
        '--iss',
        '330500',
        '--aud',
        '320500',
        '--typ',
        'yrdx+jwt',
        file,
      ]);
      expect(verified.status, verified.stderr).toBe(0);
      expect(JSON.parse(verified.stdout)).toMatchObject({ body: { 来源: 'fast-jwt' } });
    });
  });
}
