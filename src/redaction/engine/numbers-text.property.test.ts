import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { collapseSpaces, hasDigit, trimSeparators } from './numbers-text';

const value = fc
  .array(
    fc.constantFrom(
      ' ',
      '  ',
      '\n',
      '\t',
      '\u00a0',
      '\u2028',
      '\ufeff',
      '\u180e',
      ',',
      '.',
      'a',
      '1',
      '٣',
      'é',
    ),
    {
      maxLength: 12,
    },
  )
  .map((parts) => parts.join(''));

describe('string edits without regexes', () => {
  test('agree with the regexes they replace', () => {
    fc.assert(
      fc.property(value, (text) => {
        expect(collapseSpaces(text)).toBe(text.replace(/\s+/g, ' '));
        expect(trimSeparators(text)).toBe(text.replace(/[\s,]+$/, ''));
        expect(trimSeparators(text, true)).toBe(text.replace(/[\s.,]+$/, ''));
        expect(hasDigit(text)).toBe(/\d/.test(text));
      }),
      { numRuns: 3000 },
    );
  });
});
