import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { algorithmForKey } from '../../envelope/algorithms.js';
import { decodeBase64Url } from '../../envelope/base64url.js';
import { checkMessageClaims, checkReceiptClaims } from '../../envelope/claims.js';
import { openJws } from '../../envelope/open.js';
import { DEFAULT_POLICY, MESSAGE_TYP, RECEIPT_TYP } from '../../envelope/policy.js';
import { signCompact } from '../../envelope/seal.js';
import { parseStrictJson } from '../../envelope/strict-json.js';
import type { KeyResolver, VerificationKey } from '../../envelope/verification-key.js';
import { YrdxError } from '../../errors/errors.js';
import { describeKeyFault, importSigner, importVerificationKey } from '../../keys/jwk.js';
import { keyReason } from '../../keys/text.js';
import { type Io, UsageError } from './output.js';
import { bilingual, texts } from './text.js';

export const TEXT = bilingual({
  zh: {
    unreadable: '无法读取 {file}（{code}）',
    notJson: '{what} {file} 不是可读取的 JSON 文件（{reason}）',
    notObject: '{what} {file} 不是 JSON 对象',
    keyWhat: '密钥文件',
    jwksWhat: 'JWKS 文件',
    keyRequired: '缺少 --key PRIVATE_JWK_FILE',
    onePayload: '请给出一个 PAYLOAD_JSON_FILE（或用 - 表示标准输入）',
    payloadObject: '报文内容必须是一个 JSON 对象，且没有重复的成员',
    lifetime: '--lifetime 应为正整数秒',
    jwksRequired: '缺少 --jwks JWKS_FILE',
    oneJws: '请给出一个 JWS_FILE（或用 - 表示标准输入）',
    noKeys: 'JWKS 文件 {file} 没有 "keys" 列表',
  },
  en: {
    unreadable: '{file} cannot be read ({code})',
    notJson: '{what} {file} is not a readable JSON file ({reason})',
    notObject: '{what} {file} is not a JSON object',
    keyWhat: 'key',
    jwksWhat: 'JWKS',
    keyRequired: '--key PRIVATE_JWK_FILE is required',
    onePayload: 'give exactly one PAYLOAD_JSON_FILE (or - for standard input)',
    payloadObject: 'the payload must be one JSON object without duplicate members',
    lifetime: '--lifetime must be a whole number of seconds',
    jwksRequired: '--jwks JWKS_FILE is required',
    oneJws: 'give exactly one JWS_FILE (or - for standard input)',
    noKeys: 'JWKS {file} has no "keys" list',
  },
});

async function readInput(path: string, io: Io): Promise<string> {
  if (path === '-') return io.stdin();
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UsageError(
      texts(io, TEXT)('unreadable', { file: path, code: (cause as NodeJS.ErrnoException).code ?? 'EIO' }),
    );
  }
}

function readJsonFile(path: string, what: 'keyWhat' | 'jwksWhat', io: Io): Record<string, unknown> {
  const t = texts(io, TEXT);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    // The parser's own message is English; a file-system code or "JSON" says it in any language.
    throw new UsageError(t('notJson', { what: t(what), file: path, reason: code ?? 'SyntaxError' }));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(t('notObject', { what: t(what), file: path }));
  return value as Record<string, unknown>;
}

/**
 * `yrdx sign --key PRIVATE_JWK_FILE [--typ T] [--lifetime SECONDS] PAYLOAD_JSON_FILE`: prints a
 * compact JWS. `iat` and `exp` are added when the payload has none.
 */
