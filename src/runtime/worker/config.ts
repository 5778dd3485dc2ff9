import { configFault } from '../../config/fault-text.js';
import type { NodeConfig } from '../../config/types.js';
import { validateNodeConfig } from '../../config/validate.js';
import { YrdxError } from '../../errors/errors.js';
import type { WorkerEnv } from './env.js';

const SOURCE = 'config/worker.json + YRDX_CONFIG';

/**
 * The Worker's configuration: the bundled config/worker.json, with the members of the `YRDX_CONFIG`
 * var (a JSON object) replacing the bundled ones, and the admin credentials of the
 * `YRDX_ADMIN_CREDENTIALS` secret. Validated as on Node; paths mean nothing here, so a partner
 * `jwksFile` is refused (inline `jwks` or a pinned `jwksUrl` instead), and so is `clientCertificates`.
 */
export function workerConfig(bundled: unknown, env: WorkerEnv): NodeConfig {
  const value: Record<string, unknown> = { ...(bundled as Record<string, unknown>) };
  if (env.YRDX_CONFIG !== undefined && env.YRDX_CONFIG.trim() !== '') {
    Object.assign(value, parseObject(env.YRDX_CONFIG, 'YRDX_CONFIG'));
  }
  if (env.YRDX_ADMIN_CREDENTIALS !== undefined && env.YRDX_ADMIN_CREDENTIALS.trim() !== '') {
    const credentials = parseJson(env.YRDX_ADMIN_CREDENTIALS, 'YRDX_ADMIN_CREDENTIALS');
    value.admin = { ...(value.admin as Record<string, unknown> | undefined), credentials };
  }
  const config = validateNodeConfig(value, { file: SOURCE });
  const faults = config.partners.flatMap((p, i) =>
    p.keys.jwksFile === undefined
      ? []
      : [
          {
            file: SOURCE,
            pointer: `/partners/${i}/keys/jwksFile`,
            detail: configFault('workerJwks'),
          },
        ],
  );
  // The header of a client-certificate proxy is believed only from a trusted TCP peer, which a
  // Worker does not see (docs/tlcp.md): refused rather than silently never matching.
  if (config.clientCertificates !== undefined) {
    faults.push({
      file: SOURCE,
      pointer: '/clientCertificates',
      detail: configFault('workerClientCertificates'),
    });
  }
  if (config.keys.source === 'file') {
    faults.push({
      file: SOURCE,
      pointer: '/keys/source',
      detail: configFault('workerSecret'),
    });
  }
  if (faults.length > 0) {
    throw new YrdxError('config_invalid', { params: { count: faults.length, file: SOURCE }, errors: faults });
  }
  return config;
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new YrdxError('config_invalid', {
      params: { count: 1, file: name },
      errors: [
        { file: name, pointer: '', detail: configFault('notJson', { message: (cause as Error).message }) },
      ],
      cause,
    });
  }
}

function parseObject(text: string, name: string): Record<string, unknown> {
  const value = parseJson(text, name);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new YrdxError('config_invalid', {
      params: { count: 1, file: name },
      errors: [{ file: name, pointer: '', detail: configFault('jsonObject') }],
    });
  }
  return value as Record<string, unknown>;
}
