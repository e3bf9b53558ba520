import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { matchesAt } from './text-scan';
import { digitRuns } from './numbers-digits';
import { CURRENCY_AFTER, CURRENCY_AFTER_WORDS, MAGNITUDE_ONLY } from './amounts';
import { currencyAfterStarts, figureStarts, magnitudeStarts, stretchEnds } from './amounts-figures';

const figure = fc.constantFrom('1', '250', '1,000', '2.5', '.5', ',75', "1'000", '1 000', '$', 'US$', '');
const joiner = fc.constantFrom(
  ...[
    '',
    ' ',
    '  ',
    '\n',
    '\u00a0',
    '-',
    ' - ',
    ' – ',
    ' to ',
    'toUS$',
    ' and ',
    'andCHF',
    '_',
    'a',
    ',',
    '.',
  ],
);
const word = fc.constantFrom(
  ...[
    '',
    'k',
    'M',
    'bn',
    'Mn',
    ' million',
    ' Thousand',
    'tn',
    ' lakhs',
    ' dollars',
    ' pounds sterling',
    'EUR',
  ],
  ...['usd', ' sats', 'msats', 'USDT', 'grand', 'Euros', 'tokens', 'x', 'é', 'ſ', 'B', 'to'],
);
const text = fc.array(fc.tuple(figure, joiner, word), { maxLength: 6 }).map((parts) => parts.flat().join(''));

const spans = (matches: RegExpExecArray[]) => matches.map((match) => [match.index, match[0]]);

describe('figure starts', () => {
  test('CURRENCY_AFTER and MAGNITUDE_ONLY match the same from the filtered starts', () => {
    fc.assert(
      fc.property(text, (value) => {
        const starts = digitRuns({}, value);
        const figures = figureStarts(value, starts);
        const ends = stretchEnds(value, figures);
        const currencyAfter = currencyAfterStarts(value, figures, ends, CURRENCY_AFTER_WORDS);
        expect(spans(matchesAt(value, currencyAfter, CURRENCY_AFTER))).toEqual(
          spans(matchesAt(value, starts, CURRENCY_AFTER)),
        );
        expect(spans(matchesAt(value, magnitudeStarts(value, figures, ends), MAGNITUDE_ONLY))).toEqual(
          spans(matchesAt(value, starts, MAGNITUDE_ONLY)),
        );
      }),
      { numRuns: 5000 },
    );
  });
});
