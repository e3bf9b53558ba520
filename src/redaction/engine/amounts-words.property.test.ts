import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { NUMBER_WORDS, wordedAmounts } from './amounts-words';
import { fold } from './fold';
import { someWordIs } from './word-starts';
import { SEPARATORS, wordsWithSeparators } from '../../../test/helpers/scanner-properties';

const CURRENCY_WORD =
  /^(?:dollars?|bucks|euros?|pounds?(?: sterling)?|sterling|quid|yen|grand|cents?|usd|eur|btc|sats?)$/i;
const isCurrencyWord = (word: string): boolean => CURRENCY_WORD.test(word);

/** The scan wordedAmounts replaced: every token of the text cut first, then walked in order. */
function reference(lower: string): { start: number; end: number }[] {
  const numberWords = new Set(
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion half quarter dozen couple few several'.split(
      ' ',
    ),
  );
  const anyNumberWord =
    /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|half|quarter|dozen|couple|few|several)\b/;
  const joiners = new Set(['and', 'a', 'an', '-', 'of']);
  if (!anyNumberWord.test(lower)) return [];
  const at: number[] = [];
  const ends: number[] = [];
  for (const match of lower.matchAll(/[a-z]+|[$€£]/g)) {
    at.push(match.index);
    ends.push(match.index + match[0].length);
  }
  const count = at.length;
  const word = (k: number): string => (k < count ? lower.slice(at[k], ends[k]) : '');
  const isNumberWord = (k: number): boolean => k < count && numberWords.has(word(k));
  const found: { start: number; end: number }[] = [];
  let i = 0;
  while (i < count) {
    if (!isNumberWord(i)) {
      i += 1;
      continue;
    }
    let j = i;
    let magnitude = false;
    while (j + 1 < count) {
      if (!/^[\s-]{1,3}$/.test(lower.slice(ends[j], at[j + 1]))) break;
      if (isNumberWord(j + 1) || (joiners.has(word(j + 1)) && isNumberWord(j + 2))) j += 1;
      else break;
    }
    for (let k = i; k <= j; k += 1)
      if (/^(?:hundred|thousand|million|billion|trillion|grand)$/.test(word(k))) magnitude = true;
    let start = at[i]!;
    let end = ends[j]!;
    const after = j + 1 < count ? j + 1 : -1;
    const before = i - 1;
    let currency = false;
    if (after >= 0 && isCurrencyWord(word(after)) && /^\s{0,2}$/.test(lower.slice(end, at[after]))) {
      end = ends[after]!;
      currency = true;
    } else if (
      before >= 0 &&
      /^(?:\$|€|£|usd|eur|gbp|chf|btc)$/.test(word(before)) &&
      /^\s{0,2}$/.test(lower.slice(ends[before], start))
    ) {
      start = at[before]!;
      currency = true;
    }
    if (currency || (magnitude && /million|billion|trillion/.test(lower.slice(start, end)) && j - i + 1 >= 2))
      found.push({ start, end });
    i = j + 1;
  }
  return found;
}

const words = fc.constantFrom(
  ...['zero', 'one', 'two', 'twenty', 'fourteen', 'hundred', 'thousand', 'million', 'billion', 'half', 'few'],
  ...['and', 'a', 'an', 'of', 'the', 'dollars', 'euros', 'grand', 'usd', 'btc', 'sats', 'x', 'ones'],
  ...['$', '€', '£', '5', '_', 'é', 'ß'],
);
const separators = fc.constantFrom(...SEPARATORS, '   ', '    ', ' - ');
const text = wordsWithSeparators(words, separators, 14);

describe('worded amounts', () => {
  test('reading tokens around number words finds what cutting every token finds', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(wordedAmounts(value, isCurrencyWord)).toEqual(reference(value));
      }),
      { numRuns: 3000 },
    );
  });

  test('a text with a worded amount has a number word other than "zero" as a word of its own', () => {
    const counting = NUMBER_WORDS.filter((word) => word !== 'zero');
    fc.assert(
      fc.property(text, fc.constantFrom('', 'X', '5', '_', 'A1'), (value, edge) => {
        const view = fold(edge + value + edge);
        if (wordedAmounts(view.lower, isCurrencyWord).length > 0)
          expect(someWordIs(view, counting)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
