import type { AdminRole } from '../audit/sink.js';
import { encodeBase64Url } from '../envelope/base64url.js';

/** A signed-in console user. The credential's token is never kept: only its id and role. */
export interface ConsoleSession {
  readonly id: string;
  readonly credential: string;
  readonly role: AdminRole;
  /** The anti-forgery token every form of this session carries. */
  readonly csrf: string;
  readonly startedAt: number;
  expiresAt: number;
}

const IDLE_MS = 30 * 60_000;
const MAX_MS = 8 * 3_600_000;

/** 256 random bits, base64url. */
export function randomToken(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * Console sessions, in memory: an opaque random id (the cookie) → who signed in. A session ends
 * after 30 minutes without a request, 8 hours after sign-in, at sign-out, or when the node restarts.
 */
export class SessionStore {
  readonly #sessions = new Map<string, ConsoleSession>();

  start(credential: string, role: AdminRole, now: number): ConsoleSession {
    this.#sweep(now);
    const session: ConsoleSession = {
      id: randomToken(),
      credential,
      role,
      csrf: randomToken(),
      startedAt: now,
      expiresAt: now + IDLE_MS,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, its idle time renewed; undefined when unknown or expired. */
  find(id: string | undefined, now: number): ConsoleSession | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (now >= session.expiresAt || now >= session.startedAt + MAX_MS) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.expiresAt = now + IDLE_MS;
    return session;
  }

  end(id: string): void {
    this.#sessions.delete(id);
  }

  #sweep(now: number): void {
    for (const [id, s] of this.#sessions) if (now >= s.expiresAt) this.#sessions.delete(id);
  }
}
