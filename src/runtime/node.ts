import type { Server } from 'node:http';
import { type ServerType, serve } from '@hono/node-server';
import { installSignatureEngine } from '../envelope/signature-engine.js';
import { YrdxError } from '../errors/errors.js';
import { language } from './cli/output.js';
import { nodeApp } from './node/app.js';
import { bootNode, loadKeyring } from './node/boot.js';
import { startExchange } from './node/exchange.js';
import { addressWarning, listenPort, portFromEnv } from './node/listen-port.js';
import { createLogger, logFn } from './node/logger.js';
import { guardServer } from './node/server-guard.js';
import { nodeSignatures } from './node/signatures.js';
import { describeStore, nodeStoreConfig } from './node/store.js';

/**
 * `npm start`: one yrdx node on Node.js. Configuration from `YRDX_CONFIG` (default
 * `config/node.json`), port from `PORT` (unset: the port of a loopback `publicUrl`, else 8787; a
 * loopback `publicUrl` on another port than the one listened on is warned about at start, see
 * `node/listen-port.ts`), address from `HOST` (default 127.0.0.1),
 * log level from `LOG_LEVEL` (default info); `LOG_PAYLOADS=1` writes message payloads, redacted;
 * `DATABASE_URL` (postgres://…) keeps messages in that PostgreSQL database, which several instances
 * of the node may share, instead of the store the configuration names; `DATABASE_POOL_SIZE` sets its
 * connections per instance (default 10); `YRDX_STOP_WITH_PARENT=1` stops the node cleanly when the
 * process that started it goes away (`npm start`, `yrdx federation up`: killing them leaves no
 * node behind). Errors that stop it are one line on standard error
 * (\`code: detail\`, 简体中文 unless YRDX_LANG=en) and exit status 1.
 */
async function main(): Promise<void> {
  installSignatureEngine(nodeSignatures);
  // Payloads stay out of the logs unless an operator sets LOG_PAYLOADS=1 (they are redacted even then).
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info', {
    payloads: process.env.LOG_PAYLOADS === '1',
  });
  const configFile = process.env.YRDX_CONFIG ?? 'config/node.json';
  const lang = language(process.env);
  const portSet = portFromEnv(process.env, lang);
  const hostname = process.env.HOST ?? '127.0.0.1';
  const state = await bootNode(configFile, {
    env: process.env,
    now: Date.now,
    log: (msg, fields) => logger.info(fields ?? {}, msg),
    // One node per data directory (SQLite); instances sharing PostgreSQL take no lock.
    lockDataDir: true,
  });
  const port = listenPort(state.config.publicUrl, portSet);
  const exchange = await startExchange(state, { log: logFn(logger), env: process.env });
  const app = nodeApp(state, exchange, logFn(logger));
  const server = await listen(app.fetch, port, hostname).catch(async (error: unknown) => {
    await exchange.stop();
    state.dataDirLock?.release();
    throw error;
  });
  const address = server.address();
  logger.info(
    {
      node: state.config.id,
      name: state.config.name,
      address: typeof address === 'object' && address !== null ? address.address : hostname,
      port: typeof address === 'object' && address !== null ? address.port : port,
      config: state.configFile,
      store: describeStore(nodeStoreConfig(state.config, process.env), state.config.dataDir),
    },
    'yrdx node listening',
  );
  const listening = typeof address === 'object' && address !== null ? address.port : port;
  const mismatch = addressWarning(state.config.publicUrl, listening, state.configFile, lang);
  if (mismatch !== undefined) logger.warn({ publicUrl: state.config.publicUrl, port: listening }, mismatch);
  server.on('error', (error) => logger.error({ err: error }, 'server error'));
  // Graceful shutdown: stop accepting requests, let in-flight deliveries finish and be recorded
  // (unfinished claims are released by their leases), close the store.
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), 15_000).unref();
    server.close();
    exchange
      .stop()
      .then(() => {
        state.dataDirLock?.release();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  // `yrdx keys rotate` writes the keyring; SIGHUP loads it without dropping a request.
  process.on('SIGHUP', () => {
    loadKeyring(state.config, { env: process.env, now: Date.now })
      .then(({ keyring }) => {
        const taken = state.partners.claimOwnKeys(keyring.keys.map((k) => k.thumbprint));
        if (taken.length > 0) {
          logger.error(
            { thumbprints: taken },
            'keys not reloaded: a key is already pinned for a partner; the previous keys stay in use',
          );
          return;
        }
        state.keyring = keyring;
        logger.info({ keys: keyring.keys.map((k) => `${k.kid}:${k.state}`) }, 'keys reloaded');
      })
      .catch((error: unknown) =>
        logger.error({ err: error }, 'keys could not be reloaded; the previous keys stay in use'),
      );
  });
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  if (process.env.YRDX_STOP_WITH_PARENT === '1') stopWithParent(() => stop('parent exited'));
}

/**
 * `npm` does not pass SIGTERM on to the script it runs, and a supervisor killed with SIGKILL passes
 * nothing on: the node sees its parent change (it is adopted by init or a subreaper) and stops.
 */
function stopWithParent(stop: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, 250);
  timer.unref();
}

/**
 * Starts listening; a failure (port in use, no permission, no such address) is `listen_failed`,
 * reported in one line rather than as an unhandled 'error' event with its stack.
 */
function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string) {
  return new Promise<ServerType>((resolve, reject) => {
    const server: ServerType = serve({ fetch, port, hostname }, () => {
      server.off('error', refuse);
      resolve(server);
    });
    function refuse(error: NodeJS.ErrnoException) {
      reject(
        new YrdxError('listen_failed', {
          params: { address: `${hostname}:${port}`, code: error.code ?? 'error' },
          cause: error,
        }),
      );
    }
    server.once('error', refuse);
    guardServer(server as Server);
  });
}

main().catch((error: unknown) => {
  if (error instanceof YrdxError) {
    const lang = language(process.env);
    process.stderr.write(`yrdx: ${error.code}: ${error.detail(lang)}\n`);
    for (const item of error.errors)
      process.stderr.write(`  ${item.file ?? ''}#${item.pointer}: ${item.detail[lang]}\n`);
    if (error.errorsOmitted > 0) process.stderr.write(`  … ${error.errorsOmitted} more\n`);
  } else {
    process.stderr.write(`yrdx: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
