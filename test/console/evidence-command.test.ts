import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { evidenceCommand, shellWord } from '../../src/console/evidence-command.js';
import { shellWords } from './words.js';

describe('the evidence command the console shows', () => {
  const id = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
  const paths = [
    '/srv/yrdx/config/node.json',
    '/srv/yrdx nodes/湖州/node.json',
    "/tmp/it's here/node.json",
    '/tmp/$(touch pwned)/`x`/node.json',
  ];

  it('quotes every word so that a POSIX shell reads back exactly the same words', () => {
    for (const file of paths) {
      const command = evidenceCommand(file, id);
      const words = ['yrdx', 'evidence', 'export', '--config', file, '--message'];
      expect(shellWords(command).slice(0, 6)).toEqual(words);
      // The shell itself: printf prints each word it was given on its own line.
      const echoed = execFileSync('sh', ['-c', command.replace(/^yrdx /, "printf '%s\\n' ")], {
        encoding: 'utf8',
      });
      expect(echoed.split('\n')).toEqual([...words.slice(1), id, '--out', `${id}.evidence.json`, '']);
    }
  });

  it('leaves plain words as they are', () => {
    expect(shellWord('config/node.json')).toBe('config/node.json');
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });
});
