import { installSignatureEngine } from '../envelope/signature-engine.js';
import { auditVerify } from './cli/audit.js';
import { TEXT as CONFIG_TEXT, configCheck } from './cli/config.js';
import { contractsBuild, contractsValidate } from './cli/contracts.js';
import { contractsTest } from './cli/contracts-test.js';
import { TEXT as DATA_KEY_TEXT, dataKeyList, dataKeyRotate } from './cli/data-keys.js';
import { demoCommand } from './cli/demo.js';
import { evidenceExport, evidenceVerify } from './cli/evidence.js';
import { TEXT as FEDERATION_TEXT, federationInit } from './cli/federation.js';
import { federationUp } from './cli/federation-up.js';
import { contractsFidelity } from './cli/fidelity.js';
import { TEXT as HELP } from './cli/help.js';
import { keysApiKey, keysGenerate, keysInit, keysList, keysRotate } from './cli/keys.js';
import { TEXT as KEYS_EXPORT_TEXT, keysExport } from './cli/keys-export.js';
import { TEXT as KEYS_IMPORT_TEXT, keysImport } from './cli/keys-import.js';
import { TEXT as MESSAGES_TEXT, messagesRequeue, messagesStatus } from './cli/messages.js';
import { type Io, language, reportError, UsageError } from './cli/output.js';
import { sign, verify } from './cli/sign-verify.js';
import { threadsList } from './cli/threads.js';
import { translateCommand } from './cli/translate.js';
import {
  type Bilingual,
  type CommandSpec,
  entry,
  needsSubcommand,
  parseArgsMessage,
  renderGroup,
  renderHelp,
  renderUsage,
  unknownCommand,
} from './cli/usage.js';
import { nodeSignatures } from './node/signatures.js';

/**
 * Every command with its help. A command of another module registers here with its run function and
 * its help from its own TEXT table: `'config check': { run: configCheck, help: entry(CONFIG_TEXT, 'help:config check') }`
 * (the help text: synopsis line, one-line summary, one line per option). `yrdx help`, `--help` on the
 * command, its group's usage and the "did you mean" for its options all come from that text.
 */
const COMMANDS: Record<string, CommandSpec> = {
  'keys generate': { run: keysGenerate, help: entry(HELP, 'help:keys generate') },
  'keys init': { run: keysInit, help: entry(HELP, 'help:keys init') },
  'keys list': { run: keysList, help: entry(HELP, 'help:keys list') },
  'keys rotate': { run: keysRotate, help: entry(HELP, 'help:keys rotate') },
  'keys import': { run: keysImport, help: entry(KEYS_IMPORT_TEXT, 'help:keys import') },
  'keys export': { run: keysExport, help: entry(KEYS_EXPORT_TEXT, 'help:keys export') },
  'keys api-key': { run: keysApiKey, help: entry(HELP, 'help:keys api-key') },
  'data-key list': { run: dataKeyList, help: entry(DATA_KEY_TEXT, 'help:data-key list') },
  'data-key rotate': { run: dataKeyRotate, help: entry(DATA_KEY_TEXT, 'help:data-key rotate') },
  sign: { run: sign, help: entry(HELP, 'help:sign') },
  verify: { run: verify, help: entry(HELP, 'help:verify') },
  'config check': { run: configCheck, help: entry(CONFIG_TEXT, 'help:config check') },
  demo: { run: demoCommand, help: entry(HELP, 'help:demo') },
  'federation init': { run: federationInit, help: entry(FEDERATION_TEXT, 'help:federation init') },
  'federation up': { run: federationUp, help: entry(FEDERATION_TEXT, 'help:federation up') },
  'messages status': { run: messagesStatus, help: entry(MESSAGES_TEXT, 'help:messages status') },
  'messages requeue': { run: messagesRequeue, help: entry(MESSAGES_TEXT, 'help:messages requeue') },
  'audit verify': { run: auditVerify, help: entry(HELP, 'help:audit verify') },
  'evidence export': { run: evidenceExport, help: entry(HELP, 'help:evidence export') },
  'evidence verify': { run: evidenceVerify, help: entry(HELP, 'help:evidence verify') },
  threads: { run: threadsList, help: entry(HELP, 'help:threads') },
  'contracts validate': { run: contractsValidate, help: entry(HELP, 'help:contracts validate') },
  'contracts test': { run: contractsTest, help: entry(HELP, 'help:contracts test') },
  'contracts build': { run: contractsBuild, help: entry(HELP, 'help:contracts build') },
  'contracts fidelity': { run: contractsFidelity, help: entry(HELP, 'help:contracts fidelity') },
  translate: { run: translateCommand, help: entry(HELP, 'help:translate') },
};

