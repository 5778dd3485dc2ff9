import type {
  DeliveryClaim,
  LocalClaim,
  ReceiveInbound,
  Store,
  SubmitOutbound,
  ThreadChange,
} from '../port.js';
import { sameBytesAsync } from '../same-bytes.js';
import { guardText } from '../text-guard.js';
import { openJson, placeOf, sealJson } from './places.js';
import { type AtRestKeys, openText, sealText } from './sealed-text.js';

/**
 * Encryption at rest for any store (SQLite, PostgreSQL, D1): the values that hold case facts are
 * sealed before they reach the store and opened when read back, outside the store's transaction
 * units (the AEADs are asynchronous; SQLite's units are not). Sealed: the message tokens (their JWS
 * payload is the body), the canonical bodies, the local systems' bodies and a thread's facts. Left
 * in the clear, as the port's queries need them: ids, digests, types, times, case numbers, receipts
 * and the audit log (docs/at-rest.md says what is and is not protected).
 *
 * `keys()` is read at every call, so a node that swaps its keyring seals under the new active key
 * from its next write. Without data keys, values are written in the clear and a sealed value read
 * is `data_key_unknown`. `refresh`, when given, is called once when a stored value names a key the
 * node does not hold (a rotation by another process), before the read is tried again.
 */
export function atRestStore(
  store: Store,
  keys: () => AtRestKeys | undefined,
  options: { readonly refresh?: () => Promise<void> } = {},
): Store {
  const sealing = async <T>(seal: (k: AtRestKeys) => Promise<T>, clear: T): Promise<T> => {
    const k = keys();
    return k === undefined ? clear : seal(k);
  };
  // A read that meets an unknown key id asks the key source once more, then tries again.
  const opening = async <T>(open: (k: AtRestKeys | undefined) => Promise<T>): Promise<T> => {
    try {
      return await open(keys());
    } catch (error) {
      if (options.refresh === undefined || (error as { code?: unknown }).code !== 'data_key_unknown')
        throw error;
      await options.refresh();
      return open(keys());
    }
  };

  const sealThread = async (k: AtRestKeys, change: ThreadChange | undefined) =>
    change?.facts === undefined
      ? change
      : { ...change, facts: await sealText(k, change.facts, placeOf('threads.facts', [change.threadId])) };

  const sealOutbound = (input: SubmitOutbound) =>
    sealing(async (k): Promise<SubmitOutbound> => {
      const row = [input.messageId];
      const threadChange = await sealThread(k, input.threadChange);
      return {
        ...input,
        token: await sealText(k, input.token, placeOf('outbound_messages.token', row)),
        canonical: await sealJson(k, input.canonical, placeOf('outbound_messages.canonical', row)),
        ...(threadChange === undefined ? {} : { threadChange }),
      };
    }, input);

  const sealInbound = (input: ReceiveInbound) =>
    sealing(async (k): Promise<ReceiveInbound> => {
      const row = [input.iss, input.jti];
      const threadChange = await sealThread(k, input.threadChange);
      const localDeliveries = [];
      for (const local of input.localDeliveries) {
        const place = placeOf('local_deliveries.body', [input.iss, input.jti, local.localSystem]);
        localDeliveries.push({ ...local, body: await sealJson(k, local.body, place) });
      }
      return {
        ...input,
        token: await sealText(k, input.token, placeOf('inbound_messages.token', row)),
        canonical: await sealJson(k, input.canonical, placeOf('inbound_messages.canonical', row)),
        localDeliveries,
        ...(threadChange === undefined ? {} : { threadChange }),
      };
    }, input);

  const openOutboundToken = <T extends { token: string; messageId: string }>(
    k: AtRestKeys | undefined,
    v: T,
  ) =>
    openText(k, v.token, placeOf('outbound_messages.token', [v.messageId])).then((token) => ({
      ...v,
      token,
    }));

  const openLocalBody = <T extends Pick<LocalClaim, 'iss' | 'jti' | 'localSystem' | 'body'>>(
    k: AtRestKeys | undefined,
    v: T,
  ) =>
    openJson(k, v.body, placeOf('local_deliveries.body', [v.iss, v.jti, v.localSystem])).then((body) => ({
      ...v,
      body,
    }));

  // Text is checked before it is sealed (the store's own guard then sees only ciphertext).
  return guardText({
    ...store,
    submitOutbound: async (input, now) => store.submitOutbound(await sealOutbound(input), now),
    receiveInbound: async (input, now) => {
      const outcome = await store.receiveInbound(await sealInbound(input), now);
      if (outcome.status !== 'conflict') return outcome;
      // The store compared digests over the sealed token it was given; a stored digest of the other
      // algorithm (the node changed profile) is checked here against the plaintext bytes.
      const stored = await store.getInbound(input.iss, input.jti);
      if (stored === undefined || stored.sha256 === input.sha256) return outcome;
      return (await sameBytesAsync(stored.sha256, input.sha256, input.token))
        ? { status: 'duplicate', receiptToken: stored.receiptToken }
        : outcome;
    },
    getOutbound: async (messageId) => {
      const view = await store.getOutbound(messageId);
      return view === undefined ? undefined : opening((k) => openOutboundToken(k, view));
    },
    claimDeliveries: async (request, now) => {
      const claims = await store.claimDeliveries(request, now);
      return opening((k) => Promise.all(claims.map((c): Promise<DeliveryClaim> => openOutboundToken(k, c))));
    },
    getInbound: async (iss, jti) => {
      const view = await store.getInbound(iss, jti);
      if (view === undefined) return undefined;
      const place = placeOf('inbound_messages.token', [view.iss, view.jti]);
      return opening(async (k) => ({ ...view, token: await openText(k, view.token, place) }));
    },
    claimLocalPushes: async (request, now) => {
      const claims = await store.claimLocalPushes(request, now);
      return opening((k) => Promise.all(claims.map((c) => openLocalBody(k, c))));
    },
    listPull: async (localSystem, cursor, limit) => {
      const page = await store.listPull(localSystem, cursor, limit);
      return opening(async (k) => ({
        ...page,
        items: await Promise.all(page.items.map((i) => openLocalBody(k, i))),
      }));
    },
    localCanonical: async (localSystem, jti) => {
      const found = await store.localCanonical(localSystem, jti);
      if (found === undefined) return undefined;
      const place = placeOf('inbound_messages.canonical', [found.iss, found.jti]);
      const canonical = await opening((k) => openJson(k, found.canonical, place));
      return typeof canonical === 'object' && canonical !== null
        ? { ...found, canonical: canonical as Record<string, unknown> }
        : undefined;
    },
    getThread: async (threadId) => {
      const thread = await store.getThread(threadId);
      if (thread?.facts === undefined) return thread;
      const place = placeOf('threads.facts', [thread.threadId]);
      return opening(async (k) => ({ ...thread, facts: await openText(k, thread.facts!, place) }));
    },
  });
}
