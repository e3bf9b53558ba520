import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { fold, type FoldedText } from './fold';
import { Claims } from './span';
import { digitRuns, digitRunsOutsidePlaceholders } from './numbers-digits';
import { claimAmounts } from './amounts';
import { claimDates } from './dates';
import { claimAddresses } from './addresses';
import { joinedPieces } from '../../../test/helpers/scanner-properties';

/** Placeholders and the pieces the amount, date and address patterns are made of. */
const text = joinedPieces(
  [
    ...['[PERSON_', '[DATE_', '[AMOUNT_', '[IP_', '_', ']', '1', '7', '19', '20', '24', '2024', '99999'],
    ...[' ', '  ', '-', '/', '.', ',', ':', "'", '$', 'USD ', 'EUR', 'q', 'h', 'fy', 'st', 'th', ' am'],
    ...['march ', 'Mon ', 'of ', 'Main Street', 'Koskikatu ', 'ul. ', 'CA ', 'SW', 'K1A ', 'AB'],
    ...['zip ', 'po box ', 'apt ', 'uss ', 'APO AE ', 'million', 'k', 'years old', '\n'],
  ],
  24,
);

type Layer = (view: FoldedText, claims: Claims, starts: readonly number[]) => void;

function findings(layer: Layer, view: FoldedText, starts: readonly number[]) {
  const claims = new Claims(view.text.length);
  layer(view, claims, starts);
  const all = claims.all();
  claims.release();
  return all;
}

describe('digit runs outside placeholders', () => {
  test.each([
    ['amounts', claimAmounts],
    ['dates', claimDates],
    ['addresses', claimAddresses],
  ] as [string, Layer][])('%s find the same with or without placeholder numbers', (_name, layer) => {
    fc.assert(
      fc.property(text, (value) => {
        const view = fold(value);
        const all = findings(layer, view, digitRuns({}, view.text));
        expect(findings(layer, view, digitRunsOutsidePlaceholders({}, view.text))).toEqual(all);
      }),
      { numRuns: 5000 },
    );
  });

  test('keeps every run that is not a placeholder number', () => {
    const value = 'a_12] [PERSON_3] [DATE_2019] x_5 7] [ORG_45]x';
    const kept = digitRunsOutsidePlaceholders({}, value).map((start) => value.slice(start, start + 4));
    expect(kept).toEqual(['2019', '5 7]', '7] [']);
  });
});
