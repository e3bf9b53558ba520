import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { fold } from './fold';
import { classRuns, hasBoundaryDigit, hasRun, isAsciiAlnum, isRegexSpace } from './text-scan';
import { someWordIs, someWordStarts } from './word-starts';
import { isBip39Word, isBip39WordAt } from '../validators/bip39';
import { BIP39_ENGLISH } from './wordlists/bip39-english';
import { maySymbolStart, SYMBOL_FIRST } from './amounts';
import { bicShapes } from './tier1';

/**
 * The scanners and pre-filters that replace or skip regex scans must agree with the patterns
 * they stand for: a pre-filter may say "maybe" too often, never "no" when the pattern matches.
 */
const pieces = fc.constantFrom(
  'a',
  'Z',
  '7',
  ' ',
  '\n',
  '\u00a0',
  '_',
  '-',
  '.',
  '/',
  '+',
  '=',
  '~',
  "'",
  ':',
  'é',
  'ß',
  'acct',
  'a/c',
  'dl#',
  'yrs',
  'p.o. box',
  'pobox',
  'Ste',
  'age',
  'accounts',
  'ssn',
  'ss#',
  'steuer-id',
  'DEUTDEFF',
  'NWBKGB2L',
  'bank01',
);
const text = fc.array(pieces, { maxLength: 80 }).map((parts) => parts.join(''));
const runs = { numRuns: 400 };

describe('scanners agree with the regexes they replace', () => {
  test('classRuns finds what /[A-Za-z0-9+/=_\\-.~]{min,max}/g finds', () => {
    const isTokenChar = (code: number): boolean => /[A-Za-z0-9+/=_\-.~]/.test(String.fromCharCode(code));
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 8 }),
        (value, min, extra) => {
          const max = min + extra;
          const pattern = new RegExp(`[A-Za-z0-9+/=_\\-.~]{${min},${max}}`, 'g');
          const expected = [...value.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length]);
          const actual = classRuns(value, isTokenChar, min, max).map((r) => [r.start, r.end]);
          expect(actual).toEqual(expected);
        },
      ),
      runs,
    );
  });

  test('hasRun and hasBoundaryDigit answer like their regexes', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 5 }), (value, min) => {
        expect(hasRun(value, isAsciiAlnum, min)).toBe(new RegExp(`[A-Za-z0-9]{${min}}`).test(value));
        expect(hasBoundaryDigit(value)).toBe(/\b\d/.test(value));
      }),
      runs,
    );
  });

  test('bicShapes finds what the BIC pattern finds', () => {
    const bic = /\b[A-Za-z]{4}[A-Za-z]{2}[A-Za-z0-9]{2}(?:[A-Za-z0-9]{3})?\b/g;
    const extra = fc.constantFrom('DEUTDEFF', 'DEUTDEFF500', 'abcdefgh', 'ABCDEF12', 'ABCDE123', 'é', '_');
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, extra), { maxLength: 30 }), (parts) => {
        const value = parts.join('');
        const expected = [...value.matchAll(bic)].map((match) => ({ index: match.index, code: match[0] }));
        expect(bicShapes(value)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  test('isRegexSpace is the regex \\s', () => {
    const disagreeing: number[] = [];
    for (let code = 0; code <= 0xffff; code += 1)
      if (isRegexSpace(code) !== /\s/.test(String.fromCharCode(code))) disagreeing.push(code);
    expect(disagreeing).toEqual([]);
  });

  test('word-list look-ups by position agree with look-ups by word', () => {
    for (const word of [...BIP39_ENGLISH.split(' '), 'zzz', 'abandonx', 'ab', 'the', 'aboutt']) {
      expect(isBip39WordAt(`(${word})`, 1, word.length + 1)).toBe(isBip39Word(word));
    }
  });
});

describe('whole-word pre-filters never hide a match', () => {
  const cases: [RegExp, string[]][] = [
    [
      /\b(?:account|acct|acc|a\/c|bank account|custody account)s?\b/g,
      ['account', 'accounts', 'acct', 'accts', 'acc', 'accs', 'a', 'bank', 'custody'],
    ],
    [/\b(?:ssn|ss#|ss no|steuer-id|tax id)\b/g, ['ssn', 'ss', 'steuer', 'tax']],
  ];
  test.each(cases)('%s', (pattern, words) => {
    fc.assert(
      fc.property(text, (value) => {
        const view = fold(value);
        if ([...view.lower.matchAll(pattern)].length > 0) expect(someWordIs(view, words)).toBe(true);
      }),
      runs,
    );
  });
});

describe('the word index', () => {
  test('answers for the text asked about, also when texts take turns', () => {
    const first = fold('Wire the funds to account 12345678');
    const second = fold('nothing relevant here');
    expect(someWordIs(first, ['account'])).toBe(true);
    expect(someWordIs(second, ['account'])).toBe(false);
    expect(someWordStarts(first, ['wir'])).toBe(true);
    expect(someWordStarts(second, ['wir'])).toBe(false);
    expect(someWordIs(first, ['accounts', 'wired'])).toBe(false);
  });
});

describe('keyword pre-filters never hide a match', () => {
  const cases: [RegExp, string[]][] = [
    [/\b(?:account|acct|acc|a\/c|bank account|custody account)s?\b/gi, ['acc', 'a', 'ban', 'cus']],
    [/\b(?:driver'?s? licen[cs]e|dl|dl#|id card|a-number)\b/gi, ['dri', 'dl', 'id', 'a']],
    [/\b(\d{1,3})\s{1,2}(?:yo|y\/o|yrs? old)\b/gi, ['yo', 'y', 'yr', 'yrs']],
    [/\b(?:p\.?\s?o\.?\s?box|postfach)\s{0,2}\d{1,8}/gi, ['p', 'po', 'pob', 'pos']],
    [/\b(?:apt|apartment|suite|ste|unit)\.?\s{0,2}#?\d{1,6}/gi, ['apt', 'apa', 'sui', 'ste', 'uni']],
  ];
  test.each(cases)('%s', (pattern, hints) => {
    fc.assert(
      fc.property(text, (value) => {
        // Detectors match on the folded view, so the pattern is run there too.
        const view = fold(value);
        if ([...view.text.matchAll(pattern)].length > 0) expect(someWordStarts(view, hints)).toBe(true);
      }),
      runs,
    );
  });
});

describe('first-character pre-filters never hide a match', () => {
  test('a symbol-first amount begins only where maySymbolStart says it may', () => {
    const rests = [
      'S$5',
      'SD$5',
      'SD 5',
      '$5',
      'A$5',
      'U$5',
      'Z$5',
      'K$5',
      'ex$5',
      'r. 5',
      'r5',
      'HF 5',
      's. 5',
      's5',
    ];
    const more = [
      'ATS 5',
      'ats 5',
      'at 5',
      'sats 5',
      'BT 5',
      'TC 5',
      'SDT 5',
      'UR 5',
      'BP 5',
      '5',
      ' 5',
      '-5',
    ];
    const missed: number[] = [];
    for (let code = 0; code < 0x10000; code += 1) {
      if (maySymbolStart(code)) continue;
      for (const rest of [...rests, ...more]) {
        SYMBOL_FIRST.lastIndex = 0;
        if (SYMBOL_FIRST.exec(String.fromCharCode(code) + rest)) missed.push(code);
      }
    }
    expect(missed).toEqual([]);
  });
});
