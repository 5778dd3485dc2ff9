import { decodeBase64Url } from '../envelope/base64url.js';
import type { Digester } from '../envelope/digest.js';
import type { PublicJwk } from '../envelope/verification-key.js';
import { YrdxError } from '../errors/errors.js';
import type { AuditEntry, ChainPoint } from '../store/audit-chain.js';
import type { AuditStore, FileStore, InboxStore, MessageFile, OutboxStore } from '../store/port.js';
import { EVIDENCE_FORMAT, type EvidenceKey, writeEvidence } from './evidence.js';
import { evidenceFilePath, type IncludedFile } from './evidence-files.js';

/** What assembling an evidence bundle reads: the node's store, its keys and its partners' keys. */
export interface EvidenceSources {
  readonly store: AuditStore &
    OutboxStore &
    InboxStore &
    Pick<FileStore, 'filesReceipts' | 'filesReceiptOut' | 'outboundFiles' | 'inboundFiles'>;
  /** This node's id: the owner of the audit log. */
  readonly node: string;
  /** The public key `kid` of node `iss` (this node or a partner), or undefined when no longer known. */
  readonly keyOf: (iss: string, kid: string) => Promise<PublicJwk | undefined>;
  /** The node's digest, in the kept form (SM3 under the national profile): the bundle's own digest. */
  readonly digest: Digester;
  /** Unix ms: the bundle's `exportedAt`. */
  readonly now: number;
  /** Wraps the audit log reads (to turn a store fault into a clearer problem). */
  readonly reading?: <T>(read: () => Promise<T>) => Promise<T>;
  /** Called before the (possibly long) read of the audit log up to its head. */
  readonly onReadingLog?: () => void;
  /**
   * Given, the bundle includes the bytes of the message's files this node holds: called for each at
   * its path in the bundle's folder (`files/<index>.<ext>`), it writes the file there and answers
   * whether it did (false: the node no longer holds the bytes).
   */
  readonly includeFile?: (file: MessageFile, path: string) => Promise<boolean>;
}

/** An assembled bundle: its text (the only form `verifyEvidence` accepts) and a summary of it. */
export interface AssembledEvidence {
  readonly text: string;
  readonly messageId: string;
  readonly purged: boolean;
  readonly receipts: number;
  readonly filesReceipts: number;
  /** The files whose bytes were included (see `includeFile`). */
  readonly files: number;
  readonly entries: number;
  readonly head: ChainPoint;
}

/**
 * Assembles the evidence bundle of a message this node sent or received: the message and its
 * receipts from the store, the keys that verify them, and the run of the audit log from the
 * message's first entry up to the head. Fails with `evidence_unavailable` when the message, its
 * audit entries or a key is no longer known.
 */
export async function assembleEvidence(id: string, sources: EvidenceSources): Promise<AssembledEvidence> {
  const { store, digest } = sources;
  const reading = sources.reading ?? (<T>(read: () => Promise<T>) => read());
  const unavailable = (reason: string, reasonZh: string) =>
    new YrdxError('evidence_unavailable', {
      params: { id: id.slice(0, 40), reason: { zh: reasonZh, en: reason } },
    });
  const own = await reading(() => store.auditForMessage(id));
  const sent = own.find((e) => e.kind === 'message-out');
  const got = own.find((e) => e.kind === 'message-in');
  let message: { sha256: string; token?: string; purgedAt?: number };
  let receipts: { sha256: string; token: string }[];
  let filesReceipts: { sha256: string; token: string }[];
  let messageFiles: () => Promise<readonly MessageFile[]>;
  if (sent !== undefined) {
    const view = await store.getOutbound(id);
    if (view === undefined) throw unavailable('the message is no longer stored', '该报文已不在存储中');
    message = payloadOf(view);
    receipts = view.deliveries.flatMap((d) =>
      d.receipt === undefined ? [] : [{ sha256: d.receipt.sha256, token: d.receipt.token }],
    );
    filesReceipts = (await store.filesReceipts(id)).map((r) => ({ sha256: r.sha256, token: r.token }));
    messageFiles = () => store.outboundFiles(id);
  } else if (got?.partner !== undefined) {
    const view = await store.getInbound(got.partner, id);
    if (view === undefined) throw unavailable('the message is no longer stored', '该报文已不在存储中');
    message = payloadOf(view);
    // The receipt's digest as the log recorded it (the algorithm of that day), else by the node's.
    const recorded = own.find((e) => e.kind === 'receipt-out')?.sha256;
    receipts = [{ sha256: recorded ?? (await digest(view.receiptToken)), token: view.receiptToken }];
    const signed = await store.filesReceiptOut(got.partner, id);
    filesReceipts = signed === undefined ? [] : [{ sha256: signed.sha256, token: signed.token }];
    const partner = got.partner;
    messageFiles = () => store.inboundFiles(partner, id);
  } else {
    throw unavailable('the audit log has no entry for it', '审计日志中没有该报文的记录');
  }
  const keys = await keysFor(
    sources,
    [message.token, ...receipts.map((r) => r.token), ...filesReceipts.map((r) => r.token)],
    unavailable,
  );
  // The bytes of the files this node holds (none once the payload was removed).
  const files: IncludedFile[] = [];
  if (sources.includeFile !== undefined && message.token !== undefined)
    for (const file of await messageFiles()) {
      if (file.state !== 'arrived') continue;
      const path = evidenceFilePath(file.index, file.name);
      if (await sources.includeFile(file, path)) files.push({ index: file.index, path });
    }
  const first = (sent ?? got) as AuditEntry;
  sources.onReadingLog?.();
  const entries = await reading(() => store.readAudit({ fromSeq: first.seq }));
  const last = entries.at(-1) as AuditEntry;
  const head = { seq: last.seq, hash: last.hash };
  const text = await writeEvidence(
    {
      format: EVIDENCE_FORMAT,
      node: sources.node,
      messageId: id,
      exportedAt: sources.now,
      message,
      receipts,
      ...(filesReceipts.length === 0 ? {} : { filesReceipts }),
      ...(files.length === 0 ? {} : { files }),
      keys,
      chain: { entries, head },
    },
    digest,
  );
  return {
    text,
    messageId: id,
    purged: message.token === undefined,
    receipts: receipts.length,
    filesReceipts: filesReceipts.length,
    files: files.length,
    entries: entries.length,
    head,
  };
}

function payloadOf(view: { sha256: string; token: string; purgedAt?: number }) {
  return view.purgedAt === undefined
    ? { sha256: view.sha256, token: view.token }
    : { sha256: view.sha256, purgedAt: view.purgedAt };
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

/** The public keys that verify the tokens, each once. */
async function keysFor(
  sources: EvidenceSources,
  tokens: readonly (string | undefined)[],
  unavailable: (reason: string, reasonZh: string) => YrdxError,
): Promise<EvidenceKey[]> {
  const keys = new Map<string, EvidenceKey>();
  for (const token of tokens) {
    if (token === undefined) continue;
    const signer = signerOf(token);
    if (signer === undefined) throw unavailable('a stored token cannot be read', '存储的令牌无法解析');
    const name = `${signer.iss} ${signer.kid}`;
    if (keys.has(name)) continue;
    const jwk = await sources.keyOf(signer.iss, signer.kid);
    if (jwk === undefined)
      throw unavailable(
        `the key ${signer.kid} of ${signer.iss} is no longer known to this node`,
        `本节点已不掌握 ${signer.iss} 的公钥 ${signer.kid}`,
      );
    keys.set(name, { owner: signer.iss, jwk });
  }
  return [...keys.values()];
}
