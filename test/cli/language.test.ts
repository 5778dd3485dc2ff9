import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { knownDomains } from '../../src/runtime/cli/load-contracts.js';
import { COMMAND_NAMES } from '../../src/runtime/cli.js';
import { cli } from '../helpers/cli.js';
import { addNames, CJK, chineseIn, englishProse } from '../helpers/one-language.js';
import { copyConfig, tempDir, writeJson } from '../helpers/tmp.js';

/**
 * Chinese first, English complete, never mixed: the output of every CLI command, by default (简体中文)
 * and with YRDX_LANG=en (the tables of texts themselves: test/text/one-language.test.ts).
 */

// The CLI's command words and the contracts' domains are names, not prose.
addNames([...COMMAND_NAMES.flatMap((n) => n.split(' ')), ...knownDomains('contracts')]);

interface Run {
  readonly args: () => string[];
  /** Standard output is data (a JWS, a payload, a document): only standard error is judged. */
  readonly data?: boolean;
  readonly status: number;
}

const dir = tempDir('yrdx-language-');
let config = '';
const f = (name: string) => join(dir, name);
const example = 'contracts/food-safety/2.0.0/dialects/zj/examples/notification.json';

beforeAll(async () => {
  config = join(copyConfig(), 'node.json');
  expect((await cli(['keys', 'init', '--config', config])).status).toBe(0);
  expect((await cli(['keys', 'generate', '--kid', 'lang', '--out', dir])).status).toBe(0);
  writeJson(f('payload.json'), {
    iss: '330500',
    aud: '320500',
    jti: '01JTESTLANG000000000000001',
    type: 'notification',
    domain: 'road-transport',
    contract: 'road-transport@1.0.0',
    thread: '01JTESTLANG000000000000001',
    body: {},
  });
  const signed = await cli(['sign', '--key', f('lang.private.jwk.json'), f('payload.json')]);
  writeFileSync(f('message.jws'), signed.stdout);
  writeFileSync(f('not-a-bundle.json'), '{}');
  execFileSync('openssl', ['genpkey', '-algorithm', 'SM2', '-out', f('sm2.pem')]);
  execFileSync('openssl', ['pkey', '-in', f('sm2.pem'), '-pubout', '-out', f('sm2-public.pem')]);
  // A configuration with faults of several kinds at once: schema, a partner id, a dialect no contract knows.
  const bad = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
  writeJson(f('bad-config.json'), { ...bad, id: '440300', rotation: { minNextAgeSeconds: 'soon' } });
  // The store the threads command opens (and creates), read by audit verify.
  expect((await cli(['threads', '--config', config])).status).toBe(0);
});

