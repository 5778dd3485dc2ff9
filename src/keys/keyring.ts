import { algorithmForKey, type SigningAlgorithm } from '../envelope/algorithms.js';
import type { Signer } from '../envelope/seal.js';
import type { PublicJwk, VerificationKey } from '../envelope/verification-key.js';
import { YrdxError } from '../errors/errors.js';
import { joinTexts, type LocalText } from '../errors/text.js';
import { checkDataKeys, type DataKeyAlg, DataKeyring, newDataKey, type StoredDataKey } from './data-keys.js';
import {
  describeKeyFault,
  generatePrivateJwk,
  importSigner,
  importVerificationKey,
  thumbprint,
} from './jwk.js';
import { keyReason } from './text.js';

/**
 * A node's keys go through three states: `next` (published so partners can pin it, not yet
 * signing), `active` (signs everything), `retired` (no longer signs, still published until every
 * message it signed has expired).
 */
export const KEY_STATES = ['next', 'active', 'retired'] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** One key as stored by a key source. The private JWK never leaves the key source and the keyring. */
export interface StoredKey {
  readonly kid: string;
  readonly state: KeyState;
  /** ISO 8601 times. */
  readonly createdAt: string;
  readonly activatedAt?: string;
  readonly retiredAt?: string;
  /**
   * The end of the key's planned lifetime. Optional: documents written before yrdx set it, and keys
   * made elsewhere, have none. The key keeps working after it; the node alerts 60 days ahead.
   */
  readonly notAfter?: string;
  readonly privateJwk: JsonWebKey;
}

/** The stored form of a node's keys: the same JSON in a file, an environment variable or a secret. */
export interface KeyringDocument {
  readonly version: 1;
  readonly keys: readonly StoredKey[];
  /** The keys that encrypt stored payloads at rest (./data-keys.ts); absent in documents made before them. */
  readonly dataKeys?: readonly StoredDataKey[];
}

/** Public facts about one of this node's keys, safe to show and log. */
export interface KeyInfo {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly state: KeyState;
  readonly thumbprint: string;
  readonly createdAt: string;
  readonly activatedAt?: string;
  readonly retiredAt?: string;
  /** ISO 8601: the end of the key's planned lifetime, when one was set. */
  readonly notAfter?: string;
  /** Unix seconds until which partners must keep the key (retired keys only). */
  readonly publishedUntil?: number;
}

/**
 * Reads a keyring document from untrusted JSON text: a `{version, keys}` document, or a single
 * private JWK that becomes the active key (its `exp`, Unix seconds, if any, becomes `notAfter`).
 * Faults never quote key material.
 */
export function parseKeyringDocument(text: string, nowMs: number): KeyringDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new YrdxError('keys_invalid', { params: { reason: keyReason('notJson') } });
  }
  if (isRecord(value) && value.kty !== undefined) {
    const kid = typeof value.kid === 'string' && value.kid.length > 0 ? value.kid : undefined;
    if (kid === undefined)
      throw new YrdxError('keys_invalid', { params: { reason: keyReason('kidNeeded') } });
    return {
      version: 1,
      keys: [
        {
          kid,
          state: 'active',
          createdAt: new Date(nowMs).toISOString(),
          ...(typeof value.exp === 'number' && Number.isFinite(value.exp)
            ? { notAfter: new Date(value.exp * 1000).toISOString() }
            : {}),
          privateJwk: value,
        },
      ],
    };
  }
  if (!isRecord(value) || value.version !== 1 || !Array.isArray(value.keys)) {
    throw new YrdxError('keys_invalid', {
      params: { reason: keyReason('shape') },
    });
  }
  return value as unknown as KeyringDocument;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface KeyringOptions {
  /** How long a retired key stays published: the longest message lifetime plus clock skew. */
  readonly retainRetiredSeconds: number;
  /** Under the national profile (`gm`) the active key must be SM2: every signature this node makes is SM2. */
  readonly profile?: 'international' | 'gm';
}

/** This node's keys, imported: one active signer, and the public keys partners need. */
export class NodeKeyring {
  readonly signer: Signer;
  readonly keys: readonly KeyInfo[];
  /** The data keys that encrypt stored payloads, when the document has an active one. */
  readonly dataKeys: DataKeyring | undefined;
  readonly #verification: ReadonlyMap<string, VerificationKey>;

  private constructor(
    signer: Signer,
    keys: readonly KeyInfo[],
    verification: ReadonlyMap<string, VerificationKey>,
    dataKeys: DataKeyring | undefined,
  ) {
    this.signer = signer;
    this.keys = keys;
    this.#verification = verification;
    this.dataKeys = dataKeys;
  }

