import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { digitRunStarts } from './text-scan';
import { NAME_FIRST, nameFirstMatches } from './addresses';

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
const separators = fc.constantFrom(
  ' ',
  ' ',
  ' ',
  ' ',
  '  ',
  '   ',
  '',
  '',
  '.',
  '-',
  "'",
  ',',
  '\n',
  '\u00a0',
);
const text = fc
  .array(fc.tuple(words, separators), { maxLength: 12 })
  .map((parts) => parts.map(([word, separator]) => word + separator).join(''));

const spans = (matches: Iterable<RegExpExecArray>): number[][] =>
  [...matches].map((match) => [match.index, match.index + match[0].length]);

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
});
