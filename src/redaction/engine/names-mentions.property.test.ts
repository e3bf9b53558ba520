import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { fold } from './fold';
import { mentionsAnyWord } from './known-entities';
import { mayMentionAny } from './names-mentions';
import { cutAsciiWords, Words } from './names-words';
import { Claims } from './span';

/** The mention test over the cut words may say "maybe" too often, never "no" when the text search says yes. */
const pieces = fc.constantFrom(
  'Maria',
  'okafor',
  'Okafor',
  'van',
  "O'Neil",
  'x'.repeat(41),
  ' ',
  '  ',
  '-',
  '.',
  "'",
  "'s",
  "'S",
  '&',
  '@',
  '+',
  ',',
  '7',
  '\n',
);
const text = fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join(''));
const entityWord = fc.constantFrom(
  'maria',
  'okafor',
  'van',
  "o'neil",
  'neil',
  'x'.repeat(41),
  'o',
  's',
  'a&b',
);

describe('names: mentions of the names found', () => {
  test('when some entity word is mentioned on unclaimed text, the word test says maybe', () => {
    const words = new Words(() => 0);
    fc.assert(
      fc.property(
        text,
        fc.array(entityWord, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(60), fc.nat(8)), { maxLength: 4 }),
        (value, known, taken) => {
          const view = fold(value);
          if (!cutAsciiWords(view, words)) return;
          const claims = new Claims(view.text.length);
          for (const [start, length] of taken)
            claims.claim({
              start,
              end: Math.min(start + length, view.text.length),
              action: 'keep',
              detector: 'test',
            });
          const entityWords = new Set(known);
          if (mentionsAnyWord(view, claims, entityWords))
            expect(mayMentionAny(words, claims, entityWords)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
