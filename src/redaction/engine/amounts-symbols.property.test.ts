import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { digitRunStarts, matchesAt } from './text-scan';
import { SYMBOL_FIRST, symbolFirstOffsets } from './amounts';

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
const separators = fc.constantFrom(' ', ' ', '', '', '', '-', ' -', '  ', '.', ',', '\u00a0', '\n');
const text = fc
  .array(fc.tuple(words, separators), { maxLength: 12 })
  .map((parts) => parts.map(([word, separator]) => word + separator).join(''));

const spans = (matches: Iterable<RegExpExecArray>): number[][] =>
  [...matches].map((match) => [match.index, match.index + match[0].length]);

describe('amount scanners agree with the regexes they replace', () => {
  test('SYMBOL_FIRST tried before figure starts finds what a scan of the whole text finds', () => {
    const everywhere = new RegExp(SYMBOL_FIRST.source, 'g');
    fc.assert(
      fc.property(text, (value) => {
        const offsets = symbolFirstOffsets(value, digitRunStarts({}, value));
        expect(spans(matchesAt(value, offsets, SYMBOL_FIRST))).toEqual(spans(value.matchAll(everywhere)));
      }),
      { numRuns: 3000 },
    );
  });
});
