import { parseArgs } from 'node:util';
import { YrdxError } from '../../errors/errors.js';
import { resealExpired } from '../../exchange/outbound/reseal.js';
import { loadKeyring } from '../node/boot.js';
import { loadConfigFile } from '../node/config-file.js';
import { openNodeStore } from '../node/store.js';
import { type Io, UsageError } from './output.js';

async function openStore(configFile: string) {
  const config = loadConfigFile(configFile);
  const store = openNodeStore(config, { env: process.env });
  await store.migrate();
  return store;
}

/** The outbound message with this id, or `message_not_found`. */
async function outboundOrFail(store: Awaited<ReturnType<typeof openStore>>, id: string) {
  const view = await store.getOutbound(id);
  if (view === undefined) throw new YrdxError('message_not_found', { params: { id: id.slice(0, 40) } });
  return view;
}

/**
 * `yrdx messages status [--config FILE] [--json] ID`: an outbound message's deliveries and history,
 * read from the node's store (also while the node runs).
 */
export async function messagesStatus(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: 'string', default: 'config/node.json' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one message id');
  const store = await openStore(values.config);
  try {
    const view = await outboundOrFail(store, positionals[0]!);
    if (values.json) io.out(`${JSON.stringify(view)}\n`);
    else {
      io.out(`${view.messageId} ${view.domain} ${view.type} thread ${view.thread}\n`);
      for (const d of view.deliveries) {
        io.out(
          `  → ${d.recipient}: ${d.status} after ${d.attempts} attempt(s)${d.lastError ? ` — ${d.lastError}` : ''}${d.receipt ? ` — receipt ${d.receipt.sha256.slice(0, 16)}…` : ''}\n`,
        );
      }
      for (const e of view.events)
        io.out(
          `  ${new Date(e.at).toISOString()} ${e.event}${e.recipient ? ` ${e.recipient}` : ''}${e.detail ? ` ${e.detail}` : ''}\n`,
        );
    }
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * `yrdx messages requeue [--config FILE] [--recipient ID] [--json] ID`: puts the dead deliveries of
 * an outbound message back in the queue; a running node picks them up on its next round.
 */
export async function messagesRequeue(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string', default: 'config/node.json' },
      recipient: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one message id');
  const store = await openStore(values.config);
  try {
    const view = await outboundOrFail(store, positionals[0]!);
    if (view.expiresAt <= io.now()) {
      // Expired: recipients would refuse the old token; seal it again under a new id.
      const config = loadConfigFile(values.config);
      const { keyring } = await loadKeyring(config, { env: io.env, now: io.now });
      const resealed = await resealExpired(view, {
        self: config.id,
        store,
        signer: keyring.signer,
        policy: config.envelope,
        now: io.now,
      });
      if (values.json)
        io.out(
          `${JSON.stringify({ messageId: view.messageId, expired: true, resealedAs: resealed ?? null })}\n`,
        );
      else
        io.out(
          resealed === undefined
            ? `${view.messageId}: no dead delivery to requeue\n`
            : `${view.messageId} had expired: sealed again as ${resealed} (supersedes ${view.messageId})\n`,
        );
      return resealed === undefined ? 1 : 0;
    }
    const requeued: string[] = [];
    for (const d of view.deliveries) {
      if (d.status !== 'dead' || (values.recipient !== undefined && d.recipient !== values.recipient))
        continue;
      if (await store.requeueDelivery(d.deliveryId, io.now())) requeued.push(d.recipient);
    }
    if (values.json) io.out(`${JSON.stringify({ messageId: view.messageId, requeued })}\n`);
    else
      io.out(
        requeued.length === 0
          ? `${view.messageId}: no dead delivery to requeue\n`
          : `${view.messageId}: requeued for ${requeued.join(', ')}\n`,
      );
    return requeued.length === 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
