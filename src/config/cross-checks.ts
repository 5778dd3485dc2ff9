import { PROVINCE_BY_PREFIX } from '../vocabulary/messages.js';
import { cityByCode } from '../vocabulary/regions.js';
import { deliveryOf, envelopeOf, keyAlgorithmOf } from './defaults.js';
import type { RawAdmin, RawLocalSystem, RawNodeConfig, RawPartner, RawStore } from './schema.js';

// The rules the schema cannot state: between members (a partner is not the node itself, ids do not
// repeat, a lifetime stays within its maximum), members one choice requires (the variable of an
// "env" key source), and what only parsing can tell (a URL's scheme and credentials, a city code).
// Each function reports through `fault`, in the order the faults are listed to the administrator.

/** Reports one fault at a JSON pointer of the checked document. */
export type Fault = (pointer: string, detail: string) => void;

/** The cross-checks of a whole configuration file that passed the schema. */
export function crossCheckNode(raw: RawNodeConfig, fault: Fault): void {
  const insecure = raw.allowInsecureHttp === true;
  const city = cityByCode(raw.id);
  if (city === undefined)
    fault('/id', `expected the division code of one of the Delta's 41 cities; "${raw.id}" is not one`);
  const province = PROVINCE_BY_PREFIX[raw.id.slice(0, 2)];
  if (city !== undefined && province !== raw.province) {
    fault('/province', `expected "${province}" for node ${raw.id} (${city.name})`);
  }
  checkUrl(raw.publicUrl, '/publicUrl', insecure, fault);
  checkKeySource(raw.keys, fault);

  raw.partners.forEach((p, i) => {
    crossCheckPartner(p, `/partners/${i}`, raw.id, insecure, fault);
  });
  const seen = new Map<string, number>();
  raw.partners.forEach((p, i) => {
    const first = seen.get(p.id);
    if (first !== undefined)
      fault(`/partners/${i}/id`, `expected a partner id not used before; it repeats /partners/${first}/id`);
    else seen.set(p.id, i);
  });

  const localSystems = raw.localSystems ?? [];
  localSystems.forEach((l, i) => {
    checkLocalDelivery(l.delivery, `/localSystems/${i}/delivery/url`, insecure, fault);
  });
  const localIds = new Set<string>();
  localSystems.forEach((l, i) => {
    if (localIds.has(l.id))
      fault(`/localSystems/${i}/id`, `expected a local system id not used before; "${l.id}" repeats`);
    localIds.add(l.id);
  });

  const envelope = envelopeOf(raw);
  for (const member of ['messageLifetimeSeconds', 'receiptLifetimeSeconds'] as const) {
    if (envelope[member] > envelope.maxLifetimeSeconds)
      fault(`/envelope/${member}`, `expected at most maxLifetimeSeconds (${envelope.maxLifetimeSeconds})`);
  }
  const delivery = deliveryOf(raw);
  if (delivery.leaseMs < delivery.timeoutMs * 2) {
    fault(
      '/delivery/leaseMs',
      `expected at least twice timeoutMs (${delivery.timeoutMs * 2} ms), so that a claim outlives the call it covers`,
    );
  }
  if (!envelope.algorithms.includes(keyAlgorithmOf(raw.keys))) {
    fault('/keys/algorithm', `expected one of envelope.algorithms (${envelope.algorithms.join(', ')})`);
  }
  if (raw.admin !== undefined) checkAdmin(raw.admin, fault);
  checkStore(raw.store, fault);
}

/**
 * The cross-checks of one partner at `at` ("/partners/3" in a file, "" for one the admin API
 * receives): a Delta city other than the node itself, usable URLs, exactly one key source, pins
 * for keys fetched from a URL.
 */
