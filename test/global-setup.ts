import { execFileSync } from 'node:child_process';

/**
 * Builds dist/ once before the suites, so that the tests that run `bin/yrdx.js` and
 * `npm start`'s entry run the code under test, not an older build.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
