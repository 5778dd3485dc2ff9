/**
 * The case number of a canonical body (`/case/caseNumber`), passed to the store with the message
 * and kept in a column of its own so that administrators can search by it, also after retention
 * removed the body. The store never reads bodies; the exchange, which knows the canonical model,
 * does.
 */
export function caseNumberOf(canonical: unknown): string | undefined {
  const kase =
    typeof canonical === 'object' && canonical !== null ? (canonical as { case?: unknown }).case : undefined;
  const number =
    typeof kase === 'object' && kase !== null ? (kase as { caseNumber?: unknown }).caseNumber : undefined;
  return typeof number === 'string' ? number : undefined;
}
