/**
 * How long the suite waits before it calls something late. Every ceiling in the tests — vitest's
 * test and hook timeouts, `eventually`/`waitFor`, a child node's start — is multiplied by this
 * factor, so that a machine under heavy load (CI runners shared with other jobs, two cores running
 * PostgreSQL, Chromium and several nodes at once) makes the suite slower, never red. A ceiling is
 * only reached when something is truly stuck, so a generous one costs nothing when tests pass.
 * `YRDX_TEST_PATIENCE` sets it (default 4).
 */
export const PATIENCE = patienceFrom(process.env.YRDX_TEST_PATIENCE);

function patienceFrom(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 4;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 1 || value > 100)
    throw new Error(`YRDX_TEST_PATIENCE must be a number from 1 to 100, not ${JSON.stringify(raw)}`);
  return value;
}

/** A ceiling of `ms` milliseconds on a quiet machine, stretched by the patience factor. */
export const patient = (ms: number): number => Math.round(ms * PATIENCE);