  /** Checks the document (one active key, at most one next, unique kids, usable keys) and imports it. */
  static async load(doc: KeyringDocument, owner: string, options: KeyringOptions): Promise<NodeKeyring> {
    const problems = checkDocument(doc);
    if (problems.length === 0 && options.profile === 'gm') {
      const active = doc.keys.find((k) => k.state === 'active')!;
      const alg = algorithmForKey(active.privateJwk as Record<string, unknown>);
      if (alg !== 'SM2') problems.push(keyReason('gmSigner', { kid: active.kid, alg: alg ?? '?' }));
    }
    if (problems.length > 0) throw new YrdxError('keys_invalid', { params: { reason: joinTexts(problems) } });
    const infos: KeyInfo[] = [];
    const verification = new Map<string, VerificationKey>();
    let signer: Signer | undefined;
    for (const stored of doc.keys) {
      const jwk = stored.privateJwk as Record<string, unknown>;
      const alg = algorithmForKey(jwk)!;
      const publishedUntil =
        stored.state === 'retired' && stored.retiredAt !== undefined
          ? Math.floor(Date.parse(stored.retiredAt) / 1000) + options.retainRetiredSeconds
          : undefined;
      infos.push({
        kid: stored.kid,
        alg,
        state: stored.state,
        thumbprint: await thumbprint(jwk),
        createdAt: stored.createdAt,
        ...(stored.activatedAt === undefined ? {} : { activatedAt: stored.activatedAt }),
        ...(stored.retiredAt === undefined ? {} : { retiredAt: stored.retiredAt }),
        ...(stored.notAfter === undefined ? {} : { notAfter: stored.notAfter }),
        ...(publishedUntil === undefined ? {} : { publishedUntil }),
      });
      verification.set(stored.kid, await importVerificationKey({ ...jwk, kid: stored.kid }, owner));
      if (stored.state === 'active') signer = await importSigner(jwk, stored.kid);
    }
    return new NodeKeyring(signer!, infos, verification, DataKeyring.from(doc));
  }

