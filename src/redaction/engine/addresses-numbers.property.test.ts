import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { matchesAt } from './text-scan';
import { digitRuns } from './numbers-digits';
import { NUMBER_FIRST, NUMBER_NAME_NUMBER, POSTCODE_PATTERNS } from './addresses';
import { fold } from './fold';
import { houseNumberStarts, numberNameStarts } from './addresses-numbers';

const text = fc
  .array(
    fc.constantFrom(
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
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(''));

const spans = (matches: RegExpExecArray[]) => matches.map((match) => [match.index, match[0]]);

describe('house number starts', () => {
  test('NUMBER_FIRST and NUMBER_NAME_NUMBER match the same from the filtered starts', () => {
    fc.assert(
      fc.property(text, (value) => {
        const starts = digitRuns({}, value);
        const houseNumbers = houseNumberStarts(value, starts);
        expect(spans(matchesAt(value, houseNumbers, NUMBER_FIRST))).toEqual(
          spans(matchesAt(value, starts, NUMBER_FIRST)),
        );
        expect(spans(matchesAt(value, numberNameStarts(value, houseNumbers), NUMBER_NAME_NUMBER))).toEqual(
          spans(matchesAt(value, starts, NUMBER_NAME_NUMBER)),
        );
      }),
      { numRuns: 5000 },
    );
  });

  test('Dutch postcodes are tried where four digits meet two capitals', () => {
    const dutch = fc
      .array(fc.constantFrom('1234', '12345', ' ', '  ', '', 'AB', 'A', 'ab', 'Amsterdam', 'x', '\n', '_'), {
        maxLength: 10,
      })
      .map((parts) => parts.join(''));
    const pattern = POSTCODE_PATTERNS.find(({ pattern }) => pattern.source.includes('[A-Z][a-z]'))!;
    fc.assert(
      fc.property(dutch, (value) => {
        const view = fold(value);
        const scan = { view, text: value, lower: view.lower, starts: digitRuns({}, value) };
        const everywhere = new RegExp(pattern.pattern.source, 'g');
        expect(spans(matchesAt(value, pattern.at(scan), pattern.pattern))).toEqual(
          spans([...value.matchAll(everywhere)]),
        );
      }),
      { numRuns: 3000 },
    );
  });

  test('trailing postcodes are tried where three to six digits end a line', () => {
    const lines = fc
      .array(
        fc.constantFrom(
          ...['Denmark', 'OULU', 'Éire', 'x', ' ', '  ', '    ', '\n', '\t', '.', ',', ')', '-', '\u00a0'],
          ...['12', '123', '12345', '123456', '1234567', '99', ' 12', '-99', ' 12345'],
        ),
        { maxLength: 10 },
      )
      .map((parts) => parts.join(''));
    const pattern = POSTCODE_PATTERNS.find(({ pattern }) => pattern.source.startsWith('(?<=\\p{Lu}'))!;
    fc.assert(
      fc.property(lines, (value) => {
        const view = fold(value);
        const scan = { view, text: value, lower: view.lower, starts: digitRuns({}, value) };
        const everywhere = new RegExp(pattern.pattern.source, 'gu');
        expect(spans(matchesAt(value, pattern.at(scan), pattern.pattern))).toEqual(
          spans([...value.matchAll(everywhere)]),
        );
      }),
      { numRuns: 5000 },
    );
  });
});
