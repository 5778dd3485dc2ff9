import { decodeBase64Url } from '../../envelope/base64url.js';
import type { MessageClaims } from '../../envelope/claims.js';
import type { Sha256 } from '../../envelope/digest.js';
import type { EnvelopePolicy } from '../../envelope/policy.js';
import { type Signer, sealMessage } from '../../envelope/seal.js';
import { ulid } from '../../envelope/ulid.js';
import type { FileStore, OutboundView, OutboxStore } from '../../store/port.js';
import { caseNumberOf } from '../case-number.js';

/**
 * A dead message that has expired cannot be sent again as it is (recipients refuse an expired
 * token). It is sealed again under a new id that names the one it supersedes, with the same type,
 * domain, contract, thread and body, for the recipients whose delivery is dead.
 */
export async function resealExpired(
  view: OutboundView,
  deps: {
    readonly self: string;
    readonly store: OutboxStore & Pick<FileStore, 'outboundFiles'>;
    readonly signer: Signer;
    readonly policy: EnvelopePolicy;
    readonly now: () => number;
    readonly sha256?: Sha256;
  },
): Promise<string | undefined> {
  const recipients = view.deliveries.filter((d) => d.status === 'dead').map((d) => d.recipient);
  if (recipients.length === 0) return undefined;
  const payload = decodeBase64Url(view.token.split('.')[1] ?? '');
  if (typeof payload === 'string') throw new Error('the stored message cannot be read');
  const claims = JSON.parse(new TextDecoder().decode(payload)) as MessageClaims;
  const now = deps.now();
  const jti = ulid(now);
  const files = await deps.store.outboundFiles(view.messageId);
  const sealed = await sealMessage(
    {
      to: recipients.length === 1 ? recipients[0]! : recipients,
      type: claims.type,
      domain: claims.domain,
      contract: claims.contract,
      body: claims.body,
      thread: claims.thread,
      ...(claims.inReplyTo === undefined ? {} : { inReplyTo: claims.inReplyTo }),
      ...(claims.attachments === undefined ? {} : { attachments: claims.attachments }),
      supersedes: claims.jti,
      ...(claims.origin === undefined ? {} : { origin: claims.origin }),
      jti,
    },
    {
      self: deps.self,
      signer: deps.signer,
      policy: deps.policy,
      now: deps.now,
      ...(deps.sha256 ? { sha256: deps.sha256 } : {}),
    },
  );
  await deps.store.submitOutbound(
    {
      messageId: jti,
      localSystem: view.localSystem,
      type: claims.type,
      domain: claims.domain,
      contract: claims.contract,
      thread: claims.thread,
      ...(claims.inReplyTo === undefined ? {} : { inReplyTo: claims.inReplyTo }),
      token: sealed.token,
      sha256: sealed.sha256,
      expiresAt: sealed.claims.exp * 1000,
      recipients,
      canonical: claims.body,
      // The same files, kept under the new id (the recipients fetch them by it).
      ...(files.length === 0
        ? {}
        : {
            attachments: files.map((f) => ({
              index: f.index,
              name: f.name,
              mediaType: f.mediaType,
              size: f.size,
              digest: f.digest,
            })),
          }),
      caseNumber: caseNumberOf(claims.body),
    },
    now,
  );
  return jti;
}
