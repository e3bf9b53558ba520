import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { isCommon, isCommonAt } from './names-common';
import { WordTable } from './names-shapes';
import { wordHash } from './names-words';
import { commonWords, givenNames } from './vocabulary';

/** The in-place lookups answer as the sets they stand for, wherever the word stands in its text. */
const someCommon = [...commonWords].filter((_, index) => index % 97 === 0);
const piece = fc.oneof(
  fc.constantFrom(...someCommon),
  fc.constantFrom('s', 'es', 'ed', 'ing', '-', '--', 'x', 'é', "'", 'okafor', ''),
);
const word = fc.array(piece, { maxLength: 4 }).map((parts) => parts.join(''));
const runs = { numRuns: 3000 };

describe('names: in-place word lookups', () => {
  test('isCommonAt is isCommon of the word cut out', () => {
    fc.assert(
      fc.property(word, word, word, (before, value, after) => {
        const text = before + value + after;
        const start = before.length;
        const end = start + value.length;
        expect(isCommonAt(text, start, end, wordHash(text, start, end))).toBe(isCommon(value));
      }),
      runs,
    );
  });

  test('a word table has exactly the words of its set', () => {
    const names = [...givenNames].filter((_, index) => index % 13 === 0);
    const table = new WordTable(names);
    const set = new Set(names);
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...names), word), word, (value, before) => {
        const text = before + value + '.';
        expect(table.has(text, before.length, before.length + value.length)).toBe(set.has(value));
      }),
      runs,
    );
  });
});