export async function sign(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      typ: { type: 'string', default: MESSAGE_TYP },
      lifetime: { type: 'string' },
    },
  });
  const t = texts(io, TEXT);
  if (values.key === undefined) throw new UsageError(t('keyRequired'));
  if (positionals.length !== 1) throw new UsageError(t('onePayload'));
  const jwk = readJsonFile(values.key, 'keyWhat', io);
  const fault = describeKeyFault(jwk, 'private');
  if (fault !== undefined) throw new YrdxError('keys_invalid', { params: { reason: fault } });
  if (typeof jwk.kid !== 'string' || jwk.kid.length === 0)
    throw new YrdxError('keys_invalid', { params: { reason: keyReason('kidNeeded') } });
  const parsed = parseStrictJson(await readInput(positionals[0]!, io), DEFAULT_POLICY.maxJsonDepth);
  if (
    !parsed.ok ||
    typeof parsed.value !== 'object' ||
    parsed.value === null ||
    Array.isArray(parsed.value)
  ) {
    throw new UsageError(t('payloadObject'));
  }
  const payload = { ...(parsed.value as Record<string, unknown>) };
  const lifetime =
    values.lifetime === undefined ? DEFAULT_POLICY.messageLifetimeSeconds : Number(values.lifetime);
  if (!Number.isInteger(lifetime) || lifetime <= 0) throw new UsageError(t('lifetime'));
  const iat = Math.floor(io.now() / 1000);
  payload.iat ??= iat;
  payload.exp ??= (payload.iat as number) + lifetime;
  const signer = await importSigner(jwk, jwk.kid);
  io.out(`${await signCompact(payload, values.typ, signer)}\n`);
  return 0;
}

/** A resolver over the keys of one JWKS file, for offline verification. */
async function jwksResolver(path: string, iss: string | undefined, io: Io): Promise<KeyResolver> {
  const jwks = readJsonFile(path, 'jwksWhat', io);
  if (!Array.isArray(jwks.keys)) throw new UsageError(texts(io, TEXT)('noKeys', { file: path }));
  const keys = new Map<string, VerificationKey>();
  for (const jwk of jwks.keys as Record<string, unknown>[]) {
    if (typeof jwk !== 'object' || jwk === null || typeof jwk.kid !== 'string') continue;
    if (describeKeyFault(jwk, 'public') !== undefined || algorithmForKey(jwk) === undefined) continue;
    keys.set(jwk.kid, await importVerificationKey({ ...jwk, kid: jwk.kid }, iss ?? '*'));
  }
  return {
    resolve(tokenIss, kid) {
      if (iss !== undefined && tokenIss !== iss) return { status: 'unknown-issuer' };
      const key = keys.get(kid);
      return key === undefined ? { status: 'unknown-key' } : { status: 'ok', key };
    },
    candidates(kid) {
      const key = keys.get(kid);
      return key === undefined ? [] : [key];
    },
  };
}

/** The `typ` of an unverified token, to choose the claim rules when --typ is not given. */
function peekTyp(token: string): string | undefined {
  const header = decodeBase64Url(token.split('.')[0] ?? '');
  if (typeof header === 'string') return undefined;
  try {
    const typ = (JSON.parse(new TextDecoder().decode(header)) as { typ?: unknown }).typ;
    return typeof typ === 'string' ? typ : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `yrdx verify --jwks JWKS_FILE [--iss ISS] [--aud AUD] [--typ T] JWS_FILE`: every rule of the
 * envelope, with the JWKS as the issuer's registered keys. Prints the payload and exits 0 when valid.
 */
export async function verify(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      jwks: { type: 'string' },
      iss: { type: 'string' },
      aud: { type: 'string' },
      typ: { type: 'string' },
    },
  });
  const t = texts(io, TEXT);
  if (values.jwks === undefined) throw new UsageError(t('jwksRequired'));
  if (positionals.length !== 1) throw new UsageError(t('oneJws'));
  const token = (await readInput(positionals[0]!, io)).replace(/\r?\n$/, '');
  const typ = values.typ ?? (peekTyp(token) === RECEIPT_TYP ? RECEIPT_TYP : MESSAGE_TYP);
  const opened = await openJws(token, typ, {
    keys: await jwksResolver(values.jwks, values.iss, io),
    policy: DEFAULT_POLICY,
    now: io.now,
    ...(values.aud === undefined ? {} : { self: values.aud }),
    ...(values.iss === undefined ? {} : { expectedIssuer: values.iss }),
  });
  const claims = opened.claims as unknown as Record<string, unknown>;
  if (typ === MESSAGE_TYP) checkMessageClaims(claims);
  if (typ === RECEIPT_TYP) checkReceiptClaims(claims);
  io.out(`${JSON.stringify(claims, null, 2)}\n`);
  return 0;
}
