import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { digitRunStarts } from './text-scan';
import { SYMBOL_FIRST, symbolFirstOffsets } from './amounts';
import {
  SEPARATORS,
  spansAt,
  spansEverywhere,
  wordsWithSeparators,
} from '../../../test/helpers/scanner-properties';

const words = fc.constantFrom(
  ...[
    '$',
    'US$',
    'USD$',
    'Mex$',
    '€',
    '£',
    'Fr.',
    'CHF',
    'Rs.',
    'Rs',
    'kr.',
    'kr',
    'USD',
    'USDT',
    'msats',
    'sats',
  ],
  ...['5', '2.5', '1,200,000', '.5', ',75', '3', '-', 'M', 'bn', 'to', 'and', 'x', 'A', '_', 'é'],
);
const separators = fc.constantFrom(...SEPARATORS, ' -');
const text = wordsWithSeparators(words, separators, 12);

describe('amount scanners agree with the regexes they replace', () => {
  test('SYMBOL_FIRST tried before figure starts finds what a scan of the whole text finds', () => {
    fc.assert(
      fc.property(text, (value) => {
        const offsets = symbolFirstOffsets(value, digitRunStarts({}, value));
        expect(spansAt(value, offsets, SYMBOL_FIRST)).toEqual(spansEverywhere(value, SYMBOL_FIRST));
      }),
      { numRuns: 3000 },
    );
  });
});
