import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { YrdxError } from '../../errors.js';
import { sqliteStore } from '../../store/sqlite/store.js';
import { loadConfigFile } from '../node/config-file.js';
import { type Io, UsageError } from './output.js';

function openStore(configFile: string) {
  const config = loadConfigFile(configFile);
  return sqliteStore(join(config.dataDir, 'yrdx.sqlite'));
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
  const store = openStore(values.config);
  try {
    const view = await store.getOutbound(positionals[0]!);
    if (view === undefined)
      throw new YrdxError('message_not_found', { params: { id: positionals[0]!.slice(0, 40) } });
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
  const store = openStore(values.config);
  try {
    const view = await store.getOutbound(positionals[0]!);
    if (view === undefined)
      throw new YrdxError('message_not_found', { params: { id: positionals[0]!.slice(0, 40) } });
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
