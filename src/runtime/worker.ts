import bundledConfig from '../../config/worker.json' with { type: 'json' };
import { toProblem } from '../errors/errors.js';
import { bootWorker, type Work, type WorkerState } from './worker/boot.js';
import type { ExecutionContext, MessageBatch, ScheduledController, WorkerEnv } from './worker/env.js';
import { workerLogger } from './worker/logger.js';
import { runCron, runNotified } from './worker/scheduled.js';

/**
 * yrdx on Cloudflare Workers: the same app as on Node (`buildApp`), a D1 store, case files in the
 * R2 bucket FILES, keys and admin credentials from secrets; delivery (and the transfer of a received
 * message's case files) runs right after the request that stored it (in the request's waitUntil, or
 * through the optional YRDX_WORK queue) and on a cron that retries what is left (see wrangler.toml
 * and docs/workers.md).
 * The node boots once per isolate, on its first request or cron run.
 */
let booting: Promise<WorkerState> | undefined;

/** How long a queue consumer's run may take (case-file transfers stop cleanly at it; see runFiles). */
const QUEUE_BUDGET_MS = 120_000;

function state(env: WorkerEnv): Promise<WorkerState> {
  booting ??= bootWorker(env, bundledConfig).catch((error: unknown) => {
    // Not cached: the next request tries again (a secret may have been set meanwhile).
    booting = undefined;
    throw error;
  });
  return booting;
}

function bootFailure(env: WorkerEnv, error: unknown): Response {
  workerLogger({ ...(typeof env.LOG_LEVEL === 'string' ? { level: env.LOG_LEVEL } : {}) })(
    'error',
    'yrdx node could not start',
    { err: error },
  );
  // The problem names what is wrong (keys, configuration) without revealing more.
  const problem = toProblem(error, 'en');
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let node: WorkerState;
    try {
      node = await state(env);
    } catch (error) {
      return bootFailure(env, error);
    }
    const response = await node.app.fetch(request, env, ctx);
    // A submission to deliver or a received message to push: sent now, after the answer, rather
    // than at the next cron (which still retries whatever this round leaves).
    const work = node.takeNotified();
    if (work.length > 0) {
      const queue = env.YRDX_WORK;
      // With a queue bound, its consumer runs it in an invocation of its own; without, this request.
      ctx.waitUntil(
        queue === undefined
          ? runNotified(node, work)
          : queue.send({ work }).catch((error: unknown) => {
              node.log('warn', 'could not queue work; running it now', { err: error });
              return runNotified(node, work);
            }),
      );
    }
    return response;
  },

  /** The consumer of the YRDX_WORK queue: one round of each kind of work the batch names. */
  async queue(
    batch: MessageBatch<{ work?: unknown }>,
    env: WorkerEnv,
    _ctx: ExecutionContext,
  ): Promise<void> {
    const node = await state(env);
    const kinds = new Set<Work>();
    for (const message of batch.messages) {
      const work = Array.isArray(message.body?.work) ? message.body.work : [];
      for (const w of work) if (w === 'delivery' || w === 'local-push' || w === 'files') kinds.add(w);
    }
    // A consumer may run far longer than a request's waitUntil (15 min): more of a big file per run.
    await runNotified(node, [...kinds], { budgetMs: QUEUE_BUDGET_MS });
    node.log('info', 'queue run', { queue: batch.queue, messages: batch.messages.length, work: [...kinds] });
    batch.ackAll();
  },

  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const run = state(env).then(async (node) => {
      const report = await runCron(node);
      node.log('info', 'cron run', { cron: controller.cron, ...report });
    });
    ctx.waitUntil(run.catch((error: unknown) => bootFailure(env, error)));
    await run.catch(() => undefined);
  },
};
