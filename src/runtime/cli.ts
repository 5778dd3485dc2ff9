import { installSignatureEngine } from '../envelope/signature-engine.js';
import { auditVerify, evidenceExport, evidenceVerify } from './cli/audit.js';
import { configCheck } from './cli/config.js';
import { contractsBuild, contractsTest, contractsValidate, translateCommand } from './cli/contracts.js';
import { demoCommand } from './cli/demo.js';
import { federationCommand } from './cli/federation.js';
import { contractsFidelity } from './cli/fidelity.js';
import { keysApiKey, keysGenerate, keysInit, keysList, keysRotate } from './cli/keys.js';
import { messagesRequeue, messagesStatus } from './cli/messages.js';
import { type Io, reportError, UsageError } from './cli/output.js';
import { sign, verify } from './cli/sign-verify.js';
import { threadsList } from './cli/threads.js';
import { nodeSignatures } from './node/signatures.js';

const USAGE = `yrdx — Yangtze River Delta exchange gateway

Usage:
  yrdx keys generate --alg ES256|EdDSA|PS256 --kid KID --out DIR [--force] [--json]
  yrdx keys init [--config FILE]...          generate a node's first keys (active + next)
  yrdx keys list [--config FILE] [--json]
  yrdx keys rotate [--config FILE] [--force] [--json]
  yrdx keys api-key [--json]                 a new API key for a local system
  yrdx sign --key PRIVATE_JWK_FILE [--typ T] [--lifetime SECONDS] PAYLOAD_JSON_FILE
  yrdx verify --jwks JWKS_FILE [--iss ISS] [--aud AUD] [--typ T] JWS_FILE
  yrdx config check [--config FILE] [--json]
  yrdx demo [--json] [--keep]                four cities on 127.0.0.1 exchanging every message type
  yrdx federation init|up [--dir D] …        a local federation to try by hand (yrdx federation --help)
  yrdx messages status [--config FILE] [--json] ID
  yrdx messages requeue [--config FILE] [--recipient NODE] [--json] ID   dead deliveries back in the queue
  yrdx audit verify [--config FILE] [--json]          the whole audit log, offline; names the first broken entry
  yrdx evidence export [--config FILE] --message ID --out FILE [--json]   a message's evidence bundle
  yrdx evidence verify [--json] BUNDLE                checks a bundle with nothing but the bundle
  yrdx threads [--config FILE] [--open | --overdue] [--partner NODE] [--json]
  yrdx contracts validate [--dir DIR] [--domain D] [--json]   every check, every example
  yrdx contracts test [--dir DIR] [--domain D] [--json]       every example into every dialect
  yrdx contracts build [--dir DIR] [--check]                  validators and translation code
  yrdx contracts fidelity [--dir DIR] [--domain D] [--json]   what each dialect can lose, per message type
  yrdx translate --domain D [--version V] --from DIALECT|canonical --to DIALECT|canonical [--type T] FILE

FILE defaults to config/node.json; "-" reads standard input.
Errors are printed as "code: reason" in 简体中文; set YRDX_LANG=en for English.
`;

type Command = (args: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  'keys generate': keysGenerate,
  'keys init': keysInit,
  'keys list': keysList,
  'keys rotate': keysRotate,
  'keys api-key': keysApiKey,
  'config check': configCheck,
  'contracts validate': contractsValidate,
  'contracts test': contractsTest,
  'contracts build': contractsBuild,
  'contracts fidelity': contractsFidelity,
  translate: translateCommand,
  demo: demoCommand,
  federation: federationCommand,
  'messages status': messagesStatus,
  'messages requeue': messagesRequeue,
  threads: threadsList,
  'audit verify': auditVerify,
  'evidence export': evidenceExport,
  'evidence verify': evidenceVerify,
  sign,
  verify,
};

/** Runs one CLI command; returns the exit status. Separate from `process` so tests can call it. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  // Node's native signatures: the same bytes as Web Crypto, without the thread-pool round trip.
  installSignatureEngine(nodeSignatures);
  const [first = 'help', second = '', ...rest] = argv;
  if (first === 'help' || first === '--help' || first === '-h') {
    io.out(USAGE);
    return 0;
  }
  const json = argv.includes('--json');
  try {
    const two = COMMANDS[`${first} ${second}`];
    if (two !== undefined) return await two(rest, io);
    const one = COMMANDS[first];
    if (one !== undefined) return await one(argv.slice(1), io);
    throw new UsageError(`unknown command "${argv.join(' ')}"`);
  } catch (error) {
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      return reportError(io, new UsageError(error.message), json);
    }
    return reportError(io, error, json);
  }
}

export function processIo(): Io {
  quietWhenReaderLeaves(process.stdout);
  quietWhenReaderLeaves(process.stderr);
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    now: Date.now,
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/**
 * `yrdx … | head -1`: once the reader has what it wanted and closes the pipe, the next write fails
 * with EPIPE — an unhandled 'error' event, and a stack, by default. The command ends at once and
 * quietly instead, with status 0: the output it was asked for was taken.
 */
const quieted = new WeakSet<NodeJS.WriteStream>();
function quietWhenReaderLeaves(stream: NodeJS.WriteStream): void {
  if (quieted.has(stream)) return;
  quieted.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

// `npx tsx src/runtime/cli.ts ...` runs the CLI from the sources, without a build.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
}
