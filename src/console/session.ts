import { encodeBase64Url } from '../envelope/base64url.js';
import { type Sha256, sha256Hex } from '../envelope/digest.js';
import type { SessionStore } from '../store/port.js';
import type { AdminRole } from '../vocabulary/roles.js';

/** A signed-in console user. The credential's token is never kept: only its id and role. */
export interface ConsoleSession {
  /** The opaque random id the browser holds in its cookie. */
  readonly id: string;
  readonly credential: string;
  readonly role: AdminRole;
  /** The anti-forgery token every form of this session carries. */
  readonly csrf: string;
  readonly startedAt: number;
  readonly expiresAt: number;
}

/** A session ends after this long without a request… */
export const IDLE_MS = 30 * 60_000;
/** …and this long after sign-in, however active. */
export const MAX_MS = 8 * 3_600_000;

/** 256 random bits, base64url. */
export function randomToken(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * Console sessions: an opaque random id (the cookie) → who signed in. A session ends after 30
 * minutes without a request, 8 hours after sign-in, or at sign-out.
 */
export interface ConsoleSessions {
  start(credential: string, role: AdminRole, now: number): Promise<ConsoleSession>;
  /** The live session with this id, its idle time renewed; undefined when unknown or ended. */
  find(id: string | undefined, now: number): Promise<ConsoleSession | undefined>;
  end(id: string): Promise<void>;
}

function newSession(credential: string, role: AdminRole, now: number): ConsoleSession {
  return {
    id: randomToken(),
    credential,
    role,
    csrf: randomToken(),
    startedAt: now,
    expiresAt: now + IDLE_MS,
  };
}

/**
 * Sessions kept in the node's store, so that every instance of the node (several processes on one
 * PostgreSQL database, the isolates of a Worker) knows them and a restart keeps them. The store
 * holds only a digest of each id (SHA-256, or SM3 under the national profile): whoever reads the
 * database cannot present it as a cookie.
 */
export function storeSessions(store: SessionStore, sha256: Sha256 = sha256Hex): ConsoleSessions {
  return {
    async start(credential, role, now) {
      const session = newSession(credential, role, now);
      await store.startConsoleSession(
        {
          idHash: await sha256(session.id),
          credential,
          role,
          csrf: session.csrf,
          startedAt: now,
          endsAt: now + MAX_MS,
          expiresAt: session.expiresAt,
        },
        now,
      );
      return session;
    },
    async find(id, now) {
      if (id === undefined || id.length > 64) return undefined;
      const found = await store.touchConsoleSession(await sha256(id), now, now + IDLE_MS);
      if (found === undefined) return undefined;
      const { credential, role, csrf, startedAt, expiresAt } = found;
      return { id, credential, role, csrf, startedAt, expiresAt };
    },
    async end(id) {
      await store.endConsoleSession(await sha256(id));
    },
  };
}

/** Sessions in this process's memory, for an app without a store: they end when the process does. */
export function memorySessions(): ConsoleSessions {
  const sessions = new Map<string, ConsoleSession>();
  return {
    async start(credential, role, now) {
      for (const [id, s] of sessions) if (now >= s.expiresAt) sessions.delete(id);
      const session = newSession(credential, role, now);
      sessions.set(session.id, session);
      return session;
    },
    async find(id, now) {
      const session = id === undefined ? undefined : sessions.get(id);
      if (session === undefined) return undefined;
      if (now >= session.expiresAt || now >= session.startedAt + MAX_MS) {
        sessions.delete(session.id);
        return undefined;
      }
      const renewed = { ...session, expiresAt: Math.min(now + IDLE_MS, session.startedAt + MAX_MS) };
      sessions.set(session.id, renewed);
      return renewed;
    },
    async end(id) {
      sessions.delete(id);
    },
  };
}
