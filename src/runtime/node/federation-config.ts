import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CryptoProfile } from '../../config/types.js';
import type { SigningAlgorithm } from '../../envelope/algorithms.js';
import { sha256Hex, sm3Digest } from '../../envelope/digest.js';
import type { PublicJwk } from '../../envelope/verification-key.js';
import { createKeyring, NodeKeyring } from '../../keys/keyring.js';
import { ANY, type Province } from '../../vocabulary/messages.js';
import { writeFileAtomic } from './key-sources.js';

/**
 * One node of a local federation on this machine (the demo, tests, benchmarks): every member trusts
 * every other with pinned keys, and has one local system that may send and receive everything.
 */
export interface FederationMember {
  readonly id: string;
  readonly name: string;
  readonly province: Province;
  readonly algorithm: SigningAlgorithm;
  /**
   * The member's cryptography profile (default international). A `gm` member's configuration says so,
   * and every other member declares it `gm` as a partner (only SM2 signatures accepted from it).
   */
  readonly cryptoProfile?: CryptoProfile;
  /** Where the member's gateway listens. */
  readonly url: string;
  readonly dataDir: string;
  /** The member's published keys (from `writeMemberKeys`). */
  readonly jwks: { readonly keys: readonly PublicJwk[] };
  /** The API key of its local system (only its SHA-256 goes into the configuration). */
  readonly apiKey: string;
  readonly local: { readonly mode: 'push'; readonly url: string } | { readonly mode: 'pull' };
  readonly delivery?: Readonly<Record<string, number>>;
  /** Overrides of partner base URLs by partner id (e.g. to point at a closed port). */
  readonly partnerUrls?: Readonly<Record<string, string>>;
}

/** Generates a member's keys into `<dataDir>/keys/keyring.json` (mode 0600) and returns what it publishes. */
export async function writeMemberKeys(
  id: string,
  algorithm: SigningAlgorithm,
  dataDir: string,
): Promise<{ readonly jwks: { readonly keys: readonly PublicJwk[] } }> {
  mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  const doc = await createKeyring(id, algorithm, Date.now());
  writeFileAtomic(join(dataDir, 'keys', 'keyring.json'), JSON.stringify(doc), 0o600);
  const keyring = await NodeKeyring.load(doc, id, { retainRetiredSeconds: 3600 });
  return { jwks: keyring.jwks(Math.floor(Date.now() / 1000)) };
}

/** A new API key for a local system, as a URL-safe random string. */
export function newApiKey(): string {
  let text = '';
  for (const b of crypto.getRandomValues(new Uint8Array(24))) text += b.toString(16).padStart(2, '0');
  return text;
}

export function localSystemId(member: Pick<FederationMember, 'id'>): string {
  return `${member.id}-case`;
}

/** The configuration file content of one member of the federation. */
export async function memberConfig(
  member: FederationMember,
  all: readonly FederationMember[],
): Promise<Record<string, unknown>> {
  return {
    id: member.id,
    name: member.name,
    province: member.province,
    publicUrl: member.url,
    dataDir: member.dataDir,
    ...(member.cryptoProfile === undefined ? {} : { cryptoProfile: member.cryptoProfile }),
    keys: { source: 'file', algorithm: member.algorithm },
    ...(member.delivery === undefined ? {} : { delivery: member.delivery }),
    localSystems: [
      {
        id: localSystemId(member),
        name: `${member.name}案件系统`,
        dialect: member.province,
        // A node on the national profile keeps no SHA-256 of a secret.
        apiKeys: [
          member.cryptoProfile === 'gm'
            ? sm3Digest(member.apiKey)
            : `sha256:${await sha256Hex(member.apiKey)}`,
        ],
        maySend: { domains: [ANY], types: [ANY] },
        receives: { domains: [ANY], types: [ANY] },
        delivery: member.local,
      },
    ],
    partners: all
      .filter((o) => o.id !== member.id)
      .map((o) => ({
        id: o.id,
        name: o.name,
        baseUrl: member.partnerUrls?.[o.id] ?? o.url,
        ...(o.cryptoProfile === undefined ? {} : { cryptoProfile: o.cryptoProfile }),
        keys: { jwks: o.jwks },
        subscribes: [ANY],
        maySend: { domains: [ANY], types: [ANY] },
      })),
  };
}
