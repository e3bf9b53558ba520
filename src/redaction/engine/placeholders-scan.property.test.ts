import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { matchesAt } from './text-scan';
import { lookalikeSpans, lookalikeStarts, PlaceholderShapes } from './placeholders-scan';
import { LOOKALIKE, LOOKALIKE_AT, PLACEHOLDER_EXACT, PLACEHOLDER_TYPES } from './placeholders';

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
  '[PERSON_1',
  '[IP_123456789]',
  '[IP_1234567890]',
  '[CARD_0]',
  '[Card_7]',
  '[REDACTED]',
  '(415)',
  '[ DATE 3 ]',
  '<url\\_4>',
  'key-person',
  'EMAIL-2',
  'Email\\_2',
  '\u00a0',
  'ſ',
  'K',
);
const text = fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join(''));

const shapes = new PlaceholderShapes(PLACEHOLDER_TYPES);

describe('placeholder look-alike candidates', () => {
  test('look-alike spans are the matches of the look-alike pattern', () => {
    fc.assert(
      fc.property(text, (value) => {
        const spans = lookalikeSpans(value, shapes, LOOKALIKE_AT);
        const actual: [number, number][] = [];
        for (let k = 0; k < spans.length; k += 2) actual.push([spans[k]!, spans[k + 1]!]);
        const expected = [...value.matchAll(LOOKALIKE)].map((m) => [m.index, m.index + m[0].length]);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  test('an exact placeholder read in place is one the exact pattern accepts', () => {
    fc.assert(
      fc.property(text, fc.nat(), (value, cut) => {
        const start = value.length === 0 ? 0 : cut % value.length;
        for (let end = start; end <= value.length; end += 1)
          expect(shapes.exactEnd(value, start) === end).toBe(PLACEHOLDER_EXACT.test(value.slice(start, end)));
      }),
      { numRuns: 1000 },
    );
  });

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
