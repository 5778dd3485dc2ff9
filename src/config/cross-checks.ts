import type { LocalText } from '../errors/text.js';
import { PROVINCE_BY_PREFIX } from '../vocabulary/messages.js';
import { cityByCode } from '../vocabulary/regions.js';
import { checkClientCertificates } from './cross-checks-tls.js';
import { deliveryOf, envelopeOf, keyAlgorithmOf } from './defaults.js';
import { configFault } from './fault-text.js';
import type { RawAdmin, RawLocalSystem, RawNodeConfig, RawPartner, RawStore } from './schema.js';

// The rules the schema cannot state: between members (a partner is not the node itself, ids do not
// repeat, a lifetime stays within its maximum), members one choice requires (the variable of an
// "env" key source), and what only parsing can tell (a URL's scheme and credentials, a city code).
// Each function reports through `fault`, in the order the faults are listed to the administrator.

/** Reports one fault at a JSON pointer of the checked document. */
export type Fault = (pointer: string, detail: LocalText) => void;

/** The cross-checks of a whole configuration file that passed the schema. */
export function crossCheckNode(raw: RawNodeConfig, fault: Fault): void {
  const insecure = raw.allowInsecureHttp === true;
  const city = cityByCode(raw.id);
  if (city === undefined) fault('/id', configFault('notCity', { id: raw.id }));
  const province = PROVINCE_BY_PREFIX[raw.id.slice(0, 2)];
  if (city !== undefined && province !== raw.province) {
    fault('/province', configFault('province', { province: province ?? '', id: raw.id, city: city.name }));
  }
  checkUrl(raw.publicUrl, '/publicUrl', insecure, fault);
  checkKeySource(raw.keys, fault);

  raw.partners.forEach((p, i) => {
    crossCheckPartner(p, `/partners/${i}`, raw.id, insecure, fault);
  });
  const seen = new Map<string, number>();
  raw.partners.forEach((p, i) => {
    const first = seen.get(p.id);
    if (first !== undefined) fault(`/partners/${i}/id`, configFault('partnerRepeats', { first }));
    else seen.set(p.id, i);
  });

  const localSystems = raw.localSystems ?? [];
  localSystems.forEach((l, i) => {
    checkLocalDelivery(l.delivery, `/localSystems/${i}/delivery/url`, insecure, fault);
  });
  const localIds = new Set<string>();
  localSystems.forEach((l, i) => {
    if (localIds.has(l.id)) fault(`/localSystems/${i}/id`, configFault('localRepeats', { id: l.id }));
    localIds.add(l.id);
  });

  const envelope = envelopeOf(raw);
  for (const member of ['messageLifetimeSeconds', 'receiptLifetimeSeconds'] as const) {
    if (envelope[member] > envelope.maxLifetimeSeconds)
      fault(`/envelope/${member}`, configFault('lifetime', { max: envelope.maxLifetimeSeconds }));
  }
  const delivery = deliveryOf(raw);
  if (delivery.leaseMs < delivery.timeoutMs * 2) {
    fault('/delivery/leaseMs', configFault('lease', { min: delivery.timeoutMs * 2 }));
  }
  const keyAlgorithm = keyAlgorithmOf(raw.keys, raw.cryptoProfile);
  if (!envelope.algorithms.includes(keyAlgorithm)) {
    fault('/keys/algorithm', configFault('keyAlgorithm', { allowed: envelope.algorithms.join(', ') }));
  }
  if (raw.cryptoProfile === 'gm' && keyAlgorithm !== 'SM2') {
    fault('/keys/algorithm', configFault('gmKeyAlgorithm', { alg: keyAlgorithm }));
  }
  raw.partners.forEach((p, i) => {
    if (p.cryptoProfile === 'gm' && !envelope.algorithms.includes('SM2'))
      fault(
        `/partners/${i}/cryptoProfile`,
        configFault('gmPartnerAlgorithms', { allowed: envelope.algorithms.join(', ') }),
      );
  });
  checkClientCertificates(raw, fault);
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
  if (cityByCode(p.id) === undefined) fault(`${at}/id`, configFault('notCity', { id: p.id }));
  if (p.id === self) fault(`${at}/id`, configFault('notSelf'));
  checkUrl(p.baseUrl, `${at}/baseUrl`, insecure, fault);
  const { keys } = p;
  const sources = [keys.jwks, keys.jwksFile, keys.jwksUrl].filter((k) => k !== undefined);
  if (sources.length !== 1) fault(`${at}/keys`, configFault('oneKeySource'));
  if (keys.jwksUrl !== undefined) {
    checkUrl(keys.jwksUrl, `${at}/keys/jwksUrl`, insecure, fault);
    if (keys.pins === undefined || keys.pins.length === 0) {
      fault(`${at}/keys/pins`, configFault('pinsNeeded'));
    }
  }
  // The schema's date-time format admits a leap second, which Date.parse does not.
  (keys.pins ?? []).forEach((pin, j) => {
    if (typeof pin !== 'string' && pin.notAfter !== undefined && Number.isNaN(Date.parse(pin.notAfter)))
      fault(`${at}/keys/pins/${j}/notAfter`, configFault('dateTime'));
  });
}

