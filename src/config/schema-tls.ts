// The members of a node configuration for a TLS or TLCP terminating proxy in front of the node
// (issue 19; docs/tlcp.md), apart from schema.ts to keep each file short.

/**
 * Behind a proxy that verifies client certificates: where it passes the certificate, and from which
 * addresses the node believes it.
 */
export const clientCertificates = {
  type: 'object',
  additionalProperties: false,
  required: ['header', 'carries', 'trustedProxies'],
  description:
    'behind a TLS or TLCP terminating proxy that verifies client certificates: the header in which it passes the certificate, believed only from the trusted proxy addresses',
  properties: {
    header: {
      type: 'string',
      pattern: '^[A-Za-z][A-Za-z0-9-]{0,63}$',
      description: 'an HTTP header name such as "X-Client-Cert"',
    },
    carries: {
      enum: ['certificate', 'subject'],
      description:
        'what the header holds: "certificate" (URL-encoded PEM as nginx $ssl_client_escaped_cert, or base64 DER) or "subject" (the subject DN as nginx $ssl_client_s_dn)',
    },
    trustedProxies: {
      type: 'array',
      minItems: 1,
      maxItems: 64,
      uniqueItems: true,
      items: {
        type: 'string',
        maxLength: 64,
        pattern: '^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$',
        description: 'an IP address or CIDR range, such as "127.0.0.1" or "10.8.0.0/24"',
      },
    },
  },
} as const;

/**
 * The client certificates a partner or local system must come with, as a TLS/TLCP-terminating proxy
 * passes them (`clientCertificates`; docs/tlcp.md): defence in depth beside the JWS signature and the
 * API key.
 */
export const tlsClient = {
  type: 'object',
  additionalProperties: false,
  description:
    'the client certificates it must come with through the proxy (clientCertificates): fingerprints when the proxy passes the certificate, subjects when it passes the subject DN',
  properties: {
    fingerprints: {
      type: 'array',
      uniqueItems: true,
      maxItems: 16,
      items: {
        type: 'string',
        pattern: '^(sha256|sm3):[0-9a-f]{64}$',
        description: 'the SHA-256 or SM3 of the certificate (DER), as "sha256:<hex>" or "sm3:<hex>"',
      },
    },
    subjects: {
      type: 'array',
      uniqueItems: true,
      maxItems: 16,
      items: { type: 'string', minLength: 3, maxLength: 1024 },
    },
  },
} as const;