  /** The public keys to publish at `nowSeconds`: next, active, and retired keys still in their window. */
  published(nowSeconds: number): VerificationKey[] {
    return this.keys
      .filter((k) => k.publishedUntil === undefined || k.publishedUntil >= nowSeconds)
      .map((k) => this.#verification.get(k.kid)!);
  }

  /** A JWKS document of the published keys. */
  jwks(nowSeconds: number): { keys: PublicJwk[] } {
    return { keys: this.published(nowSeconds).map((k) => k.jwk) };
  }

  /** This node's own public key by kid (to check receipts and evidence signed by this node). */
  verificationKey(kid: string): VerificationKey | undefined {
    return this.#verification.get(kid);
  }
}

function checkDocument(doc: KeyringDocument): LocalText[] {
  const problems: LocalText[] = [];
  const kids = new Set<string>();
  let active = 0;
  let next = 0;
  doc.keys.forEach((stored, i) => {
    if (!isRecord(stored)) {
      problems.push(keyReason('entryNotObject', { i }));
      return;
    }
    if (typeof stored.kid !== 'string' || !/^[A-Za-z0-9._:-]{1,128}$/.test(stored.kid)) {
      problems.push(keyReason('entryKid', { i }));
    } else if (kids.has(stored.kid)) problems.push(keyReason('kidTwice', { kid: stored.kid }));
    else kids.add(stored.kid);
    if (!(KEY_STATES as readonly unknown[]).includes(stored.state))
      problems.push(keyReason('entryState', { i }));
    if (stored.state === 'active') active++;
    if (stored.state === 'next') next++;
    if (stored.state === 'retired' && typeof stored.retiredAt !== 'string')
      problems.push(keyReason('entryRetiredAt', { i }));
    if (
      stored.notAfter !== undefined &&
      (typeof stored.notAfter !== 'string' || Number.isNaN(Date.parse(stored.notAfter)))
    )
      problems.push(keyReason('entryNotAfter', { i }));
    if (!isRecord(stored.privateJwk)) problems.push(keyReason('entryNoPrivateJwk', { i }));
    else {
      const fault = describeKeyFault(stored.privateJwk as Record<string, unknown>, 'private');
      if (fault !== undefined) problems.push(keyReason('entryPrivateJwk', { i, fault }));
    }
  });
  if (active !== 1) problems.push(keyReason('oneActive', { count: active }));
  problems.push(...checkDataKeys(doc.dataKeys));
  if (next > 1) problems.push(keyReason('oneNext', { count: next }));
  return problems;
}

/** How long a new key is planned to be used: two years. */
export const DEFAULT_KEY_LIFETIME_DAYS = 730;

/**
 * A key id that says whose key it is and when it was made: `330500-20261128-1a2b3c4d`. With a
 * lifetime, the key gets a `notAfter` that far from now.
 */
async function newStoredKey(
  owner: string,
  alg: SigningAlgorithm,
  state: KeyState,
  nowMs: number,
  lifetimeDays: number | undefined,
): Promise<StoredKey> {
  const privateJwk = await generatePrivateJwk(alg);
  const tp = await thumbprint(privateJwk as Record<string, unknown>);
  const iso = new Date(nowMs).toISOString();
  const day = iso.slice(0, 10).replaceAll('-', '');
  return {
    kid: `${owner}-${day}-${tp.slice(0, 8)}`,
    state,
    createdAt: iso,
    ...(state === 'active' ? { activatedAt: iso } : {}),
    ...(lifetimeDays === undefined
      ? {}
      : { notAfter: new Date(nowMs + lifetimeDays * 86_400_000).toISOString() }),
    privateJwk,
  };
}

/**
 * A new node's keyring: an active key and a next key, so that partners can pin both from the start
 * and the first rotation needs no coordination, and an active data key for encryption at rest
 * (SM4-GCM beside SM2 keys, AES-256-GCM otherwise, unless `dataKeyAlg` says). Both keys get a `notAfter` `lifetimeDays` from now
 * (none when `null`).
 */
export async function createKeyring(
  owner: string,
  alg: SigningAlgorithm,
  nowMs: number,
  lifetimeDays: number | null = DEFAULT_KEY_LIFETIME_DAYS,
  dataKeyAlg: DataKeyAlg = alg === 'SM2' ? 'SM4-GCM' : 'AES-256-GCM',
): Promise<KeyringDocument> {
  const lifetime = lifetimeDays ?? undefined;
  return {
    version: 1,
    keys: [
      await newStoredKey(owner, alg, 'active', nowMs, lifetime),
      await newStoredKey(owner, alg, 'next', nowMs, lifetime),
    ],
    dataKeys: [newDataKey(dataKeyAlg, nowMs)],
  };
}

export interface RotationOptions {
  readonly alg: SigningAlgorithm;
  /** A next key must have been published this long before it may sign. */
  readonly minNextAgeSeconds: number;
  readonly retainRetiredSeconds: number;
  /** Rotate even if the next key is younger than `minNextAgeSeconds` (e.g. after a compromise). */
  readonly force?: boolean;
  /** The new next key's lifetime (its `notAfter` is this far from now); none when absent. */
  readonly lifetimeDays?: number;
}

export interface RotationResult {
  readonly document: KeyringDocument;
  readonly activated: string;
  readonly retired: string;
  readonly created: string;
  readonly dropped: readonly string[];
}

/**
 * One rotation step: next → active, active → retired, a fresh next key, and retired keys whose
 * publication window has passed are dropped. Refused while the next key is too young.
 */
export async function rotateKeyring(
  doc: KeyringDocument,
  owner: string,
  nowMs: number,
  options: RotationOptions,
): Promise<RotationResult> {
  const problems = checkDocument(doc);
  if (problems.length > 0) throw new YrdxError('keys_invalid', { params: { reason: joinTexts(problems) } });
  const next = doc.keys.find((k) => k.state === 'next');
  const active = doc.keys.find((k) => k.state === 'active')!;
  if (next === undefined) {
    throw new YrdxError('key_rotation_refused', { params: { reason: keyReason('noNext') } });
  }
  const ageSeconds = (nowMs - Date.parse(next.createdAt)) / 1000;
  if (!options.force && ageSeconds < options.minNextAgeSeconds) {
    throw new YrdxError('key_rotation_refused', {
      params: {
        reason: keyReason('nextTooYoung', {
          kid: next.kid,
          age: Math.floor(ageSeconds),
          min: options.minNextAgeSeconds,
        }),
      },
    });
  }
  const iso = new Date(nowMs).toISOString();
  const nowSeconds = Math.floor(nowMs / 1000);
  const dropped: string[] = [];
  const kept: StoredKey[] = [];
  for (const k of doc.keys) {
    if (k.kid === next.kid) kept.push({ ...k, state: 'active', activatedAt: iso });
    else if (k.kid === active.kid) kept.push({ ...k, state: 'retired', retiredAt: iso });
    else if (Math.floor(Date.parse(k.retiredAt!) / 1000) + options.retainRetiredSeconds < nowSeconds)
      dropped.push(k.kid);
    else kept.push(k);
  }
  const created = await newStoredKey(owner, options.alg, 'next', nowMs, options.lifetimeDays);
  kept.push(created);
  return {
    document: { ...doc, keys: kept },
    activated: next.kid,
    retired: active.kid,
    created: created.kid,
    dropped,
  };
}
