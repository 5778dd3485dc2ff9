import { Hono } from 'hono';
import { storedReceiptLosses } from '../../envelope/receipt.js';
import { YrdxError } from '../../errors/errors.js';
import { requestFault } from '../../errors/request-text.js';
import type { ExchangeDeps } from '../../exchange/deps.js';
import { threadDocument, threadState } from '../../exchange/threads/present.js';
import type { MessageQuery } from '../../store/port.js';
import type { AdminEnv } from '../env.js';
import { allow, noteAudit } from '../guard.js';
import { invalidRequest } from '../json-body.js';
import { adminReason } from '../reason-text.js';
import {
  downloadDetail,
  fileResponse,
  heldFile,
  inboundCaseFiles,
  inboundFilesDocument,
  outboundCaseFiles,
  outboundFilesDocument,
  requeueTransfer,
} from '../services/case-files.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** A time filter: an ISO 8601 date-time. */
function time(value: string | undefined, pointer: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalidRequest(pointer, requestFault('dateTime'));
  return ms;
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return 100;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalidRequest('/limit', requestFault('limit'));
  return n;
}

/** `/messages`, `/threads` and `/dead-letters`: what an operator or auditor reads, and requeues. */
export function messageRoutes(exchange: ExchangeDeps | undefined): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const need = (): ExchangeDeps => {
    if (exchange === undefined)
      throw new YrdxError('admin_unsupported', { params: { reason: adminReason('noExchange') } });
    return exchange;
  };

  app.get('/messages', allow('messages:read'), async (c) => {
    const q = c.req.query();
    const direction = q.direction;
    if (direction !== undefined && direction !== 'outbound' && direction !== 'inbound')
      throw invalidRequest('/direction', requestFault('direction'));
    const query: MessageQuery = {
      ...(q.id === undefined ? {} : { id: q.id }),
      ...(direction === undefined ? {} : { direction }),
      ...(q.partner === undefined ? {} : { partner: q.partner }),
      ...(q.domain === undefined ? {} : { domain: q.domain }),
      ...(q.type === undefined ? {} : { type: q.type }),
      ...(q.thread === undefined ? {} : { thread: q.thread }),
      ...(q.caseNumber === undefined ? {} : { caseNumber: q.caseNumber }),
      ...(q.from === undefined ? {} : { from: time(q.from, '/from')! }),
      ...(q.to === undefined ? {} : { to: time(q.to, '/to')! }),
      limit: limitOf(q.limit),
    };
    const items = await need().store.searchMessages(query);
    return c.json({ items: items.map((m) => ({ ...m, at: iso(m.at) })) });
  });

  app.get('/messages/:id', allow('messages:read'), async (c) => {
    const id = c.req.param('id');
    const store = need().store;
    const found = await store.searchMessages({ id, limit: 10 });
    if (found.length === 0) throw new YrdxError('message_not_found', { params: { id: id.slice(0, 40) } });
    const outbound = found.some((m) => m.direction === 'outbound') ? await store.getOutbound(id) : undefined;
    const inbound = [];
    for (const m of found.filter((x) => x.direction === 'inbound')) {
      const view = await store.getInbound(m.partners[0] ?? '', id);
      if (view === undefined) continue;
      const files = await inboundCaseFiles(store, view.iss, view.jti);
      inbound.push({
        ...view,
        receivedAt: iso(view.receivedAt),
        ...(files.files.length === 0 ? {} : inboundFilesDocument(files)),
      });
    }
    const outboundFiles = outbound === undefined ? undefined : await outboundCaseFiles(store, outbound);
    return c.json({
      id,
      ...(outbound === undefined
        ? {}
        : {
            outbound: {
              ...outbound,
              createdAt: iso(outbound.createdAt),
              expiresAt: iso(outbound.expiresAt),
              events: outbound.events.map((e) => ({ ...e, at: iso(e.at) })),
              // What the recipient's local systems could not carry, as its signed receipt says.
              deliveries: outbound.deliveries.map((d) =>
                d.receipt === undefined
                  ? d
                  : { ...d, receipt: { ...d.receipt, ...storedReceiptLosses(d.receipt.token) } },
              ),
              ...(outboundFiles === undefined || outboundFiles.files.length === 0
                ? {}
                : outboundFilesDocument(outboundFiles)),
            },
          }),
      inbound,
    });
  });

  // A case file this node holds, for the roles that may read evidence (admin, auditor): each download
  // is audited with the file, the message and the bytes asked for.
  app.get('/messages/:id/attachments/:index', allow('files:download'), async (c) => {
    const deps = need();
    const id = c.req.param('id');
    const held = await heldFile(deps.store, id, c.req.param('index'));
    const range = c.req.header('range');
    const response = await fileResponse(deps, id, held.file, range);
    noteAudit(c, downloadDetail(id, held, response.status, range));
    return response;
  });

  // The transfer of an inbound message's files again, after it died or refused a file.
  app.post('/messages/:id/attachments/requeue', allow('deliveries:requeue'), async (c) => {
    const deps = need();
    const id = c.req.param('id');
    const sender = c.req.query('sender');
    const senders = await requeueTransfer(deps, id, sender);
    noteAudit(c, `requeued the file transfer of message ${id} from ${senders.join(', ')}`);
    return c.json({ requeued: id, senders });
  });

  app.get('/threads', allow('messages:read'), async (c) => {
    const q = c.req.query();
    if (q.status !== undefined && q.status !== 'open' && q.status !== 'closed')
      throw invalidRequest('/status', requestFault('openClosed'));
    const threads = await need().store.listThreads({
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.partner === undefined ? {} : { partner: q.partner }),
      ...(q.overdue === 'true' ? { overdueAt: need().now() } : {}),
      limit: limitOf(q.limit),
    });
    const now = need().now();
    return c.json({ items: threads.map((t) => threadDocument(need().contracts, t, now)) });
  });

  app.get('/threads/summary', allow('messages:read'), async (c) => {
    const now = need().now();
    const open = await need().store.listThreads({ status: 'open' });
    // Per counterpart: its open tracks (a joint investigation counts once per participant).
    const byPartner = new Map<string, { partner: string; open: number; overdue: number }>();
    for (const t of open) {
      for (const track of threadState(need().contracts, t, now).tracks) {
        if (track.final || track.expired) continue;
        const entry = byPartner.get(track.partner) ?? { partner: track.partner, open: 0, overdue: 0 };
        entry.open++;
        if (track.overdue) entry.overdue++;
        byPartner.set(track.partner, entry);
      }
    }
    return c.json({ items: [...byPartner.values()].sort((a, b) => a.partner.localeCompare(b.partner)) });
  });

  app.get('/threads/:id', allow('messages:read'), async (c) => {
    const thread = await need().store.getThread(c.req.param('id'));
    if (thread === undefined) throw new YrdxError('not_found');
    return c.json(threadDocument(need().contracts, thread, need().now()));
  });

  app.get('/dead-letters', allow('ops:read'), async (c) => {
    const q = c.req.query();
    const items = await need().store.listDeadLetters({
      ...(q.partner === undefined ? {} : { partner: q.partner }),
      limit: limitOf(q.limit),
    });
    return c.json({ items: items.map((d) => ({ ...d, at: iso(d.at) })) });
  });

  app.post('/dead-letters/:kind/:id/requeue', allow('deliveries:requeue'), async (c) => {
    const { kind, id } = c.req.param();
    if (kind !== 'partner' && kind !== 'local') throw invalidRequest('/kind', requestFault('kind'));
    const deps = need();
    const done =
      kind === 'partner'
        ? await deps.store.requeueDelivery(id, deps.now())
        : await deps.store.requeueLocalPush(id, deps.now());
    if (!done) throw new YrdxError('delivery_not_dead', { params: { id: id.slice(0, 64) } });
    deps.notify?.(kind === 'partner' ? 'delivery' : 'local-push');
    noteAudit(c, `requeued ${kind} delivery ${id}`);
    return c.json({ requeued: id, kind });
  });

  return app;
}
