import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { digitRunStarts } from './text-scan';
import { DATE_PATTERNS, dateScan } from './dates';
import {
  SEPARATORS,
  expectAnchoredLikeEverywhere,
  wordsWithSeparators,
} from '../../../test/helpers/scanner-properties';

/** Date pieces: digits of every length, month and weekday names, and the separators around them. */
const words = fc.constantFrom(
  ...['1', '07', '15', '31', '123', '2024', '1999', '20245', "'24"],
  ...['March', 'mar.', 'SEPT.', 'septiembre', 'Dezember', 'mai', 'märz', 'février', 'déc'],
  ...['Monday', 'Wednesday', 'wed.', 'Thurs', 'saturday', 'day', 'today', 'morning', '15th', '2nd'],
  ...['of', 'st', 'th', 'Q3', 'h1', 'FY', 'fy', 'am', 'p.m.', 'T', 'Z', 'utc', 'x', 'é', 'ß'],
);
const separators = fc.constantFrom(...SEPARATORS, ',  ', "  '", '/', ':', "'");
const text = wordsWithSeparators(words, separators, 10);

function expectSameMatches(value: string): void {
  expectAnchoredLikeEverywhere(
    value,
    dateScan(value, value.toLowerCase(), digitRunStarts({}, value)),
    DATE_PATTERNS,
  );
}

describe('date scanners agree with the regexes they replace', () => {
  test.each([
    "Wednesday,  septiembre  '24",
    'x Wednesday,  septiembre  2024 at 10:30',
    '15th  of March 2024',
    "Q3'24, FY 24, fy2024, 2024 Q3, H1 2025",
    'on Wednesday morning, 9 am, 23:59:59 p.m.',
    '15/03/2024, 3-15-24, 2024-03-15T10:30:00Z and 2024.3.5',
  ])('at the longest reaches: %s', (value) => {
    expectSameMatches(value);
    expect(DATE_PATTERNS.some(({ pattern }) => new RegExp(pattern.source, 'i').test(value))).toBe(true);
  });

  test('every date pattern tried at its offsets finds what a scan of the whole text finds', () => {
    fc.assert(fc.property(text, expectSameMatches), { numRuns: 3000 });
  });
});