function checkKeySource(keys: RawNodeConfig['keys'], fault: Fault): void {
  if (keys.source === 'env' && keys.variable === undefined)
    fault('/keys/variable', configFault('envVariable'));
  if (keys.source === 'secret' && keys.binding === undefined)
    fault('/keys/binding', configFault('secretBinding'));
}

function checkLocalDelivery(
  delivery: RawLocalSystem['delivery'],
  pointer: string,
  insecure: boolean,
  fault: Fault,
): void {
  if (delivery.mode === 'push') {
    if (delivery.url === undefined) fault(pointer, configFault('pushUrl'));
    else checkUrl(delivery.url, pointer, insecure, fault);
  } else if (delivery.url !== undefined) {
    fault(pointer, configFault('pullNoUrl'));
  }
}

/** Admin credentials: ids and tokens of their own. */
function checkAdmin(admin: RawAdmin, fault: Fault): void {
  const ids = new Map<string, number>();
  const hashes = new Map<string, number>();
  admin.credentials.forEach((c, i) => {
    const sameId = ids.get(c.id);
    if (sameId !== undefined)
      fault(`/admin/credentials/${i}/id`, configFault('credentialRepeats', { first: sameId }));
    ids.set(c.id, i);
    const sameHash = hashes.get(c.tokenHash);
    if (sameHash !== undefined)
      fault(`/admin/credentials/${i}/tokenHash`, configFault('tokenRepeats', { first: sameHash }));
    hashes.set(c.tokenHash, i);
  });
}

/** The store section: a URL for PostgreSQL only, and one yrdx can use. */
function checkStore(store: RawStore | undefined, fault: Fault): void {
  if (store === undefined || store.kind === 'sqlite') {
    if (store?.url !== undefined) fault('/store/url', configFault('sqliteNoUrl'));
    if (store?.poolSize !== undefined) fault('/store/poolSize', configFault('sqliteNoPool'));
    return;
  }
  if (store.url === undefined) {
    fault('/store/url', configFault('postgresUrlMissing'));
    return;
  }
  const problem = postgresUrlProblem(store.url);
  if (problem !== undefined) fault('/store/url', problem);
}

/** Why `url` is not a PostgreSQL connection URL yrdx can use, or undefined when it is one. */
export function postgresUrlProblem(url: string): LocalText | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return configFault('postgresUrl');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    return configFault('postgresScheme', { scheme: parsed.protocol });
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) return configFault('postgresHost');
  if (parsed.pathname.length <= 1) return configFault('postgresDatabase');
  return undefined;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** A parseable URL without credentials, https unless on loopback or allowed otherwise. */
function checkUrl(text: string, pointer: string, insecure: boolean, fault: Fault): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fault(pointer, configFault('absoluteUrl'));
    return;
  }
  if (url.username !== '' || url.password !== '') fault(pointer, configFault('noCredentials'));
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !insecure) {
    fault(pointer, configFault('https'));
  }
}
