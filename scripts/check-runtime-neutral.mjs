// Fails when a file of the runtime-neutral core imports a Node built-in. The Node runtime
// (src/runtime/node.ts, src/runtime/node/, src/runtime/cli*) and the Node-only stores (SQLite in
// src/store/sqlite/, PostgreSQL in src/store/postgres/) are the only places allowed to.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const allowed = [
  /^src\/runtime\/node(\.ts|\/)/,
  /^src\/runtime\/cli(\.ts|\/)/,
  /^src\/store\/sqlite\//,
  /^src\/store\/postgres\//,
];
const offenders = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.tsx?$/.test(name)) {
      const rel = relative('.', path).replaceAll('\\', '/');
      if (allowed.some((re) => re.test(rel))) continue;
      const text = readFileSync(path, 'utf8');
      const match = text.match(/from\s+['"](node:[^'"]+|fs|path|crypto|os|child_process|http|https|net)['"]/);
      if (match) offenders.push(`${rel}: imports ${match[1]}`);
      if (/\b(process\.env|Buffer\.)/.test(text)) offenders.push(`${rel}: uses process.env or Buffer`);
    }
  }
}
walk('src');
if (offenders.length > 0) {
  console.error(`runtime-neutral core imports Node-only modules:\n  ${offenders.join('\n  ')}`);
  process.exit(1);
}
