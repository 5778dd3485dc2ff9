import { Hono } from 'hono';
import { translate } from '../../contracts/translate.js';
import { YrdxError } from '../../errors/errors.js';
import { requestFault } from '../../errors/request-text.js';
import { isMessageType } from '../../vocabulary/messages.js';
import type { AdminEnv } from '../env.js';
import { allow, noteAudit } from '../guard.js';
import { invalidRequest, jsonBody } from '../json-body.js';
import { adminReason } from '../reason-text.js';
import type { ContractLifecycle } from '../services/contract-lifecycle.js';
import { uploadFiles } from '../services/contract-upload.js';

const UPLOAD_LIMIT = 8 * 1024 * 1024;

/** `/contracts`: list, upload, dry-run translation, activate and deprecate contract versions. */
export function contractRoutes(
  lifecycle: ContractLifecycle | undefined,
  maxTokenBytes: number,
): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const need = (): ContractLifecycle => {
    if (lifecycle === undefined)
      throw new YrdxError('admin_unsupported', { params: { reason: adminReason('noLifecycle') } });
    return lifecycle;
  };

  app.get('/', allow('ops:read'), (c) => c.json({ items: need().list() }));

  app.get('/:domain/:version', allow('ops:read'), (c) =>
    c.json(need().info(c.req.param('domain'), c.req.param('version'))),
  );

  app.post('/', allow('contracts:write'), async (c) => {
    const files = uploadFiles(await jsonBody(c, UPLOAD_LIMIT));
    const info = await need().upload(files);
    noteAudit(c, `uploaded ${info.domain}@${info.version} (staged)`);
    c.header('location', `/admin/v1/contracts/${info.domain}/${info.version}`);
    return c.json(info, 201);
  });

  app.post('/:domain/:version/translate', allow('ops:read'), async (c) => {
    const { domain, version } = c.req.param();
    const contract = need().find(domain, version);
    if (contract === undefined)
      throw new YrdxError('contract_not_found', { params: { contract: `${domain}@${version}` } });
    const body = await jsonBody(c, maxTokenBytes);
    const { from, to, type, document } = body;
    if (typeof from !== 'string') throw invalidRequest('/from', requestFault('fromTo'));
    if (typeof to !== 'string') throw invalidRequest('/to', requestFault('fromTo'));
    if (type !== undefined && !isMessageType(type))
      throw invalidRequest('/type', requestFault('messageType'));
    const value = translate(contract, from, to, type, document);
    noteAudit(c, `dry-run translation with ${contract.id}: ${from} → ${to}`);
    return c.json({ contract: contract.id, from, to, document: value });
  });

  app.post('/:domain/:version/activate', allow('contracts:write'), async (c) => {
    const info = await need().activate(c.req.param('domain'), c.req.param('version'));
    noteAudit(c, `activated ${info.domain}@${info.version}`);
    return c.json(info);
  });

  app.post('/:domain/:version/deprecate', allow('contracts:write'), async (c) => {
    const info = await need().deprecate(c.req.param('domain'), c.req.param('version'));
    noteAudit(c, `deprecated ${info.domain}@${info.version}`);
    return c.json(info);
  });

  return app;
}
