import { describe, it } from 'vitest';
import data from '../vectors/gm.json' with { type: 'json' };
import { checkGmVector, type GmVector } from './gm-vectors.js';

/** One loop over the published GM/T, GB/T and RFC 8998 vectors (the same loop runs in workerd). */
describe('national cryptography: published vectors', () => {
  for (const vector of data.vectors as GmVector[]) {
    it(`${vector.kind}: ${vector.name}`, async () => {
      await checkGmVector(vector);
    });
  }
});
