import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { classRuns } from './text-scan';
import { asciiClass, hasLongRun, longRuns } from './secrets-runs';
import { AUTH_HEADER, hasKeyRun, JWT, tokenPieces } from './secrets';
import { fold } from './fold';
import { someWordStarts } from './word-starts';

const pieces = fc.constantFrom(
  'a',
  'Z',
  '7',
  ' ',
  '.',
  '-',
  '~',
  '=',
  ':',
  '@',
  'é',
  'abcdefgh',
  'x'.repeat(19),
  ' \n',
);
const text = fc.array(pieces, { maxLength: 60 }).map((parts) => parts.join(''));
const isAlnumDash = (code: number): boolean => /[A-Za-z0-9-]/.test(String.fromCharCode(code));
const isTokenChar = (code: number): boolean => /[A-Za-z0-9+/=_\-.~]/.test(String.fromCharCode(code));

describe('long runs found by probing', () => {
  test('longRuns finds what /[class]{min,}/g finds, hasLongRun whether it finds any', () => {
    const table = asciiClass(isAlnumDash);
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 25 }), (value, min) => {
        const expected = [...value.matchAll(new RegExp(`[A-Za-z0-9-]{${min},}`, 'g'))].flatMap((m) => [
          m.index,
          m.index + m[0].length,
        ]);
        expect(longRuns(value, table, min)).toEqual(expected);
        expect(hasLongRun(value, table, min)).toBe(expected.length > 0);
      }),
      { numRuns: 1000 },
    );
  });

  test('tokenPieces cuts what classRuns cuts', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(tokenPieces(value)).toEqual(classRuns(value, isTokenChar, 20, 4096));
      }),
      { numRuns: 500 },
    );
    const long = 'a'.repeat(4096 * 2 + 25) + ' ' + 'b'.repeat(4096 + 19);
    expect(tokenPieces(long)).toEqual(classRuns(long, isTokenChar, 20, 4096));
  });
});

describe('secret keyword pre-filters on the word index', () => {
  const keywordPieces = fc.constantFrom(
    '-----BEGIN ',
    'BEGIN',
    'xBEGIN',
    'eyJ',
    'eyJabcde',
    'xeyJ',
    '.',
    'Authorization',
    'AUTH',
    'oauth',
    ': ',
    'Bearer ',
    'basic',
    'token',
    'abcdefgh1234',
    ' ',
    '_',
    'é',
    'ſ',
  );
  test('a PEM header, a JWT and an authorization header each begin a word the index knows', () => {
    fc.assert(
      fc.property(fc.array(keywordPieces, { maxLength: 20 }), (parts) => {
        const view = fold(parts.join(''));
        if (view.text.includes('-----BEGIN ')) expect(someWordStarts(view, ['beg'])).toBe(true);
        if ([...view.text.matchAll(JWT)].length > 0) expect(someWordStarts(view, ['eyj'])).toBe(true);
        if ([...view.text.matchAll(AUTH_HEADER)].length > 0) expect(someWordStarts(view, ['aut'])).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the high-entropy pre-filter', () => {
  test('every token piece lies in a long key run unless it holds a "~"', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.constant('abcdefghij~')), { maxLength: 40 }), (parts) => {
        const view = fold(parts.join(''));
        if (tokenPieces(view.text).length > 0) expect(hasKeyRun(view) || view.text.includes('~')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
