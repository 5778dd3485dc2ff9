import { randomByte } from '../platform/random.js';

/**
 * ULIDs for message, receipt and thread ids: 48 bits of milliseconds then 80 random bits, in
 * Crockford base32, so ids sort by creation time and need no coordination between instances.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function ulid(nowMs: number): string {
  let time = '';
  let t = Math.floor(nowMs);
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  let rest = '';
  for (let i = 0; i < 16; i++) rest += CROCKFORD[randomByte() & 31]!;
  return time + rest;
}

/** The creation time encoded in a ULID, in milliseconds. */
export function ulidTime(id: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + CROCKFORD.indexOf(id[i]!);
  return t;
}
