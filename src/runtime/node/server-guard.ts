import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { toProblem, YrdxError } from '../../errors/errors.js';
import { requestFault } from '../../errors/request-text.js';

/** How long a client may take to send its request line and headers, and its whole request. */
export const SERVER_TIMEOUTS = {
  /** Slow headers (slowloris) are cut off after this long. */
  headersMs: 20_000,
  /** A whole request, body included (the largest is an 8 MiB contract upload). */
  requestMs: 120_000,
  /** An idle kept-alive connection is closed after this long. */
  keepAliveMs: 5_000,
} as const;

/** Node's own limit on the request line and headers together (its default, stated here for the docs). */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Makes the HTTP server's own refusals — a head over the header limit, a request that is not
 * HTTP/1.1, one that arrives too slowly — problem+json answers with a stable code, like every
 * refusal of the app, instead of Node's bare status lines; and bounds how long a client may hold a
 * connection with an incomplete request.
 */
export function guardServer(server: Server): void {
  server.headersTimeout = SERVER_TIMEOUTS.headersMs;
  server.requestTimeout = SERVER_TIMEOUTS.requestMs;
  server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveMs;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // A peer that is gone, or a socket already answered, gets nothing more.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(rawProblem(refusalOf(error)));
  });
}

function refusalOf(error: NodeJS.ErrnoException): YrdxError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new YrdxError('request_headers_too_large', { params: { limit: MAX_HEADER_BYTES } });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new YrdxError('request_timeout', { params: { seconds: SERVER_TIMEOUTS.requestMs / 1000 } });
    default:
      // The parser's code (HPE_INVALID_METHOD, HPE_INVALID_HEADER_TOKEN, …) names what was wrong.
      return new YrdxError('request_malformed', {
        params: {
          reason:
            error.code === undefined
              ? requestFault('parseFailed')
              : requestFault('parserCode', { code: error.code.slice(0, 40) }),
        },
      });
  }
}

/** A complete HTTP/1.1 answer that closes the connection, written straight to the socket. */
function rawProblem(error: YrdxError): string {
  const body = JSON.stringify(toProblem(error));
  return [
    `HTTP/1.1 ${error.status} ${REASONS[error.status] ?? 'Bad Request'}`,
    'content-type: application/problem+json; charset=utf-8',
    'content-language: zh-CN',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};
