import type { Context } from 'hono';
import type { TlsClientConfig } from '../config/types.js';
import { YrdxError } from '../errors/errors.js';
import { type ClientIdentity, clientIdentityReader, identityRefusal } from '../http/client-identity.js';
import { clientIdentityText } from '../http/client-identity-text.js';
import type { ExchangeDeps } from './deps.js';

/**
 * The client certificate a request came with, as the TLS/TLCP proxy in front of the node passes it
 * (`clientCertificates`): read from the configured header only when the request's TCP peer
 * (`deps.peerAddress`, supplied by the runtime) is a trusted proxy address. Nothing else in the node
 * reads that header, so from any other peer it is as good as stripped.
 */
export function clientIdentityOf(
  deps: Pick<ExchangeDeps, 'config' | 'peerAddress'>,
): (c: Context) => Promise<ClientIdentity> {
  const source = deps.config.clientCertificates;
  const read = clientIdentityReader(source);
  return function clientIdentity(c) {
    return read(source === undefined ? undefined : c.req.header(source.header), deps.peerAddress?.(c));
  };
}

/**
 * Refuses (`client_certificate_refused`) a partner or local system that has `tlsClient` pins and did
 * not come with one of those certificates — defence in depth beside its JWS signature or API key.
 * Callers without pins pass whatever the header says.
 */
export function requireClientCertificate(
  who: string,
  pins: TlsClientConfig | undefined,
  identity: ClientIdentity,
): void {
  if (pins === undefined) return;
  const refusal = identityRefusal(identity, pins);
  if (refusal !== undefined)
    throw new YrdxError('client_certificate_refused', {
      params: { who, reason: clientIdentityText(refusal) },
    });
}