export function crossCheckPartner(
  p: RawPartner,
  at: string,
  self: string,
  insecure: boolean,
  fault: Fault,
): void {
  if (cityByCode(p.id) === undefined)
    fault(`${at}/id`, `expected the division code of one of the Delta's 41 cities; "${p.id}" is not one`);
  if (p.id === self) fault(`${at}/id`, 'expected another node; a node is not its own partner');
  checkUrl(p.baseUrl, `${at}/baseUrl`, insecure, fault);
  const { keys } = p;
  const sources = [keys.jwks, keys.jwksFile, keys.jwksUrl].filter((k) => k !== undefined);
  if (sources.length !== 1) fault(`${at}/keys`, 'expected exactly one of "jwks", "jwksFile" or "jwksUrl"');
  if (keys.jwksUrl !== undefined) {
    checkUrl(keys.jwksUrl, `${at}/keys/jwksUrl`, insecure, fault);
    if (keys.pins === undefined || keys.pins.length === 0) {
      fault(
        `${at}/keys/pins`,
        'expected at least one pinned thumbprint: keys fetched from a URL are used only when pinned',
      );
    }
  }
  // The schema's date-time format admits a leap second, which Date.parse does not.
  (keys.pins ?? []).forEach((pin, j) => {
    if (typeof pin !== 'string' && pin.notAfter !== undefined && Number.isNaN(Date.parse(pin.notAfter)))
      fault(`${at}/keys/pins/${j}/notAfter`, 'expected an ISO 8601 date-time');
  });
}

function checkKeySource(keys: RawNodeConfig['keys'], fault: Fault): void {
  if (keys.source === 'env' && keys.variable === undefined)
    fault('/keys/variable', 'expected the name of the environment variable that holds the keys');
  if (keys.source === 'secret' && keys.binding === undefined)
    fault('/keys/binding', 'expected the name of the Workers secret that holds the keys');
}

function checkLocalDelivery(
  delivery: RawLocalSystem['delivery'],
  pointer: string,
  insecure: boolean,
  fault: Fault,
): void {
  if (delivery.mode === 'push') {
    if (delivery.url === undefined) fault(pointer, 'expected the URL the gateway posts messages to');
    else checkUrl(delivery.url, pointer, insecure, fault);
  } else if (delivery.url !== undefined) {
    fault(pointer, 'expected no URL for pull delivery (the local system polls)');
  }
}

/** Admin credentials: ids and tokens of their own. */
function checkAdmin(admin: RawAdmin, fault: Fault): void {
  const ids = new Map<string, number>();
  const hashes = new Map<string, number>();
  admin.credentials.forEach((c, i) => {
    const sameId = ids.get(c.id);
    if (sameId !== undefined)
      fault(
        `/admin/credentials/${i}/id`,
        `expected a credential id not used before; it repeats /admin/credentials/${sameId}/id`,
      );
    ids.set(c.id, i);
    const sameHash = hashes.get(c.tokenHash);
    if (sameHash !== undefined)
      fault(
        `/admin/credentials/${i}/tokenHash`,
        `expected a token of its own; /admin/credentials/${sameHash} has the same token, so the two could not be told apart`,
      );
    hashes.set(c.tokenHash, i);
  });
}

/** The store section: a URL for PostgreSQL only, and one yrdx can use. */
function checkStore(store: RawStore | undefined, fault: Fault): void {
  if (store === undefined || store.kind === 'sqlite') {
    if (store?.url !== undefined)
      fault('/store/url', 'expected no URL for the SQLite store (it is a file in dataDir)');
    if (store?.poolSize !== undefined)
      fault('/store/poolSize', 'expected no pool size for the SQLite store (it is a file in dataDir)');
    return;
  }
  if (store.url === undefined) {
    fault(
      '/store/url',
      'expected the URL of the PostgreSQL database (postgres://user@host:5432/database), or DATABASE_URL in the environment and no "store" member',
    );
    return;
  }
  const problem = postgresUrlProblem(store.url);
  if (problem !== undefined) fault('/store/url', problem);
}

/** Why `url` is not a PostgreSQL connection URL yrdx can use, or undefined when it is one. */
export function postgresUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'expected a PostgreSQL connection URL (postgres://user@host:5432/database)';
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    return `expected a postgres:// or postgresql:// URL, not ${parsed.protocol}//`;
  if (parsed.hostname === '' && !parsed.searchParams.has('host'))
    return 'expected the host of the PostgreSQL server (postgres://user@host:5432/database)';
  if (parsed.pathname.length <= 1) return 'expected the database name at the end of the URL (…/database)';
  return undefined;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** A parseable URL without credentials, https unless on loopback or allowed otherwise. */
function checkUrl(text: string, pointer: string, insecure: boolean, fault: Fault): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fault(pointer, 'expected an absolute http(s) URL');
    return;
  }
  if (url.username !== '' || url.password !== '') fault(pointer, 'expected a URL without credentials');
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !insecure) {
    fault(
      pointer,
      'expected https (plain http is allowed only on loopback, or with "allowInsecureHttp": true)',
    );
  }
}
