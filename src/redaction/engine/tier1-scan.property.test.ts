import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { fold } from './fold';
import { matchesAt } from './text-scan';
import { hintedWordStarts, hintIndex, windowsBefore } from './tier1-scan';
import {
  bicShapes,
  digitStarts,
  IBAN_START,
  ibanStarts,
  identifierDigits,
  isUpperWithDigit,
  KEYWORD_REACH,
  keywordIdentifiers,
  KEYWORDS,
  LONGEST_KEYWORD,
  NINO,
  ninoStarts,
  SSN_SHAPE,
  ssnStarts,
  upperBicSpans,
} from './tier1';

/** Tier-1 patterns tried only at candidate offsets find what the same patterns find over the whole text. */
const keywordWords = [
  'a',
  'bank',
  'code',
  'custody',
  'sort',
  'payment',
  'transfer',
  'reference',
  'ss',
  'social',
  'security',
  'insurance',
  'tax',
  'identification',
  'taxpayer',
  'id',
  'national',
  'steuer',
  'codice',
  'fiscale',
  'driver',
  'drivers',
  'driving',
  'licence',
  'license',
  'no',
  'number',
  'card',
  'identity',
  'government',
  'gov',
  'pan',
  'nhs',
  'health',
  'voter',
  'residence',
  'permit',
  'green',
  'alien',
];
const keywordPieces = fc.constantFrom(
  ...KEYWORDS.flatMap((keyword) => keyword.hints),
  ...keywordWords,
  'tax id number',
  'tax id card',
  'national id number',
  "driver's licence no",
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
/** A keyword, fillers, then an identifier with its first digit at any distance from the keyword. */
const keywordThenIdentifier = fc
  .tuple(
    fc.constantFrom(...KEYWORDS.flatMap((keyword) => keyword.hints), 'national id number', 'bank account'),
    fc.integer({ min: 0, max: 17 }),
    fc.constantFrom(' ', ': ', '#', '\n', '  ', ' the ', ''),
    fc.integer({ min: 0, max: 16 }),
    fc.constantFrom('-', '.', '/', ' ', '_'),
    fc.constantFrom('1', '12', '1234', '123456789', 'x'),
  )
  .map(
    ([keyword, fillers, separator, groups, glue, digits]) =>
      keyword + ' no'.repeat(fillers) + separator + `AB${glue}`.repeat(groups) + digits,
  );
const identifierText = fc
  .array(
    fc.oneof(
      keywordThenIdentifier,
      fc.constantFrom(
        ' ',
        'lorem ipsum ',
        '7',
        '[',
        '\n',
        '[PERSON_1]',
        '[CARD_12]',
        '[DATE_3',
        'AB_4',
        '[ip_5]',
      ),
    ),
    {
      maxLength: 6,
    },
  )
  .map((parts) => parts.join(''));
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

  /** Keyword-like lists whose matches overlap in chains: "aa bb" covers "bb cc", which covers "cc". */
  const chained = [
    { hints: ['aa bb', 'cc'], pattern: /\b(?:aa bb|cc dd|cc)\b/g },
    { hints: ['bb cc', 'bb', 'cc dd'], pattern: /\b(?:bb cc|bb|cc dd)\b/g },
  ];
  const chainedPieces = fc.constantFrom('aa', 'bb', 'cc', 'dd', ' ', 'aa bb cc dd', '-');

  test.each([
    ['the keyword patterns', KEYWORDS, keywordPieces, LONGEST_KEYWORD],
    ['patterns whose matches overlap in chains', chained, chainedPieces, 5],
  ])(
    'hints within windows give the matches of all hints that start in the windows: %s',
    (_, lists, pieces, overlap) => {
      const index = hintIndex(lists.map((list) => list.hints));
      const stickies = lists.map((list) => new RegExp(list.pattern.source, 'y'));
      const agree = (lower: string, all: number[][], windows: number[]): void => {
        const inWindows = (offset: number): boolean =>
          windows.some((start, k) => k % 2 === 0 && start <= offset && offset < windows[k + 1]!);
        const windowed = hintedWordStarts(lower, index, windows, overlap);
        stickies.forEach((sticky, k) => {
          const expected = found(matchesAt(lower, all[k]!, sticky)).filter(([at]) => inWindows(at));
          expect(found(matchesAt(lower, windowed[k]!, sticky)).filter(([at]) => inWindows(at))).toEqual(
            expected,
          );
        });
      };
      const cuts = fc
        .uniqueArray(fc.nat(), { maxLength: 6 })
        .map((values) => values.sort((a, b) => a - b).slice(values.length % 2));
      fc.assert(
        fc.property(textOf(pieces), cuts, (value, offsets) => {
          const lower = fold(value).lower;
          const all = hintedWordStarts(lower, index);
          // Every single window to the end, and a few random ones.
          for (let start = 0; start <= lower.length; start += 1) agree(lower, all, [start, lower.length]);
          agree(
            lower,
            all,
            offsets
              .map((offset) => Math.min(offset, lower.length))
              .filter((cut, k, list) => k % 2 === 0 || cut > list[k - 1]!),
          );
        }),
        { numRuns: 200 },
      );
    },
  );

  test('no keyword pattern matches more than LONGEST_KEYWORD characters', () => {
    for (const keyword of KEYWORDS)
      expect(longestMatch(keyword.pattern.source)).toBeLessThanOrEqual(LONGEST_KEYWORD);
    expect(Math.max(...KEYWORDS.map((keyword) => longestMatch(keyword.pattern.source)))).toBe(
      LONGEST_KEYWORD,
    );
  });

  test('keyword identifiers looked for only before digit runs are all there are', () => {
    fc.assert(
      fc.property(identifierText, (value) => {
        const view = fold(value);
        const windows = windowsBefore(identifierDigits(view.text, digitStarts(view)), KEYWORD_REACH);
        expect(keywordIdentifiers(view, windows)).toEqual(keywordIdentifiers(view));
      }),
      { numRuns: 2000 },
    );
  });

  test('SSN, IBAN and NI patterns tried at digit-run offsets find what they find everywhere', () => {
    fc.assert(
      fc.property(textOf(digitPieces), (value) => {
        const view = fold(value);
        const text = view.text;
        const digits = digitStarts(view);
        expect(found(matchesAt(text, ssnStarts(text, digits), SSN_SHAPE))).toEqual(
          found(text.matchAll(global(SSN_SHAPE))),
        );
        expect(found(matchesAt(text, ibanStarts(text, digits), IBAN_START))).toEqual(
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

/**
 * The longest text a keyword pattern can match, read off its source: literals, escapes, `\\b`,
 * character classes, `(?:…|…)` groups and `?` (the only constructs the keyword patterns use).
 */
function longestMatch(source: string): number {
  let at = 0;
  const alternatives = (): number => {
    let longest = 0;
    let length = 0;
    while (at < source.length && source[at] !== ')') {
      if (source[at] === '|') {
        longest = Math.max(longest, length);
        length = 0;
        at += 1;
        continue;
      }
      let atom: number;
      if (source.startsWith('(?:', at)) {
        at += 3;
        atom = alternatives();
        at += 1; // ")"
      } else if (source[at] === '[') {
        at = source.indexOf(']', at) + 1;
        atom = 1;
      } else if (source[at] === '\\') {
        atom = source[at + 1] === 'b' ? 0 : 1;
        at += 2;
      } else {
        if ('*+{'.includes(source[at]!)) throw new Error(`unbounded pattern: ${source}`);
        atom = 1;
        at += 1;
      }
      if (source[at] === '?') at += 1;
      length += atom;
    }
    return Math.max(longest, length);
  };
  return alternatives();
}
