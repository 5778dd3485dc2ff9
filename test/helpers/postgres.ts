import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/**
 * A throwaway PostgreSQL cluster for the tests and benchmarks: a temporary data directory, `initdb`
 * (as the `postgres` OS user when running as root, since initdb refuses root), the server on
 * 127.0.0.1 on a free port with its unix socket in the temporary directory, and a database created
 * in it. `stop()` stops the server and removes the directory.
 */
export interface Cluster {
  /** postgres://… of the database created for the run. */
  readonly url: string;
  /** The server's process ids (postmaster and its backends), e.g. to measure their CPU time. */
  pids(): number[];
  stop(): Promise<void>;
}

const BIN_DIRS = () => {
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return [
    ...(process.env.PG_BIN === undefined ? [] : [process.env.PG_BIN]),
    ...(process.env.PATH ?? '').split(':').filter((d) => d !== ''),
    ...versions.map((v) => join(debian, v, 'bin')),
  ];
};

/** The folder holding `initdb`, `pg_ctl` and `postgres`, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(): string | undefined {
  return BIN_DIRS().find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b))));
}

/** Whether `url` accepts a connection within two seconds. */
export async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs a PostgreSQL program, as the `postgres` user when this process is root. */
function run(bin: string, program: string, args: readonly string[], asUser: boolean): void {
  const command = asUser ? 'runuser' : join(bin, program);
  const argv = asUser ? ['-u', 'postgres', '--', join(bin, program), ...args] : [...args];
  const result = spawnSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(
      `${program} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.error?.message ?? ''}\n${result.stdout}${result.stderr}`,
    );
  }
}

/**
 * Starts a throwaway cluster and creates `database` in it. `durable: false` (the tests) turns off
 * fsync; benchmarks keep it on, as a production server would.
 */
export async function startCluster(
  database = 'yrdx',
  options: { readonly durable?: boolean } = {},
): Promise<Cluster> {
  const bin = findPostgresBin();
  if (bin === undefined) {
    throw new Error(
      'PostgreSQL is not installed: initdb, pg_ctl and postgres were found neither on PATH nor in ' +
        '/usr/lib/postgresql/*/bin (install it, e.g. `apt-get install -y postgresql`, or set DATABASE_URL ' +
        'to a server the tests may create databases on)',
    );
  }
  const asUser = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'yrdx-pg-'));
  const data = join(dir, 'data');
  if (asUser) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const stopServer = () => {
    try {
      run(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w'], asUser);
    } catch {
      // not running
    }
  };
  try {
    run(
      bin,
      'initdb',
      ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '-N'],
      asUser,
    );
    const serverOptions = [
      `-p ${port}`,
      '-h 127.0.0.1',
      `-k ${dir}`,
      '-c max_connections=200',
      '-c shared_buffers=128MB',
      // Tests: no fsync (commits are still ordered and acknowledged as usual, just not flushed).
      ...(options.durable === false ? ['-c fsync=off', '-c full_page_writes=off'] : []),
    ].join(' ');
    run(
      bin,
      'pg_ctl',
      ['start', '-D', data, '-w', '-t', '30', '-l', join(dir, 'server.log'), '-o', serverOptions],
      asUser,
    );
  } catch (error) {
    stopServer();
    const log = join(dir, 'server.log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${tail}`);
  }
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await createDatabase(admin, database);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    pids() {
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const children = readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return (
              Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]) === postmaster
            );
          } catch {
            return false;
          }
        })
        .map(Number);
      return [postmaster, ...children];
    },
    async stop() {
      stopServer();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a fresh database on the server of `url` and returns its URL (same credentials). */
export async function createDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}"`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/**
 * The database URL the PostgreSQL suites use: DATABASE_URL when it is set and reachable, otherwise a
 * throwaway cluster started now. Never throws: when neither works, `error` says why, and the
 * PostgreSQL suites fail with it.
 */
export async function testDatabase(): Promise<{ url?: string; error?: string; stop(): Promise<void> }> {
  const given = process.env.DATABASE_URL;
  if (given !== undefined && given !== '' && (await reachable(given))) {
    return { url: given, stop: async () => undefined };
  }
  try {
    const cluster = await startCluster('yrdx_test', { durable: false });
    return { url: cluster.url, stop: () => cluster.stop() };
  } catch (error) {
    const reason = given ? `DATABASE_URL (${redact(given)}) is not reachable, and ` : '';
    return { error: `${reason}${(error as Error).message}`, stop: async () => undefined };
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'not a URL';
  }
}
