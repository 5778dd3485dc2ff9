import { YrdxError } from '../errors/errors.js';
import { type LocalText, textOf } from '../errors/text.js';

/** What went wrong with an outbound call, in words that name no address, port or answer body. */
export type EgressFailure =
  | 'address'
  | 'timeout'
  | 'aborted'
  | 'refused'
  | 'unresolved'
  | 'reset'
  | 'tls'
  | 'too-large'
  | 'redirect'
  | 'network';

const WORDS: Record<EgressFailure, string> = {
  address: 'the address is not a public one (see outbound.allowPrivateNetworks)',
  timeout: 'no complete answer in time',
  aborted: 'the call was cancelled',
  refused: 'the connection was refused',
  unresolved: 'the host name does not resolve',
  reset: 'the connection was closed before the answer was complete',
  tls: 'the TLS connection failed',
  'too-large': 'the answer is larger than allowed',
  redirect: 'the answer is a redirect, which is not followed',
  network: 'the connection failed',
};

/**
 * The failure of an outbound call (the bounded clients throw it). Its message is one of a few fixed
 * phrases: whatever the call's target said or where it resolved to stays out of problems, logs and
 * the delivery records, which administrators and partners may read.
 */
export class EgressError extends Error {
  readonly failure: EgressFailure;

  constructor(failure: EgressFailure, options: { readonly cause?: unknown } = {}) {
    super(WORDS[failure], options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'EgressError';
    this.failure = failure;
  }
}

/** Node's and undici's error codes, by what they mean for the caller. */
const BY_CODE: Record<string, EgressFailure> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'unresolved',
  EAI_AGAIN: 'unresolved',
  EAI_NODATA: 'unresolved',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  EHOSTUNREACH: 'network',
  ENETUNREACH: 'network',
};

/** Any error of an outbound call as an `EgressError` (kept when it already is one). */
export function toEgressError(error: unknown): EgressError {
  // Walks the causes: undici and fetch wrap the system error (and a DOMException need not be an Error).
  let e: unknown = error;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    if (e instanceof EgressError) return e;
    const { name, code, cause } = e as { name?: unknown; code?: unknown; cause?: unknown };
    if (name === 'TimeoutError') return new EgressError('timeout', { cause: error });
    if (name === 'AbortError') return new EgressError('aborted', { cause: error });
    if (typeof code === 'string') {
      const known = BY_CODE[code];
      if (known !== undefined) return new EgressError(known, { cause: error });
      if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code))
        return new EgressError('tls', { cause: error });
    }
    e = cause;
  }
  return new EgressError('network', { cause: error });
}

/** The fixed phrases of `EgressError`, in each language: what an administrator reads. */
export const EGRESS_FAILURE_TEXT = {
  zh: {
    address: '该地址不是公网地址（见 outbound.allowPrivateNetworks）',
    timeout: '未能及时收到完整的应答',
    aborted: '调用已取消',
    refused: '连接被拒绝',
    unresolved: '无法解析该主机名',
    reset: '应答完整之前连接已关闭',
    tls: 'TLS 连接失败',
    'too-large': '应答超过允许的大小',
    redirect: '应答是重定向，不会跟随',
    network: '连接失败',
  },
  en: WORDS,
} as const satisfies { zh: Record<EgressFailure, string>; en: Record<EgressFailure, string> };

/**
 * Words for the failure of an outbound call, fit for an administrator's screen, in both languages: a
 * yrdx problem's detail, or one of the fixed phrases of `EgressError` — never an error's own message,
 * which may quote an answer or name an internal address.
 */
export function describeEgressFailure(error: unknown): LocalText {
  // A problem's detail without its full stop: the sentence it goes into ends with its own.
  if (error instanceof YrdxError)
    return { zh: error.detail('zh').replace(/。$/, ''), en: error.detail('en').replace(/\.$/, '') };
  return textOf(EGRESS_FAILURE_TEXT, toEgressError(error).failure);
}
