import { type Context, Hono } from 'hono';
import { storedReceiptLosses } from '../../envelope/receipt.js';
import { YrdxError } from '../../errors/errors.js';
import { requestFault } from '../../errors/request-text.js';
import { mediaType, readBody } from '../../http/body.js';
import { parseJsonText, readJson } from '../../http/json-body.js';
import type { OutboundView } from '../../store/port.js';
import { continueTrace } from '../../trace/traceparent.js';
import { clientIdentityOf } from '../client-certificate.js';
import type { ExchangeDeps } from '../deps.js';
import { receiveMessage } from '../inbound/receive.js';
import { deliveryHeaders } from '../local/push-worker.js';
import { overallStatus } from '../outbound/status.js';
import { parseSubmitRequest, type SubmitRequest, submitMessage } from '../outbound/submit.js';
import type { ExchangeEnv } from './env.js';
import { localFileRoutes, localFileView, outboundFilesDocument } from './files-local.js';
import { partnerFileRoutes } from './files-partner.js';
import { localSystem, localSystemAuth } from './local-system.js';
import { exchangeRateLimits } from './rate-limits.js';
import { uploadRoutes } from './uploads.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** `/v1/messages` for local systems, `/v1/inbox` for partners, `/v1/inbox/messages` for pulling. */
export function exchangeRoutes(given: ExchangeDeps): Hono<ExchangeEnv> {
  // Rate limits per threat level; `deps` carries the partner limit the inbound path applies.
  const limits = exchangeRateLimits(given);
  const deps = limits.deps;
  const app = new Hono<ExchangeEnv>();
  const limit = deps.config.envelope.maxTokenBytes;
  const clientIdentity = clientIdentityOf(deps);
  app.use('/inbox', limits.inbox);
  // The local systems' routes: their API key judged once, then their rate limit. `/x/*` also matches `/x`.
  const local = localSystemAuth(deps);
  app.use('/messages/*', local, limits.localSystems);
  app.use('/inbox/messages/*', local, limits.localSystems);
  app.use('/uploads/*', local, limits.localSystems);
  // Case files: served to partners (grant-authorised), downloaded by local systems, uploaded (tus).
  app.route('/', partnerFileRoutes(deps, limits.inbox));
  app.route('/', localFileRoutes(deps));
  app.route('/', uploadRoutes(deps));

  app.post('/messages', async (c) => {
    // Counted by outcome: queued, replayed, or the problem code of a refusal.
    const seen: { system?: string; request?: SubmitRequest } = {};
    const count = (outcome: string) =>
      deps.metrics?.submissions.inc({
        local_system: seen.system ?? 'unknown',
        domain: seen.request?.domain ?? 'unknown',
        type: seen.request?.type ?? 'unknown',
        outcome,
      });
    try {
      const response = await submit(c, seen);
      count(response.replayed ? 'replayed' : 'queued');
      return response.response;
    } catch (error) {
      const code = error instanceof YrdxError ? error.code : 'internal_error';
      count(code);
      if (error instanceof YrdxError)
        c.var.log?.('info', 'submission refused', {
          code,
          localSystem: seen.system,
          domain: seen.request?.domain,
          type: seen.request?.type,
          // At most MAX_PROBLEM_ERRORS items, and the logger keeps only the first few of those.
          errors: error.errors,
          ...(error.errorsOmitted > 0 ? { errorsOmitted: error.errorsOmitted } : {}),
        });
      throw error;
    }
  });

  async function submit(c: Context<ExchangeEnv>, seen: { system?: string; request?: SubmitRequest }) {
    const system = localSystem(c);
    seen.system = system.id;
    if (mediaType(c.req.raw) !== 'application/json') {
      throw new YrdxError('unsupported_media_type', { params: { expected: 'application/json' } });
    }
    const key = c.req.header('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new YrdxError('request_invalid', {
        params: { count: 1 },
        errors: [{ pointer: '', detail: requestFault('idempotencyKey') }],
      });
    }
    const raw = await readBody(c.req.raw, limit);
    const request = parseSubmitRequest(parseJsonText(raw, deps.config.envelope.maxJsonDepth));
    seen.request = request;
    // A local system's trace continues across the exchange; without one, the message starts a trace.
    const trace = continueTrace(c.req.header('traceparent'));
    const result = await submitMessage(
      deps,
      system,
      request,
      key === undefined ? undefined : { key, rawBody: raw },
      trace,
    );
    c.var.log?.('info', result.replayed ? 'submission replayed' : 'message submitted', {
      messageId: result.messageId,
      thread: result.thread,
      traceId: trace.traceId,
      localSystem: system.id,
      domain: request.domain,
      type: request.type,
      recipients: result.recipients,
    });
    const location = `/v1/messages/${result.messageId}`;
    c.header('location', location);
    const response = c.json(
      {
        id: result.messageId,
        status: result.status,
        replayed: result.replayed,
        recipients: result.recipients,
        thread: result.thread,
        links: { status: location },
      },
      202,
    );
    return { response, replayed: result.replayed };
  }

  app.get('/messages/:id', async (c) => {
    const system = localSystem(c);
    const view = await deps.store.getOutbound(c.req.param('id'));
    if (view === undefined || view.localSystem !== system.id) {
      throw new YrdxError('message_not_found', { params: { id: c.req.param('id').slice(0, 40) } });
    }
    const [files, receipts] = await Promise.all([
      deps.store.outboundFiles(view.messageId),
      deps.store.filesReceipts(view.messageId),
    ]);
    return c.json({ ...statusDocument(view), ...outboundFilesDocument(view, files, receipts) });
  });

  app.post('/inbox', async (c) => {
    if (mediaType(c.req.raw) !== 'application/jose') {
      throw new YrdxError('unsupported_media_type', { params: { expected: 'application/jose' } });
    }
    const token = (await readBody(c.req.raw, limit)).trim();
    const trace = continueTrace(c.req.header('traceparent'));
    const client = await clientIdentity(c);
    const result = await receiveMessage(deps, token, trace, client).catch((error: unknown) => {
      if (error instanceof YrdxError)
        c.var.log?.('warn', 'message refused', {
          code: error.code,
          traceId: trace.traceId,
          errors: error.errors,
          ...(error.errorsOmitted > 0 ? { errorsOmitted: error.errorsOmitted } : {}),
        });
      throw error;
    });
    c.var.log?.('info', result.duplicate ? 'message received again' : 'message received', {
      messageId: result.messageId,
      partner: result.partner,
      thread: result.thread,
      traceId: trace.traceId,
    });
    return c.body(result.receipt, 200, { 'content-type': 'application/jose' });
  });

  app.get('/inbox/messages', async (c) => {
    const system = localSystem(c);
    const after = c.req.query('after');
    const size = Math.min(Math.max(Number(c.req.query('limit') ?? 50) || 50, 1), 500);
    const page = await deps.store.listPull(system.id, after === '' ? undefined : after, size);
    const filesOf = new Map(
      await Promise.all(
        page.items.map(
          async (i) => [`${i.iss}/${i.jti}`, await deps.store.inboundFiles(i.iss, i.jti)] as const,
        ),
      ),
    );
    return c.json({
      items: page.items.map((i) => ({
        cursor: i.cursor,
        headers: deliveryHeaders(i, filesOf.get(`${i.iss}/${i.jti}`)?.length ?? 0),
        messageId: i.jti,
        sender: i.iss,
        type: i.type,
        domain: i.domain,
        thread: i.thread,
        body: i.body,
        // What this system's dialect could not carry (canonical pointers); the whole document is at links.canonical.
        losses: i.losses?.pointers ?? [],
        ...(i.losses !== undefined && i.losses.omitted > 0 ? { lossesOmitted: i.losses.omitted } : {}),
        attachments: (filesOf.get(`${i.iss}/${i.jti}`) ?? []).map((f) => localFileView(i.jti, f)),
        links: { canonical: `/v1/inbox/messages/${encodeURIComponent(i.jti)}/canonical` },
      })),
      cursor: page.cursor ?? null,
    });
  });

  // The canonical document of a message delivered to this local system, whatever its mode: all
  // that its dialect could not carry is there.
  app.get('/inbox/messages/:id/canonical', async (c) => {
    const system = localSystem(c);
    const id = c.req.param('id');
    const found = await deps.store.localCanonical(system.id, id);
    if (found === undefined) throw new YrdxError('message_not_found', { params: { id: id.slice(0, 40) } });
    return c.json({
      messageId: found.jti,
      sender: found.iss,
      type: found.type,
      domain: found.domain,
      contract: found.contract,
      body: found.canonical,
      losses: found.losses?.pointers ?? [],
      ...(found.losses !== undefined && found.losses.omitted > 0
        ? { lossesOmitted: found.losses.omitted }
        : {}),
    });
  });

  app.post('/inbox/messages/ack', async (c) => {
    const system = localSystem(c);
    const body = await readJson(c.req.raw, { bytes: 4096, depth: 4 });
    const cursor =
      typeof body === 'object' && body !== null ? (body as { cursor?: unknown }).cursor : undefined;
    if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 64) {
      throw new YrdxError('request_invalid', {
        params: { count: 1 },
        errors: [{ pointer: '/cursor', detail: requestFault('cursor') }],
      });
    }
    return c.json({ acknowledged: await deps.store.ackPull(system.id, cursor, deps.now()) });
  });

  return app;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function statusDocument(view: OutboundView) {
  return {
    id: view.messageId,
    type: view.type,
    domain: view.domain,
    contract: view.contract,
    thread: view.thread,
    inReplyTo: view.inReplyTo,
    status: overallStatus(view.deliveries),
    createdAt: iso(view.createdAt),
    expiresAt: iso(view.expiresAt),
    sha256: view.sha256,
    deliveries: view.deliveries.map((d) => ({
      recipient: d.recipient,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: iso(d.nextAttemptAt),
      lastError: d.lastError,
      receipt: d.receipt && {
        sha256: d.receipt.sha256,
        receivedAt: iso(d.receipt.receivedAt),
        token: d.receipt.token,
        // What the recipient's local systems could not carry, as its signed receipt says.
        ...storedReceiptLosses(d.receipt.token),
      },
      rejection: d.rejection,
    })),
    history: view.events.map((e) => ({
      at: iso(e.at),
      event: e.event,
      recipient: e.recipient,
      detail: e.detail,
    })),
  };
}
