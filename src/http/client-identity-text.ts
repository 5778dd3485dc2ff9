import { type LocalText, textOf } from '../errors/text.js';
import type { NoIdentity } from './client-identity.js';

/** Why a request's client certificate identity is refused (the `reason` of `client_certificate_refused`). */
export const CLIENT_IDENTITY_TEXT = {
  zh: {
    notConfigured: '本节点没有配置 clientCertificates，无法得知客户端证书',
    untrustedPeer: '请求不是来自受信任的代理地址，其证书请求头不予采信',
    absent: '代理没有传来客户端证书',
    several: '证书请求头含有多个值',
    tooLong: '证书请求头过长',
    malformed: '证书请求头无法解析',
    notPinned: '客户端证书不在为其登记的证书之列',
  },
  en: {
    notConfigured: 'this node has no clientCertificates section, so it cannot learn the client certificate',
    untrustedPeer:
      'the request did not come from a trusted proxy address, so its certificate header is not believed',
    absent: 'the proxy passed no client certificate',
    several: 'the certificate header holds several values',
    tooLong: 'the certificate header is too long',
    malformed: 'the certificate header cannot be read',
    notPinned: 'the client certificate is not one registered for it',
  },
} as const satisfies { zh: Record<NoIdentity, string>; en: Record<NoIdentity, string> };

export function clientIdentityText(reason: NoIdentity): LocalText {
  return textOf(CLIENT_IDENTITY_TEXT, reason);
}
