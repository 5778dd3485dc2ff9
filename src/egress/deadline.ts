/**
 * One signal that aborts after `ms`, or as soon as the caller's own signal does: the bounded clients'
 * ceiling on a whole call (connection, headers and body), whatever timeout the caller chose.
 * `clear()` must be called when the call is over, so that the timer does not outlive it.
 */
export function deadline(ms: number, caller?: AbortSignal | null): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('the call took too long', 'TimeoutError')),
    ms,
  );
  const follow = () => controller.abort(caller?.reason);
  if (caller) {
    if (caller.aborted) follow();
    else caller.addEventListener('abort', follow, { once: true });
  }
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', follow);
    },
  };
}
