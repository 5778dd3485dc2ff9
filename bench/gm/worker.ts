import { type EnvelopeSide, envelopeSubjects } from './envelope-subjects.js';
import { type Side, sm2Subjects } from './subjects.js';

/**
 * The SM2 benchmarks' Worker. `GET /?side=yrdx&n=20&message=…` runs n sign+verify pairs of that
 * side; `GET /?suite=envelope&side=yrdx%20SM2&n=10` runs n envelope seals and openings of that side
 * (bench/gm/envelope-subjects.ts). It answers `ok` when done. The benchmark times each request from
 * outside, since workerd does not advance its clocks while a request computes.
 */
let subjects: Record<Side, () => void> | undefined;
let envelope: Promise<Record<EnvelopeSide, () => Promise<void>>> | undefined;

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get('n') ?? '1');
    const side = url.searchParams.get('side') ?? '';
    try {
      if (url.searchParams.get('suite') === 'envelope') {
        // Keys are generated inside a request: workerd refuses random values at module scope.
        envelope ??= envelopeSubjects();
        const run = (await envelope)[side as EnvelopeSide];
        if (run === undefined) return new Response('unknown side', { status: 400 });
        for (let i = 0; i < n; i++) await run();
        return new Response('ok');
      }
      subjects ??= sm2Subjects(new TextEncoder().encode(url.searchParams.get('message') ?? ''));
      const run = subjects[side as Side];
      if (run === undefined) return new Response('unknown side', { status: 400 });
      for (let i = 0; i < n; i++) run();
      return new Response('ok');
    } catch (error) {
      return new Response(String((error as Error).stack ?? error), { status: 500 });
    }
  },
};
