import { AEADS, type Aead } from '../crypto/gm/aead.js';
import { decodeBase64Url, encodeBase64Url } from '../crypto/gm/base64url.js';
import { randomBytes } from '../crypto/gm/bytes.js';
import { YrdxError } from '../errors/errors.js';
import { joinTexts, type LocalText } from '../errors/text.js';
import type { AtRestKey, AtRestKeys } from '../store/at-rest/sealed-text.js';
import type { KeyringDocument } from './keyring.js';
import { keyReason } from './text.js';

/**
 * Data keys: the symmetric keys that encrypt stored payloads at rest (src/store/at-rest/), kept in
 * the keyring document beside the signing keys (`dataKeys`), so that they come from the same key
 * source (file, environment, Workers secret). One is `active` and seals every new value; `retired`
 * ones seal nothing and are kept to open what they sealed, until `yrdx data-key rotate --rewrap`
 * has moved every value to the active key.
 */
export const DATA_KEY_ALGS = ['SM4-GCM', 'AES-256-GCM'] as const;
export type DataKeyAlg = (typeof DATA_KEY_ALGS)[number];
export const DATA_KEY_STATES = ['active', 'retired'] as const;
export type DataKeyState = (typeof DATA_KEY_STATES)[number];

export interface StoredDataKey {
  /** `dk-YYYYMMDD-<8 hex>`, or any `[A-Za-z0-9._-]{1,64}`: written into every value it seals. */
  readonly id: string;
  readonly alg: DataKeyAlg;
  readonly state: DataKeyState;
  /** ISO 8601 times. */
  readonly createdAt: string;
  readonly retiredAt?: string;
  /** The raw key, base64url: 16 bytes for SM4-GCM, 32 for AES-256-GCM. */
  readonly key: string;
}

const AEAD_OF: Readonly<Record<DataKeyAlg, Aead>> = {
  'SM4-GCM': AEADS['SM4-GCM'],
  'AES-256-GCM': AEADS.A256GCM,
};

/** The data key algorithm of a profile: SM4-GCM under the national profile, AES-256-GCM otherwise. */
export function dataKeyAlgorithm(profile: 'international' | 'gm' | undefined): DataKeyAlg {
  return profile === 'gm' ? 'SM4-GCM' : 'AES-256-GCM';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The faults of a document's `dataKeys` (absent is fine: a document written before them). */
export function checkDataKeys(value: unknown): LocalText[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [keyReason('dataKeysShape')];
  const problems: LocalText[] = [];
  const ids = new Set<string>();
  let active = 0;
  value.forEach((k: unknown, i) => {
    if (!isRecord(k)) {
      problems.push(keyReason('dataKeyEntry', { i }));
      return;
    }
    if (typeof k.id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(k.id))
      problems.push(keyReason('dataKeyId', { i }));
    else if (ids.has(k.id)) problems.push(keyReason('dataKeyTwice', { id: k.id }));
    else ids.add(k.id);
    if (!(DATA_KEY_ALGS as readonly unknown[]).includes(k.alg)) problems.push(keyReason('dataKeyAlg', { i }));
    if (!(DATA_KEY_STATES as readonly unknown[]).includes(k.state))
      problems.push(keyReason('dataKeyState', { i }));
    if (k.state === 'active') active++;
    if (typeof k.createdAt !== 'string' || Number.isNaN(Date.parse(k.createdAt)))
      problems.push(keyReason('dataKeyTime', { i, member: 'createdAt' }));
    if (k.state === 'retired' && (typeof k.retiredAt !== 'string' || Number.isNaN(Date.parse(k.retiredAt))))
      problems.push(keyReason('dataKeyTime', { i, member: 'retiredAt' }));
    const bytes = typeof k.key === 'string' ? decodeBase64Url(k.key) : undefined;
    const aead = AEAD_OF[k.alg as DataKeyAlg];
    if (bytes === undefined || (aead !== undefined && bytes.length !== aead.keyBytes))
      problems.push(keyReason('dataKeyBytes', { i, bytes: aead?.keyBytes ?? '16/32' }));
  });
  if (active > 1) problems.push(keyReason('dataKeyOneActive', { count: active }));
  return problems;
}

/** A fresh random data key (the platform's CSPRNG), active. */
export function newDataKey(alg: DataKeyAlg, nowMs: number): StoredDataKey {
  const iso = new Date(nowMs).toISOString();
  const tag = Array.from(randomBytes(4), (b) => b.toString(16).padStart(2, '0')).join('');
  return {
    id: `dk-${iso.slice(0, 10).replaceAll('-', '')}-${tag}`,
    alg,
    state: 'active',
    createdAt: iso,
    key: encodeBase64Url(randomBytes(AEAD_OF[alg].keyBytes)),
  };
}

export interface DataKeyRotation {
  readonly document: KeyringDocument;
  readonly activated: string;
  /** The key that was active before, now retired (none when there was none). */
  readonly retired?: string;
}

/** A new active data key of `alg`; the active one is retired and kept to open what it sealed. */
export function rotateDataKeys(doc: KeyringDocument, alg: DataKeyAlg, nowMs: number): DataKeyRotation {
  const problems = checkDataKeys(doc.dataKeys);
  if (problems.length > 0) throw new YrdxError('keys_invalid', { params: { reason: joinTexts(problems) } });
  const created = newDataKey(alg, nowMs);
  const iso = new Date(nowMs).toISOString();
  const before = doc.dataKeys ?? [];
  const retired = before.find((k) => k.state === 'active');
  const kept = before.map(
    (k): StoredDataKey => (k.state === 'active' ? { ...k, state: 'retired', retiredAt: iso } : k),
  );
  return {
    document: { ...doc, dataKeys: [...kept, created] },
    activated: created.id,
    ...(retired === undefined ? {} : { retired: retired.id }),
  };
}

/** Whether the document has an active data key of the profile's algorithm (else one must be made). */
export function hasProfileDataKey(doc: KeyringDocument, alg: DataKeyAlg): boolean {
  return (doc.dataKeys ?? []).some((k) => k.state === 'active' && k.alg === alg);
}

/** A node's data keys, imported (see `AtRestKeys`). */
export class DataKeyring implements AtRestKeys {
  readonly active: AtRestKey;
  readonly #all: ReadonlyMap<string, AtRestKey>;
  /** What is safe to show: ids, algorithms, states, times, never the keys. */
  readonly keys: readonly Omit<StoredDataKey, 'key'>[];

  private constructor(
    active: AtRestKey,
    all: ReadonlyMap<string, AtRestKey>,
    keys: readonly Omit<StoredDataKey, 'key'>[],
  ) {
    this.active = active;
    this.#all = all;
    this.keys = keys;
  }

  /** The document's data keys, or undefined when it has no active one. Faults are `keys_invalid`. */
  static from(doc: KeyringDocument): DataKeyring | undefined {
    const problems = checkDataKeys(doc.dataKeys);
    if (problems.length > 0) throw new YrdxError('keys_invalid', { params: { reason: joinTexts(problems) } });
    const all = new Map<string, AtRestKey>();
    let active: AtRestKey | undefined;
    for (const stored of doc.dataKeys ?? []) {
      const key: AtRestKey = { id: stored.id, aead: AEAD_OF[stored.alg], key: decodeBase64Url(stored.key)! };
      all.set(stored.id, key);
      if (stored.state === 'active') active = key;
    }
    if (active === undefined) return undefined;
    return new DataKeyring(
      active,
      all,
      (doc.dataKeys ?? []).map(({ key: _key, ...facts }) => facts),
    );
  }

  find(id: string): AtRestKey | undefined {
    return this.#all.get(id);
  }
}
