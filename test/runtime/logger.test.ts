import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/runtime/node/logger.js';

describe('the Node logger', () => {
  it('never writes private keys, tokens or credentials', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      {
        privateJwk: { kty: 'EC', d: 'SECRET-D' },
        key: { d: 'SECRET-D2' },
        doc: { privateJwk: { d: 'SECRET-D3' } },
        headers: { authorization: 'Bearer SECRET-TOKEN' },
        token: 'eyJSECRET',
        kid: '330500-20261128-abcd',
      },
      'test',
    );
    expect(out).not.toMatch(/SECRET/);
    expect(out).toContain('330500-20261128-abcd');
  });
});
