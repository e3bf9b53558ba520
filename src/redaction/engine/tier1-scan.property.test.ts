import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { fold } from './fold';
import { matchesAt } from './text-scan';
import { hintedWordStarts, hintIndex } from './tier1-scan';
import {
  bicShapes,
  digitStarts,
  IBAN_START,
  ibanStarts,
  isUpperWithDigit,
  KEYWORDS,
  NINO,
  ninoStarts,
  SSN_SHAPE,
  upperBicSpans,
} from './tier1';

/** Tier-1 patterns tried only at candidate offsets find what the same patterns find over the whole text. */
const keywordPieces = fc.constantFrom(
  ...KEYWORDS.flatMap((keyword) => keyword.hints),
  'a/c',
  'a-number',
  'ss#',
  'ss no',
  'steuer-id',
  "driver's license",
  'licence no',
  'sort-code',
  'Account',
  'ACCT',
  'x',
  '_',
  ' ',
  '\n',
  ':',
  '#',
  '-',
  '/',
  "'",
  's',
  '1234',
  'é',
);
const digitPieces = fc.constantFrom(
  'DE',
  'GB',
  'AB',
  'QQ',
  'de',
  'Ab',
  'DEUTDEFF',
  'NWBKGB2L',
  'X',
  '12',
  '123',
  '4',
  '0000',
  '666',
  ' ',
  '-',
  '.',
  ',',
  '/',
  '_',
  'C',
  'D',
  'é',
);
const textOf = (pieces: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join(''));
const runs = { numRuns: 500 };

const global = (pattern: RegExp): RegExp => new RegExp(pattern.source, pattern.flags.replace('y', '') + 'g');
const found = (matches: Iterable<RegExpMatchArray>): [number, string][] =>
  [...matches].map((match) => [match.index!, match[0]]);

describe('Tier-1 candidate offsets', () => {
  test('each keyword pattern, tried at its hint words, finds what it finds over the lower-case view', () => {
    const index = hintIndex(KEYWORDS.map((keyword) => keyword.hints));
    fc.assert(
      fc.property(textOf(keywordPieces), (value) => {
        const lower = fold(value).lower;
        const starts = hintedWordStarts(lower, index);
        KEYWORDS.forEach((keyword, k) => {
          const sticky = new RegExp(keyword.pattern.source, 'y');
          expect(found(matchesAt(lower, starts[k]!, sticky))).toEqual(found(lower.matchAll(keyword.pattern)));
        });
      }),
      runs,
    );
  });

  test('SSN, IBAN and NI patterns tried at digit-run offsets find what they find everywhere', () => {
    fc.assert(
      fc.property(textOf(digitPieces), (value) => {
        const view = fold(value);
        const text = view.text;
        const digits = digitStarts(view);
        expect(found(matchesAt(text, digits, SSN_SHAPE))).toEqual(found(text.matchAll(global(SSN_SHAPE))));
        expect(found(matchesAt(text, ibanStarts(digits), IBAN_START))).toEqual(
          found(text.matchAll(global(IBAN_START))),
        );
        expect(found(matchesAt(text, ninoStarts(text, digits), NINO))).toEqual(
          found(text.matchAll(global(NINO))),
        );
      }),
      runs,
    );
  });

  test('upper-case BICs with a digit are found from digit runs', () => {
    fc.assert(
      fc.property(textOf(digitPieces), (value) => {
        const view = fold(value);
        const spans = upperBicSpans(view.text, digitStarts(view));
        const candidates: [number, number][] = [];
        for (let k = 0; k < spans.length; k += 2) candidates.push([spans[k]!, spans[k + 1]!]);
        const shapes = bicShapes(view.text).map((shape): [number, number] => [
          shape.index,
          shape.index + shape.code.length,
        ]);
        const upper = ([start, end]: [number, number]): boolean => isUpperWithDigit(view.text, start, end);
        expect(candidates.filter(upper)).toEqual(shapes.filter(upper));
        expect(shapes).toEqual(expect.arrayContaining(candidates));
        for (const shape of bicShapes(view.text)) {
          const code = shape.code;
          expect(isUpperWithDigit(view.text, shape.index, shape.index + code.length)).toBe(
            code === code.toUpperCase() && /\d/.test(code.slice(6)),
          );
        }
      }),
      runs,
    );
  });
});
