import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeApp } from '../../src/runtime/node/app.js';
import { adminCredentials } from '../admin/helpers.js';
import { type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * docs/admin.md's curl examples, run as written with bash and curl against a real node with the admin
 * API on: the only edit is the node's address in `BASE=`. Every command must run (curl exits 0), and
 * the search by a Chinese case number must be answered 200 with a page of messages.
 */
let huzhou: LiveNode;
let server: ServerType;
let base: string;
let token: string;

beforeAll(async () => {
  [huzhou] = (await startNodes(
    [{ id: '330500', name: '湖州市', province: 'zj' }],
    tempDir('yrdx-admin-curl-'),
  )) as [LiveNode];
  const { admin, tokens } = await adminCredentials(Date.now());
  token = tokens.admin;
  const app = nodeApp({ ...huzhou.state, config: { ...huzhou.state.config, admin } }, huzhou.exchange);
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, patient(30_000));

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await huzhou?.stop();
});

/** The shell blocks of a doc's examples section (from its heading to the next `## `). */
function exampleScript(file: string, heading: string): string {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  expect(start, `${file}: ${heading}`).toBeGreaterThan(0);
  const section = text.slice(start, text.indexOf('\n## ', start + 1));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

/** Runs a script in bash (asynchronously: the node answering it runs in this process). */
const bash = async (script: string) =>
  (
    await promisify(execFile)('bash', ['-e', '-o', 'pipefail', '-c', script], {
      env: { ...process.env, YRDX_ADMIN_TOKEN: token },
      encoding: 'utf8',
      timeout: 60_000,
    })
  ).stdout;

describe.each([
  ['docs/admin.md', '### Examples'],
  ['docs/admin.zh-CN.md', '### 示例'],
])('%s', (file, heading) => {
  it('runs every curl example as written', async () => {
    const script = exampleScript(file, heading);
    expect(script).toContain('BASE=https://yrdx.huzhou.example\n');
    expect(script.match(/^curl /gm)?.length).toBeGreaterThanOrEqual(9);
    // No URL written with raw non-ASCII text or an unquoted "?" (a glob in zsh).
    for (const line of script.split('\n').filter((l) => /^(curl|DELIVERY=)/.test(l)))
      for (const url of line.match(/"\$BASE[^"]*"/g) ?? []) expect(url, line).toMatch(/^[\x21-\x7e]+$/);
    await bash(script.replace('BASE=https://yrdx.huzhou.example', `BASE=${base}`));
  });

  it('sends a Chinese case number URL-encoded and gets a page of messages', async () => {
    const script = exampleScript(file, heading);
    const search = /^curl -G [^\n]*\\\n[^\n]*caseNumber=[^\n]*$/m.exec(script)?.[0];
    expect(search).toContain('--data-urlencode caseNumber=湖市监案〔2026〕12号');
    const out = (
      await bash(`BASE=${base}\nH="Authorization: Bearer $YRDX_ADMIN_TOKEN"\n${search} -w '\\n%{http_code}'`)
    ).split('\n');
    expect(out.at(-1)).toBe('200');
    expect(JSON.parse(out.slice(0, -1).join('\n'))).toEqual({ items: [] });
  });
});
