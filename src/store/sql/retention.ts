/**
 * The SQL of payload retention (src/store/ports/retention.ts) that every adapter shares, with `@domain`,
 * `@cutoff` and `@now`. Every statement of one domain's purge is written against the messages not yet
 * marked (`PURGEABLE_*`), so the marks come last: files, held deliveries and transfer jobs first.
 */

/** Outbound messages of `@domain` created before `@cutoff` whose deliveries are all settled. */
export const PURGEABLE_OUTBOUND = `domain = @domain AND created_at < @cutoff AND purged_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = outbound_messages.message_id
    AND d.status IN ('queued', 'sending', 'retry'))`;

/**
 * Inbound messages of `@domain` received before `@cutoff` whose local deliveries are all settled
 * (held ones are not: a message whose files never came is purged with its held deliveries), and whose
 * files are not being fetched right now (a live lease: its bytes could land after the purge).
 */
export const PURGEABLE_INBOUND = `domain = @domain AND received_at < @cutoff AND purged_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM local_deliveries l WHERE l.iss = inbound_messages.iss
    AND l.jti = inbound_messages.jti AND l.status IN ('queued', 'sending', 'retry'))
  AND NOT EXISTS (SELECT 1 FROM file_fetches x WHERE x.iss = inbound_messages.iss
    AND x.jti = inbound_messages.jti AND x.status = 'sending' AND x.lease_until >= @now)`;

/** The inbound message of row `t` (which has `iss` and `jti`) is purged now. */
const inboundPurged = (t: string) => `EXISTS (SELECT 1 FROM inbound_messages WHERE ${PURGEABLE_INBOUND}
    AND inbound_messages.iss = ${t}.iss AND inbound_messages.jti = ${t}.jti)`;

/** The file row `f` belongs to a message purged now. */
const filePurged = (f: string) => `((${f}.side = 'out' AND ${f}.jti IN
    (SELECT message_id FROM outbound_messages WHERE ${PURGEABLE_OUTBOUND}))
  OR (${f}.side = 'in' AND ${inboundPurged(f)}))`;

/**
 * The digests (blob keys) that the purge frees: files of messages purged now that no other message
 * and no upload refers to. Read before `PURGE_FILES` (it still sees the rows it frees).
 */
export const FREED_BLOBS = `SELECT DISTINCT f.digest AS digest FROM message_files f WHERE ${filePurged('f')}
  AND NOT EXISTS (SELECT 1 FROM message_files g WHERE g.digest = f.digest AND NOT ${filePurged('g')})
  AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.digest = f.digest)
  ORDER BY digest`;

/** The files of the messages purged now: their claim on a blob ends with the payload. */
export const PURGE_FILES = `DELETE FROM message_files WHERE ${filePurged('message_files')}`;

/** Held deliveries of the inbound messages purged now: never to be released with a removed body. */
export const PURGE_HELD = `DELETE FROM held_deliveries WHERE ${inboundPurged('held_deliveries')}`;

/**
 * Transfer jobs of the inbound messages purged now that still had files to fetch end (`dead`,
 * `payload_purged`); a job with a files receipt to send keeps sending it (that needs no payload).
 */
export const END_FILE_FETCHES = `UPDATE file_fetches SET status = 'dead', next_attempt_at = NULL,
  last_error = 'payload_purged', lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = @now
  WHERE status <> 'done' AND receipt_token IS NULL AND ${inboundPurged('file_fetches')}`;

/** The local bodies of the inbound messages purged now. */
export const PURGE_LOCAL_BODIES = `UPDATE local_deliveries SET body = 'null' WHERE ${inboundPurged('local_deliveries')}`;

export const PURGE_INBOUND = `UPDATE inbound_messages SET token = '', canonical = 'null', purged_at = @now
  WHERE ${PURGEABLE_INBOUND}`;

export const PURGE_OUTBOUND = `UPDATE outbound_messages SET token = '', canonical = 'null', purged_at = @now
  WHERE ${PURGEABLE_OUTBOUND}`;

/**
 * One domain's purge, in order: what it frees, then files, held deliveries, transfer jobs and local
 * bodies, then the messages (each adapter counts the rows of the last two).
 */
export const PURGE_STEPS = [
  FREED_BLOBS,
  PURGE_FILES,
  PURGE_HELD,
  END_FILE_FETCHES,
  PURGE_LOCAL_BODIES,
  PURGE_INBOUND,
  PURGE_OUTBOUND,
] as const;
