import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { matchesAt } from './text-scan';
import { lookalikeStarts } from './placeholders-scan';
import { LOOKALIKE, LOOKALIKE_AT } from './placeholders';

const pieces = fc.constantFrom(
  '[',
  ']',
  '<',
  '>',
  '(',
  ')',
  '{',
  '}',
  '\\',
  '_',
  '-',
  ' ',
  '  ',
  '\n',
  'PERSON',
  'person',
  'Ip',
  'CARD',
  'SECRETS',
  'XPERSON',
  'ORG',
  'a',
  '1',
  '07',
  '123456789012',
  '9',
  'é',
  '[PERSON_1]',
  'EMAIL-2',
);
const text = fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join(''));

describe('placeholder look-alike candidates', () => {
  test('the look-alike pattern tried at lookalikeStarts finds what it finds everywhere', () => {
    fc.assert(
      fc.property(text, (value) => {
        const actual = matchesAt(value, lookalikeStarts(value), LOOKALIKE_AT).map((m) => [m.index, m[0]]);
        const expected = [...value.matchAll(LOOKALIKE)].map((m) => [m.index, m[0]]);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
