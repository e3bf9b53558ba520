import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { fold } from './fold';
import { someWordIs, someWordStarts } from './word-starts';

/**
 * The word index answers as a plain reference does: every regex word of the lower-cased view cut
 * out, its beginning and its length hashed exactly as word-starts.ts hashes them.
 */
function key(word: string): number {
  let packed = 0;
  for (let i = 0; i < 3; i += 1) packed = packed * 128 + (i < word.length ? word.charCodeAt(i) : 0);
  return packed;
}
const beginningSlot = (word: string): number => Math.imul(key(word), 0x9e3779b1) >>> 16;
const shapeSlot = (word: string): number =>
  Math.imul(Math.imul(key(word), 0x9e3779b1) ^ Math.min(word.length, 255), 0x85ebca6b) >>> 16;

const words = (lower: string): string[] => lower.match(/[A-Za-z0-9_]+/g) ?? [];

const piece = fc.constantFrom(
  'a',
  'ab',
  'abc',
  'abcd',
  'Pas',
  'x_9',
  '0',
  ' ',
  '-',
  '.',
  'é',
  'ß',
  '\n',
  'İ',
  'ſ',
);
const text = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(''));
const hint = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'p', 's', 'x', '_', '9', '0'), {
  minLength: 1,
  maxLength: 5,
});
const hints = fc.array(
  hint.map((letters) => letters.join('')),
  { minLength: 1, maxLength: 4 },
);

describe('the word index', () => {
  test('someWordStarts and someWordIs agree with the reference, also when texts take turns', () => {
    fc.assert(
      fc.property(text, text, hints, (first, second, asked) => {
        const views = [fold(first), fold(second)];
        for (const round of [0, 1]) {
          for (const view of round === 0 ? views : [...views].reverse()) {
            const found = words(view.lower);
            const starts = asked.map((word) => word.slice(0, 3));
            expect(someWordStarts(view, starts)).toBe(
              starts.some((start) => found.some((word) => beginningSlot(word) === beginningSlot(start))),
            );
            expect(someWordIs(view, asked)).toBe(
              asked.some((word) => found.some((seen) => shapeSlot(seen) === shapeSlot(word))),
            );
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
