import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditEntry } from '../../audit/chain.js';
import { EVIDENCE_FORMAT, type EvidenceKey, verifyEvidence, writeEvidence } from '../../audit/evidence.js';
import { CHAIN_FAULT_ZH, verifyStoredLog } from '../../audit/verify-log.js';
import type { NodeConfig } from '../../config/types.js';
import { decodeBase64Url } from '../../envelope/base64url.js';
import { YrdxError } from '../../errors.js';
import { NodeKeyring } from '../../keys/keyring.js';
import type { Store } from '../../store/port.js';
import { sqliteStore } from '../../store/sqlite/store.js';
import { PartnerRegistry } from '../../trust/partner-registry.js';
import { retainRetiredSeconds } from '../node/boot.js';
import { loadConfigFile } from '../node/config-file.js';
import { nodeKeySource } from '../node/key-sources.js';
import { nodeSha256 } from '../node/sha256.js';
import { nodeStoreConfig, openNodeStore } from '../node/store.js';
import { type Io, UsageError } from './output.js';

/** The node's store, opened read-only: these commands run beside a running node and change nothing. */
function openReadOnly(config: NodeConfig): Store {
  // A PostgreSQL store is read through an ordinary connection; these commands only read.
  if (nodeStoreConfig(config, process.env).kind === 'postgres')
    return openNodeStore(config, { env: process.env });
  const file = join(config.dataDir, 'yrdx.sqlite');
  if (!existsSync(file)) {
    throw new YrdxError('audit_log_unavailable', { params: { file, reason: 'the file does not exist' } });
  }
  return sqliteStore(file, { readOnly: true, sha256: nodeSha256 });
}

/** Reads through the store, turning a missing table (a store never upgraded) into a clear problem. */
async function reading<T>(config: NodeConfig, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (cause) {
    if (cause instanceof YrdxError) throw cause;
    throw new YrdxError('audit_log_unavailable', {
      params: { file: join(config.dataDir, 'yrdx.sqlite'), reason: (cause as Error).message },
      cause,
    });
  }
}

/**
 * `yrdx audit verify [--config FILE] [--json]`: checks the node's whole audit log offline, page by
 * page, and names the first broken entry (exit 1).
 */
