import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyEvidence } from '../../audit/evidence.js';
import { assembleEvidence } from '../../audit/evidence-export.js';
import { CHAIN_FAULT_ZH, verifyStoredLog } from '../../audit/verify-log.js';
import type { NodeConfig } from '../../config/types.js';
import type { PublicJwk } from '../../envelope/verification-key.js';
import { YrdxError } from '../../errors/errors.js';
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
        params: { seq: broken.seq, reason: { zh: CHAIN_FAULT_ZH[broken.fault], en: broken.reason } },
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
  const configFile = values.config;
  const config = loadConfigFile(configFile);
  const store = openReadOnly(config);
  try {
    const bundle = await assembleEvidence(id, {
      store,
      node: config.id,
      keyOf: nodeKeys(config, configFile, io, id),
      sha256: nodeSha256,
      now: io.now(),
      reading: (read) => reading(config, read),
      onReadingLog: () => io.err('reading the audit log up to its head…\n'),
    });
    writeFileSync(values.out, bundle.text);
    const summary = {
      out: values.out,
      messageId: id,
      purged: bundle.purged,
      receipts: bundle.receipts,
      entries: bundle.entries,
      head: bundle.head,
    };
    if (values.json) io.out(`${JSON.stringify(summary)}\n`);
    else
      io.out(
        `wrote ${values.out}: message ${id}${summary.purged ? ' (payload removed after retention; its digest is proven)' : ''}, ${bundle.receipts} receipt(s), ${bundle.entries} chain entries up to ${bundle.head.seq}\n`,
      );
    return 0;
  } finally {
    await store.close();
  }
}

/** The public keys known to the node: its own from its keyring, partners' from the registry (both loaded once, when first needed). */
function nodeKeys(
  config: NodeConfig,
  configFile: string,
  io: Io,
  id: string,
): (iss: string, kid: string) => Promise<PublicJwk | undefined> {
  let keyring: NodeKeyring | undefined;
  let partners: PartnerRegistry | undefined;
  return async (iss, kid) => {
    if (iss === config.id) {
      if (keyring === undefined) {
        const doc = await nodeKeySource(config.keys, config.dataDir, io.env, io.now).load();
        if (doc === undefined)
          throw new YrdxError('evidence_unavailable', {
            params: {
              id: id.slice(0, 40),
              reason: { zh: '无法加载本节点密钥', en: 'this node’s keys cannot be loaded' },
            },
          });
        keyring = await NodeKeyring.load(doc, config.id, {
          retainRetiredSeconds: retainRetiredSeconds(config),
        });
      }
      return keyring.verificationKey(kid)?.jwk;
    }
    partners ??= await PartnerRegistry.create(config.partners, {
      file: configFile,
      ownId: config.id,
      ownThumbprints: [],
      readFile: (path) => readFileSync(path, 'utf8'),
    });
    return partners.get(iss)?.keys.get(kid)?.jwk;
  };
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
