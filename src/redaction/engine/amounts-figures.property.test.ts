import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { matchesAt } from './text-scan';
import { digitRuns } from './numbers-digits';
import { CURRENCY_AFTER, MAGNITUDE_ONLY } from './amounts';
import { figureStarts, magnitudeStarts } from './amounts-figures';

const text = fc
  .array(
    fc.constantFrom(
      ...['1', '250', '1,000', '2.5', '.5', ',75', "1'000", ' ', '  ', '\n', '\u00a0', '-', ' to ', 'a', '_'],
      ...[
        'k',
        'M',
        'bn',
        'Mn',
        ' million',
        ' Thousand',
        ' trillion',
        'mm',
        ' dollars',
        ' EUR',
        'usd',
        ' sats',
      ],
      ...['$', '€', 'US$', 'CHF', 'x', 'é', 'ſ', '.', ','],
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(''));

const spans = (matches: RegExpExecArray[]) => matches.map((match) => [match.index, match[0]]);

describe('figure starts', () => {
  test('CURRENCY_AFTER and MAGNITUDE_ONLY match the same from the filtered starts', () => {
    fc.assert(
      fc.property(text, (value) => {
        const starts = digitRuns({}, value);
        const figures = figureStarts(value, starts);
        expect(spans(matchesAt(value, figures, CURRENCY_AFTER))).toEqual(
          spans(matchesAt(value, starts, CURRENCY_AFTER)),
        );
        expect(spans(matchesAt(value, magnitudeStarts(value, figures), MAGNITUDE_ONLY))).toEqual(
          spans(matchesAt(value, starts, MAGNITUDE_ONLY)),
        );
      }),
      { numRuns: 5000 },
    );
  });
});