export async function auditVerify(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string', default: 'config/node.json' }, json: { type: 'boolean' } },
  });
  const config = loadConfigFile(values.config);
  const store = openReadOnly(config);
  try {
    const verdict = await reading(config, () =>
      verifyStoredLog(store, nodeSha256, {
        onPage: (checked) => io.err(`checked ${checked} entries…\n`),
      }),
    );
    if (!verdict.ok) {
      const broken = verdict.broken;
      const error = new YrdxError('audit_chain_broken', {
        params: { seq: broken.seq, reason: broken.reason, reasonZh: CHAIN_FAULT_ZH[broken.fault] },
      });
      if (values.json) {
        io.out(`${JSON.stringify({ valid: false, code: error.code, broken })}\n`);
        return 1;
      }
      throw error;
    }
    const head = verdict.head;
    if (values.json) io.out(`${JSON.stringify({ valid: true, entries: head.seq, head })}\n`);
    else io.out(`audit log valid: ${head.seq} entries, head ${head.hash}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** The unverified `kid` and `iss` of a compact JWS, to look up the key that verifies it. */
function signerOf(token: string): { iss: string; kid: string } | undefined {
  const [header, payload] = token.split('.').map((part) => decodeBase64Url(part));
  if (!(header instanceof Uint8Array) || !(payload instanceof Uint8Array)) return undefined;
  try {
    const kid = (JSON.parse(new TextDecoder().decode(header)) as { kid?: unknown }).kid;
    const iss = (JSON.parse(new TextDecoder().decode(payload)) as { iss?: unknown }).iss;
    return typeof kid === 'string' && typeof iss === 'string' ? { iss, kid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `yrdx evidence export [--config FILE] --message ID --out FILE [--json]`: writes the evidence
 * bundle of a message this node sent or received (see docs/evidence.md).
 */
export async function evidenceExport(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', default: 'config/node.json' },
      message: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (values.message === undefined) throw new UsageError('--message ID is required');
  if (values.out === undefined) throw new UsageError('--out FILE is required');
  const id = values.message;
  const unavailable = (reason: string, reasonZh: string) =>
    new YrdxError('evidence_unavailable', { params: { id: id.slice(0, 40), reason, reasonZh } });
  const config = loadConfigFile(values.config);
  const store = openReadOnly(config);
  try {
    const own = await reading(config, () => store.auditForMessage(id));
    const sent = own.find((e) => e.kind === 'message-out');
    const got = own.find((e) => e.kind === 'message-in');
    let message: { sha256: string; token?: string; purgedAt?: number };
    let receipts: { sha256: string; token: string }[];
    if (sent !== undefined) {
      const view = await store.getOutbound(id);
      if (view === undefined) throw unavailable('the message is no longer stored', '该报文已不在存储中');
      message = payloadOf(view);
      receipts = view.deliveries.flatMap((d) =>
        d.receipt === undefined ? [] : [{ sha256: d.receipt.sha256, token: d.receipt.token }],
      );
    } else if (got?.partner !== undefined) {
      const view = await store.getInbound(got.partner, id);
      if (view === undefined) throw unavailable('the message is no longer stored', '该报文已不在存储中');
      message = payloadOf(view);
      receipts = [{ sha256: nodeSha256(view.receiptToken), token: view.receiptToken }];
    } else {
      throw unavailable('the audit log has no entry for it', '审计日志中没有该报文的记录');
    }
    const keys = await keysFor(
      config,
      values.config,
      io,
      [message.token, ...receipts.map((r) => r.token)],
      unavailable,
    );
    const first = (sent ?? got) as AuditEntry;
    io.err('reading the audit log up to its head…\n');
    const entries = await reading(config, () => store.readAudit({ fromSeq: first.seq }));
    const last = entries.at(-1) as AuditEntry;
    const text = await writeEvidence(
      {
        format: EVIDENCE_FORMAT,
        node: config.id,
        messageId: id,
        exportedAt: io.now(),
        message,
        receipts,
        keys,
        chain: { entries, head: { seq: last.seq, hash: last.hash } },
      },
      nodeSha256,
    );
    writeFileSync(values.out, text);
    const summary = {
      out: values.out,
      messageId: id,
      purged: message.token === undefined,
      receipts: receipts.length,
      entries: entries.length,
      head: { seq: last.seq, hash: last.hash },
    };
    if (values.json) io.out(`${JSON.stringify(summary)}\n`);
    else
      io.out(
        `wrote ${values.out}: message ${id}${summary.purged ? ' (payload removed after retention; its digest is proven)' : ''}, ${receipts.length} receipt(s), ${entries.length} chain entries up to ${last.seq}\n`,
      );
    return 0;
  } finally {
    await store.close();
  }
}

function payloadOf(view: { sha256: string; token: string; purgedAt?: number }) {
  return view.purgedAt === undefined
    ? { sha256: view.sha256, token: view.token }
    : { sha256: view.sha256, purgedAt: view.purgedAt };
}

/** The public keys that verify the tokens: this node's from its keyring, partners' from the registry. */
async function keysFor(
  config: NodeConfig,
  configFile: string,
  io: Io,
  tokens: readonly (string | undefined)[],
  unavailable: (reason: string, reasonZh: string) => YrdxError,
): Promise<EvidenceKey[]> {
  let keyring: NodeKeyring | undefined;
  let partners: PartnerRegistry | undefined;
  const keys = new Map<string, EvidenceKey>();
  for (const token of tokens) {
    if (token === undefined) continue;
    const signer = signerOf(token);
    if (signer === undefined) throw unavailable('a stored token cannot be read', '存储的令牌无法解析');
    const name = `${signer.iss} ${signer.kid}`;
    if (keys.has(name)) continue;
    let jwk: EvidenceKey['jwk'] | undefined;
    if (signer.iss === config.id) {
      if (keyring === undefined) {
        const doc = await nodeKeySource(config.keys, config.dataDir, io.env, io.now).load();
        if (doc === undefined) throw unavailable('this node’s keys cannot be loaded', '无法加载本节点密钥');
        keyring = await NodeKeyring.load(doc, config.id, {
          retainRetiredSeconds: retainRetiredSeconds(config),
        });
      }
      jwk = keyring.verificationKey(signer.kid)?.jwk;
    } else {
      partners ??= await PartnerRegistry.create(config.partners, {
        file: configFile,
        ownId: config.id,
        ownThumbprints: [],
        readFile: (path) => readFileSync(path, 'utf8'),
      });
      jwk = partners.get(signer.iss)?.keys.get(signer.kid)?.jwk;
    }
    if (jwk === undefined)
      throw unavailable(
        `the key ${signer.kid} of ${signer.iss} is no longer known to this node`,
        `本节点已不掌握 ${signer.iss} 的公钥 ${signer.kid}`,
      );
    keys.set(name, { owner: signer.iss, jwk });
  }
  return [...keys.values()];
}

/** `yrdx evidence verify [--json] BUNDLE`: checks an evidence bundle with nothing but the bundle. */
export async function evidenceVerify(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one BUNDLE file');
  let text: string;
  try {
    text = readFileSync(positionals[0]!, 'utf8');
  } catch (cause) {
    throw new UsageError(
      `${positionals[0]} cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const report = await verifyEvidence(text, nodeSha256);
  if (values.json) io.out(`${JSON.stringify({ valid: true, ...report })}\n`);
  else {
    io.out(
      `evidence valid: message ${report.messageId} (${report.direction} at node ${report.node})${report.purged ? ', payload removed after retention (its digest is proven)' : ''}, ${report.receipts} receipt(s), chain of ${report.entries} entries up to ${report.head.seq} ${report.head.hash}\n`,
    );
    for (const k of report.keys) io.out(`  key ${k.kid} of ${k.owner}: thumbprint ${k.thumbprint}\n`);
    io.out('Compare the thumbprints with the keys you have registered for these nodes.\n');
  }
  return 0;
}
