import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { digitRunStarts } from './text-scan';
import {
  mayHoldZipKeyword,
  NAME_FIRST,
  nameFirstMatches,
  POSTCODE_PATTERNS,
  ZIP_KEYWORD,
  ZIP_KEYWORD_BEGINNINGS,
} from './addresses';
import { wordOccurrences } from './addresses-scan';
import {
  SEPARATORS,
  spans,
  spansAt,
  spansEverywhere,
  wordsWithSeparators,
} from '../../../test/helpers/scanner-properties';

/** Street-address words (types, suffixed names, numbers) and the separators NAME_FIRST looks at. */
const words = fc.constantFrom(
  '5',
  '12',
  '123456',
  'a',
  'B',
  'é',
  'ß',
  'Street',
  'st',
  'St.',
  'ave',
  'Calle',
  'Mayor',
  "O'Neil",
  'de',
  'Haupt',
  'straße',
  'strasse',
  'str.',
  'weg',
  'Koski',
  'katu',
  'van',
  'x'.repeat(29),
  'Abcdefghijklmnopqrstuvwxyzabcd',
  'Abcdefghijklmnopqrstuvwxyzabcdstrasse',
  'x-Abcdefghijklmnopqrstuvwxyzabcdstrasse',
  '\u{1d400}',
  '\u{20000}',
);
const separators = fc.constantFrom(...SEPARATORS, '   ', "'");
const text = wordsWithSeparators(words, separators, 12);

describe('address scanners agree with the regexes they replace', () => {
  test('NAME_FIRST tried at the walked-back offsets finds what the global scan finds', () => {
    fc.assert(
      fc.property(text, (value) => {
        const expected = spans(value.matchAll(NAME_FIRST));
        expect(spans(nameFirstMatches(value, digitRunStarts({}, value)))).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  test('NAME_FIRST street types and suffixes are found in any case', () => {
    const cased = fc
      .array(
        fc.constantFrom(
          ...[
            'Haupt',
            'STRASSE',
            'Strasse',
            'gAsse',
            'WEG',
            'Str.',
            'STR.',
            'KATU',
            'Calle',
            'CALLE',
            'EMBANKMENT',
          ],
          ...['Mayor', 'x', 'é', ' ', '  ', '5', '12', '.', '-'],
        ),
        { maxLength: 8 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(cased, (value) => {
        const expected = spans(value.matchAll(NAME_FIRST));
        expect(spans(nameFirstMatches(value, digitRunStarts({}, value)))).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

/** Postcode pieces: keywords, state codes, postcode shapes and the separators around them. */
const postcodeWords = fc.constantFrom(
  ...['P.O. Box', 'po box', 'Postfach', 'caixa postal', 'Apt', 'apartment', 'Suite', 'unit', '#', 'box'],
  ...['PSC', 'cmr', 'APO', 'AE', 'USS', 'usns', 'Enterprise', 'CA', 'NY', 'Denmark', 'OULU', 'Main'],
  ...[
    'SW1A',
    '1AA',
    'K1A',
    '0B1',
    'EC1',
    '1234',
    'AB',
    'Amsterdam',
    '94105',
    '1234',
    '12345',
    '123456',
    '5',
    '42',
  ],
  ...[
    'zip',
    'ZIP code',
    'postcode',
    'post code',
    'postal code',
    'PLZ',
    'cp',
    'cap',
    'is',
    'was',
    'x',
    '_',
    'é',
  ],
);
const postcodeSeparators = fc.constantFrom(...SEPARATORS, ', ', ':', ')');
const postcodeText = wordsWithSeparators(postcodeWords, postcodeSeparators, 10);

describe('postcode patterns tried at their offsets', () => {
  test('find what scans of the whole text find', () => {
    fc.assert(
      fc.property(postcodeText, (value) => {
        const lower = value.toLowerCase();
        const view = {
          original: value,
          text: value,
          lower,
          starts: new Int32Array(0),
          ends: new Int32Array(0),
        };
        const scan = { view, text: value, lower, starts: digitRunStarts({}, value) };
        for (const { pattern, at } of POSTCODE_PATTERNS) {
          expect(spansAt(value, at(scan), pattern)).toEqual(spansEverywhere(value, pattern));
        }
        const zips = spansEverywhere(value, ZIP_KEYWORD);
        expect(spansAt(value, wordOccurrences(lower, ZIP_KEYWORD_BEGINNINGS), ZIP_KEYWORD)).toEqual(zips);
        if (zips.length > 0) expect(mayHoldZipKeyword(view)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
