import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { digitRuns } from './numbers-digits';
import { NUMBER_FIRST, NUMBER_NAME_NUMBER, POSTCODE_PATTERNS } from './addresses';
import { houseNumberStarts, numberNameStarts } from './addresses-numbers';
import { fold } from './fold';
import { joinedPieces, spansAt, spansEverywhere } from '../../../test/helpers/scanner-properties';

const text = joinedPieces(
  [
    ...[
      '1',
      '221',
      '1234567',
      '12',
      ' ',
      '  ',
      '\n',
      '\u00a0',
      'b',
      'B',
      '-',
      '/',
      ',',
      '.',
      '_',
      'ſ',
      '\u212a',
    ],
    ...['7 12 ', '5  ', 'Baker ', 'Street', ' st', 'Koskikatu ', 'de ', 'Über', 'é', 'road', ' NW', 'x'],
  ],
  16,
);

/** The postcode pattern whose source `is` picks, tried at its offsets, finds what a whole-text scan finds. */
function expectPostcodeOffsetsComplete(pieces: readonly string[], is: (source: string) => boolean): void {
  const { pattern, at } = POSTCODE_PATTERNS.find(({ pattern }) => is(pattern.source))!;
  fc.assert(
    fc.property(joinedPieces(pieces, 10), (value) => {
      const view = fold(value);
      const scan = { view, text: value, lower: view.lower, starts: digitRuns({}, value) };
      expect(spansAt(value, at(scan), pattern)).toEqual(spansEverywhere(value, pattern));
    }),
    { numRuns: 5000 },
  );
}

describe('house number starts', () => {
  test('NUMBER_FIRST and NUMBER_NAME_NUMBER match the same from the filtered starts', () => {
    fc.assert(
      fc.property(text, (value) => {
        const starts = digitRuns({}, value);
        const houseNumbers = houseNumberStarts(value, starts);
        expect(spansAt(value, houseNumbers, NUMBER_FIRST)).toEqual(spansAt(value, starts, NUMBER_FIRST));
        expect(spansAt(value, numberNameStarts(value, houseNumbers), NUMBER_NAME_NUMBER)).toEqual(
          spansAt(value, starts, NUMBER_NAME_NUMBER),
        );
      }),
      { numRuns: 5000 },
    );
  });

  test('Dutch postcodes are tried where four digits meet two capitals', () => {
    expectPostcodeOffsetsComplete(
      ['1234', '12345', ' ', '  ', '', 'AB', 'A', 'ab', 'Amsterdam', 'x', '\n', '_'],
      (source) => source.includes('[A-Z][a-z]'),
    );
  });

  test('trailing postcodes are tried where three to six digits end a line', () => {
    expectPostcodeOffsetsComplete(
      [
        ...['Denmark', 'OULU', 'Éire', 'x', ' ', '  ', '    ', '\n', '\t', '.', ',', ')', '-', '\u00a0'],
        ...['12', '123', '12345', '123456', '1234567', '99', ' 12', '-99', ' 12345'],
      ],
      (source) => source.startsWith('(?<=\\p{Lu}'),
    );
  });
});
