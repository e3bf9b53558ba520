import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { colonFollows, initialGapAt, isAmpersandGap, isWhiteSpace } from './names-gaps';
import { isRegexSpace } from './text-scan';
import { ShapeMasks } from './names-shapes';
import { wordHash } from './names-words';
import { HONORIFICS, NAME_PARTICLES } from './vocabulary';

/** The hand-written gap tests answer as the patterns they replace, on the text they were given. */
const pieces = fc.constantFrom(
  ' ',
  '  ',
  '\t',
  '\n',
  '\u00a0',
  '\u2003',
  '&',
  '.',
  ':',
  ',',
  'a',
  'Z',
  '-',
  "'",
);
const text = fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join(''));
const runs = { numRuns: 2000 };

describe('names: gaps between words', () => {
  test('isAmpersandGap is /^\\s?&\\s?$/ on the gap', () => {
    fc.assert(
      fc.property(text, fc.nat(8), fc.nat(8), (value, a, b) => {
        const from = Math.min(a, b, value.length);
        const to = Math.min(Math.max(a, b), value.length);
        expect(isAmpersandGap(value, from, to)).toBe(/^\s?&\s?$/.test(value.slice(from, to)));
      }),
      runs,
    );
  });

  test('initialGapAt is /^\\.?[ \\t]/ on the two characters there', () => {
    fc.assert(
      fc.property(text, fc.nat(9), (value, at) => {
        expect(initialGapAt(value, at)).toBe(/^\.?[ \t]/.test(value.slice(at, at + 2)));
      }),
      runs,
    );
  });

  test('colonFollows is /^\\s{0,2}:/ on the three characters there', () => {
    fc.assert(
      fc.property(text, fc.nat(9), (value, at) => {
        expect(colonFollows(value, at)).toBe(/^\s{0,2}:/.test(value.slice(at, at + 3)));
      }),
      runs,
    );
  });
});

describe('names: shape masks', () => {
  test('a word of a set always has its set bit', () => {
    const sets = [HONORIFICS, NAME_PARTICLES, new Set(['a', "o'neil", 'jean-luc'])];
    const masks = new ShapeMasks(sets);
    sets.forEach((set, bit) => {
      for (const word of set) expect(masks.masksOf(wordHash(word, 0, word.length)) & (1 << bit)).not.toBe(0);
    });
  });
});

describe('names: white space', () => {
  test('isWhiteSpace is isRegexSpace', () => {
    for (let code = 0; code < 0x10000; code += 1) expect(isWhiteSpace(code)).toBe(isRegexSpace(code));
  });
});