/** The summary line of each group of commands (`yrdx keys --help`); a group without one lists its commands only. */
const GROUPS: Record<string, Bilingual> = {
  keys: entry(HELP, 'group:keys'),
  'data-key': entry(DATA_KEY_TEXT, 'group:data-key'),
  contracts: entry(HELP, 'group:contracts'),
  audit: entry(HELP, 'group:audit'),
  evidence: entry(HELP, 'group:evidence'),
  config: entry(HELP, 'group:config'),
  messages: entry(HELP, 'group:messages'),
  federation: entry(FEDERATION_TEXT, 'group:federation'),
};

/** Every command name, for "did you mean" and the tests that run them all. */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

const HELP_FLAGS = new Set(['--help', '-h']);

/** Runs one CLI command; returns the exit status. Separate from `process` so tests can call it. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  // Node's native signatures: the same bytes as Web Crypto, without the thread-pool round trip.
  installSignatureEngine(nodeSignatures);
  const lang = language(io.env);
  const [first = 'help', second = '', ...rest] = argv;
  const groups = new Set(COMMAND_NAMES.filter((n) => n.includes(' ')).map((n) => n.split(' ')[0]!));
  if (first === 'help' || HELP_FLAGS.has(first)) {
    // `yrdx help keys rotate`, `yrdx help keys`: that command's or group's usage.
    const named = COMMANDS[`${second} ${rest[0] ?? ''}`] ?? COMMANDS[second];
    if (named !== undefined) io.out(renderHelp(lang, named));
    else if (groups.has(second)) io.out(renderGroup(lang, second, GROUPS[second], COMMANDS));
    else io.out(renderUsage(lang, COMMANDS));
    return 0;
  }
  const json = argv.includes('--json');
  const wantsHelp = argv.some((a) => HELP_FLAGS.has(a));
  let name: string;
  let args: string[];
  if (COMMANDS[`${first} ${second}`] !== undefined) {
    name = `${first} ${second}`;
    args = rest;
  } else if (COMMANDS[first] !== undefined) {
    name = first;
    args = argv.slice(1);
  } else if (groups.has(first) && (second === '' || HELP_FLAGS.has(second))) {
    // `yrdx keys --help` is asked for; `yrdx keys` alone is a usage mistake.
    const usage = renderGroup(lang, first, GROUPS[first], COMMANDS);
    if (wantsHelp) {
      io.out(usage);
      return 0;
    }
    io.err(`yrdx: ${needsSubcommand(lang, first)}\n${usage}`);
    return 2;
  } else {
    return reportError(io, new UsageError(unknownCommand(lang, argv, COMMAND_NAMES)), json);
  }
  const spec = COMMANDS[name]!;
  if (wantsHelp) {
    io.out(renderHelp(lang, spec));
    return 0;
  }
  try {
    return await spec.run(args, io);
  } catch (error) {
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const usage = new UsageError(parseArgsMessage(lang, error, name, spec));
      usage.command = name;
      return reportError(io, usage, json);
    }
    if (error instanceof UsageError) error.command ??= name;
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
