import { type Side, sm2Subjects } from './subjects.js';

/**
 * The SM2 benchmark's Worker: `GET /?side=yrdx&n=20` runs n sign+verify pairs of that side and
 * answers when done. The benchmark times each request from outside, since workerd does not advance
 * its clocks while a request computes.
 */
let subjects: Record<Side, () => void> | undefined;

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    // Keys are generated inside a request: workerd refuses random values at module scope.
    subjects ??= sm2Subjects(new TextEncoder().encode(url.searchParams.get('message') ?? ''));
    const run = subjects[url.searchParams.get('side') as Side];
    if (run === undefined) return new Response('unknown side', { status: 400 });
    const n = Number(url.searchParams.get('n') ?? '1');
    for (let i = 0; i < n; i++) run();
    return new Response('ok');
  },
};