/** Every command and subcommand: a success and a failure each. */
const RUNS: Record<string, Run> = {
  help: { args: () => ['help'], status: 0 },
  'keys --help': { args: () => ['keys', '--help'], status: 0 },
  keys: { args: () => ['keys'], status: 2 },
  'unknown command': { args: () => ['kyes', 'list'], status: 2 },
  'unknown option': { args: () => ['keys', 'list', '--confg', config], status: 2 },
  'keys generate': {
    args: () => ['keys', 'generate', '--kid', `k${Math.random()}`.replace('.', ''), '--out', dir],
    status: 0,
  },
  'keys generate (bad alg)': {
    args: () => ['keys', 'generate', '--alg', 'HS256', '--kid', 'x', '--out', dir],
    status: 2,
  },
  'keys init': { args: () => ['keys', 'init', '--config', config], status: 0 },
  'keys init (missing config)': {
    args: () => ['keys', 'init', '--config', f('none.json')],
    status: 1,
  },
  'keys list': { args: () => ['keys', 'list', '--config', config], status: 0 },
  'keys list (missing config)': {
    args: () => ['keys', 'list', '--config', f('none.json')],
    status: 1,
  },
  'keys rotate (too early)': {
    args: () => ['keys', 'rotate', '--config', config],
    status: 1,
  },
  'keys rotate --help': { args: () => ['keys', 'rotate', '--help'], status: 0 },
  'keys generate --alg SM2': {
    args: () => [
      'keys',
      'generate',
      '--alg',
      'SM2',
      '--kid',
      `s${Math.random()}`.replace('.', ''),
      '--out',
      dir,
    ],
    status: 0,
  },
  'keys import': {
    // A new OpenSSL key each run, replacing the next key of the run before.
    args: () => {
      const pem = f(`sm2-${Math.random()}.pem`);
      execFileSync('openssl', ['genpkey', '-algorithm', 'SM2', '-out', pem]);
      return ['keys', 'import', '--pem', pem, '--replace', '--config', config];
    },
    status: 0,
  },
  'keys import (a public key)': {
    args: () => ['keys', 'import', '--pem', f('sm2-public.pem'), '--config', config],
    status: 1,
  },
  'keys import --help': { args: () => ['keys', 'import', '--help'], status: 0 },
  'keys export --pem': { args: () => ['keys', 'export', '--pem', '--config', config], data: true, status: 0 },
  'keys export (unknown kid)': {
    args: () => ['keys', 'export', '--kid', 'nope', '--config', config],
    status: 1,
  },
  'keys export --help': { args: () => ['keys', 'export', '--help'], status: 0 },
  'keys api-key': { args: () => ['keys', 'api-key'], status: 0 },
  'keys api-key (bad option)': { args: () => ['keys', 'api-key', '--jsn'], status: 2 },
  'keys api-key --digest sm3': { args: () => ['keys', 'api-key', '--digest', 'sm3'], status: 0 },
  'keys api-key --config': { args: () => ['keys', 'api-key', '--config', config], status: 0 },
  'keys api-key (bad digest)': { args: () => ['keys', 'api-key', '--digest', 'md5'], status: 2 },
  'keys api-key --help': { args: () => ['keys', 'api-key', '--help'], status: 0 },
  sign: {
    args: () => ['sign', '--key', f('lang.private.jwk.json'), f('payload.json')],
    data: true,
    status: 0,
  },
  'sign (no key)': { args: () => ['sign', f('payload.json')], status: 2 },
  verify: { args: () => ['verify', '--jwks', f('lang.jwks.json'), f('message.jws')], data: true, status: 0 },
  'verify (wrong audience)': {
    args: () => ['verify', '--jwks', f('lang.jwks.json'), '--aud', '310000', f('message.jws')],
    status: 1,
  },
  'contracts --help': { args: () => ['contracts', '--help'], status: 0 },
  'contracts validate': { args: () => ['contracts', 'validate', '--domain', 'franchise'], status: 0 },
  'contracts validate (unknown domain)': {
    args: () => ['contracts', 'validate', '--domain', 'franchse'],
    status: 1,
  },
  'contracts test': { args: () => ['contracts', 'test', '--domain', 'franchise'], status: 0 },
  'contracts test (unknown domain)': { args: () => ['contracts', 'test', '--domain', 'weather'], status: 1 },
  'contracts build --check': { args: () => ['contracts', 'build', '--check'], status: 0 },
  'contracts build (no folder)': { args: () => ['contracts', 'build', '--dir', f('none')], status: 1 },
  'contracts fidelity': { args: () => ['contracts', 'fidelity', '--domain', 'franchise'], status: 0 },
  'contracts fidelity (unknown domain)': {
    args: () => ['contracts', 'fidelity', '--domain', 'franchis'],
    status: 1,
  },
  translate: {
    args: () => ['translate', '--domain', 'food-safety', '--from', 'zj', '--to', 'js', example],
    data: true,
    status: 0,
  },
  'translate (unknown dialect)': {
    args: () => ['translate', '--domain', 'food-safety', '--from', 'zjj', '--to', 'js', example],
    status: 1,
  },
  'translate --help': { args: () => ['translate', '--help'], status: 0 },
  threads: { args: () => ['threads', '--config', config], status: 0 },
  'threads (unknown thread)': { args: () => ['threads', '--config', config, '--id', 'NOPE'], status: 1 },
  'audit verify': { args: () => ['audit', 'verify', '--config', config], status: 0 },
  'audit verify (no store)': {
    args: () => ['audit', 'verify', '--config', join(copyConfig(), 'node.json')],
    status: 1,
  },
  'evidence export (no --out)': {
    args: () => ['evidence', 'export', '--config', config, '--message', 'X'],
    status: 2,
  },
  'evidence verify (not a bundle)': { args: () => ['evidence', 'verify', f('not-a-bundle.json')], status: 1 },
  'messages --help': { args: () => ['messages', '--help'], status: 0 },
  'config check --help': { args: () => ['config', 'check', '--help'], status: 0 },
  'config check': { args: () => ['config', 'check', '--config', config], status: 0 },
  'config check (faults)': { args: () => ['config', 'check', '--config', f('bad-config.json')], status: 1 },
  'messages status (unknown id)': {
    args: () => ['messages', 'status', '--config', config, '01JTESTLANG000000000000009'],
    status: 1,
  },
  'messages requeue (unknown id)': {
    args: () => ['messages', 'requeue', '--config', config, '01JTESTLANG000000000000009'],
    status: 1,
  },
  'federation init': {
    args: () => [
      'federation',
      'init',
      '--nodes',
      '310000,340100',
      '--dir',
      f(`fed-${Math.random()}`),
      '--base-port',
      '18801',
    ],
    status: 0,
  },
  'federation init (unknown city)': {
    args: () => ['federation', 'init', '--nodes', '440300,340100', '--dir', f('fed-bad')],
    status: 2,
  },
  'federation up (no federation)': { args: () => ['federation', 'up', '--dir', f('fed-none')], status: 2 },
  'federation --help': { args: () => ['federation', '--help'], status: 0 },
  'demo --help': { args: () => ['demo', '--help'], status: 0 },
};

describe('every CLI command speaks one language at a time', () => {
  for (const [name, run] of Object.entries(RUNS)) {
    it(`${name}: 简体中文 by default, English with YRDX_LANG=en`, async () => {
      const zh = await cli(run.args());
      expect(zh.status, zh.stderr).toBe(run.status);
      const zhText = `${run.data ? '' : zh.stdout}${zh.stderr}`;
      if (!run.data) expect(zhText, 'zh output holds Chinese').toMatch(CJK);
      expect(englishProse(zhText), zhText).toBeUndefined();
      const en = await cli(run.args(), { env: { YRDX_LANG: 'en' } });
      expect(en.status, en.stderr).toBe(run.status);
      const enText = `${run.data ? '' : en.stdout}${en.stderr}`;
      expect(chineseIn(enText), enText).toBeUndefined();
    });
  }
});
