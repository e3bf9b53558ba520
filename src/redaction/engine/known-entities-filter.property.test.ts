import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { fold } from './fold';
import { Claims } from './span';
import { allVariants, claimVariants, entityWords, mentionsAnyWord } from './known-entities';

/**
 * The pre-filter in front of the mention scan may say "maybe" too often, never "no" when the scan
 * would claim a mention.
 */
const namePieces = fc.constantFrom(
  'Maria',
  'Okafor',
  'van',
  'de',
  'Noort',
  'Smith',
  'M',
  'Jean',
  'Luc',
  'Acme',
  'GmbH',
);
const separators = fc.constantFrom(' ', '  ', '-', '.', "'", "'s", ',', '&', '@', '+', '\n', '7', 'x', '');
const text = fc.array(fc.oneof(namePieces, separators), { maxLength: 40 }).map((parts) => parts.join(''));
const names = fc.array(
  fc
    .array(fc.oneof(namePieces, fc.constantFrom(' ', '-', '.', ' & ')), { minLength: 1, maxLength: 5 })
    .map((parts) => parts.join('')),
  { maxLength: 3 },
);
const entities = fc.record({ persons: names, orgs: names, funds: names, locations: names, emails: names });
const runs = { numRuns: 800 };

describe('known entities: mention pre-filter', () => {
  test('when the scan would claim a mention, the filter says maybe', () => {
    fc.assert(
      fc.property(
        text,
        entities,
        fc.array(fc.tuple(fc.nat(60), fc.nat(8)), { maxLength: 4 }),
        (value, known, taken) => {
          const view = fold(value);
          const claims = (): Claims => {
            const result = new Claims(view.text.length);
            for (const [start, length] of taken)
              result.claim({
                start,
                end: Math.min(start + length, view.text.length),
                action: 'keep',
                detector: 'test',
              });
            return result;
          };
          const before = claims();
          const after = claims();
          claimVariants(view, after, allVariants(known), 'test');
          const claimedMore = after.all().length > before.all().length;
          const words = entityWords(known);
          if (claimedMore) expect(words.size > 0 && mentionsAnyWord(view, before, words)).toBe(true);
          if (words.size === 0) expect(allVariants(known)).toEqual([]);
        },
      ),
      runs,
    );
  });
});
