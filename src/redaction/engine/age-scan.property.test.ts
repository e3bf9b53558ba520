import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { digitRunStarts } from './text-scan';
import { AGE_PATTERNS, ageScan } from './age';
import {
  SEPARATORS,
  expectAnchoredLikeEverywhere,
  wordsWithSeparators,
} from '../../../test/helpers/scanner-properties';

const words = fc.constantFrom(
  ...['5', '45', '123', '1234', 'age', 'aged', 'age:', 'Ages', 'of', 'about', 'turned', 'Turning'],
  ...[
    'I',
    'he',
    'She',
    'they',
    'was',
    'is',
    "'m",
    'only',
    'nearly',
    'years',
    'year',
    'old',
    'yo',
    'y/o',
    'yrs',
  ],
  ...['and', 'when', 'x', '(', '_', 'é', '%'],
);
const separators = fc.constantFrom(...SEPARATORS, '   ');
const text = wordsWithSeparators(words, separators, 10);

function expectSameMatches(value: string): void {
  expectAnchoredLikeEverywhere(
    value,
    ageScan(value, value.toLowerCase(), digitRunStarts({}, value)),
    AGE_PATTERNS,
  );
}

describe('age scanners agree with the regexes they replace', () => {
  test.each(['she was almost  45 years old', 'aged about  79', 'a 45-year-old', 'ages of 7', 'Age:  5'])(
    'at the longest reaches: %s',
    (value) => {
      expectSameMatches(value);
      expect(AGE_PATTERNS.some(({ pattern }) => new RegExp(pattern.source, 'i').test(value))).toBe(true);
    },
  );

  test('every age pattern tried at its offsets finds what a scan of the whole text finds', () => {
    fc.assert(fc.property(text, expectSameMatches), { numRuns: 3000 });
  });
});
