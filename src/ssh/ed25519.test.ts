import { describe, expect, test } from '@jest/globals';
import { utils } from 'ssh2';
import { generateEd25519KeyPair } from './ed25519';

describe('generateEd25519KeyPair', () => {
  test('every pair parses, including the draws where ssh2 writes a malformed key', () => {
    // ssh2 draws a malformed key about once in 250: 1,000 pairs meet it with near certainty.
    for (let i = 0; i < 1000; i += 1) {
      const pair = generateEd25519KeyPair();
      expect(utils.parseKey(pair.private)).not.toBeInstanceOf(Error);
      expect(utils.parseKey(pair.public)).not.toBeInstanceOf(Error);
    }
  });
});
