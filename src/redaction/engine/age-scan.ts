import { isDigit, isRegexSpace } from './text-scan';
import { ascendingUnique, isAsciiWordChar, spacesBefore } from './scan-offsets';

/**
 * Where the age patterns of age.ts can begin. Each holds a number of at most three digits that
 * starts a word; it is either followed by a "year"/"yo" word or preceded, across at most three
 * words, by a keyword ("aged", "turned", "she is only").
 */

/** Digit run starts at a `\b` whose run has at most three digits. */
export function shortNumbers(text: string, starts: readonly number[]): number[] {
  return starts.filter((start) => {
    if (!isDigit(text.charCodeAt(start)) || isAsciiWordChar(text.charCodeAt(start - 1))) return false;
    return (
      !isDigit(text.charCodeAt(start + 1)) ||
      !isDigit(text.charCodeAt(start + 2)) ||
      !isDigit(text.charCodeAt(start + 3))
    );
  });
}

/** Numbers followed by `\s{1,2}` or "-" and then a "y" ("45 years", "45-year-old", "45 yo"). */
export function numbersBeforeY(text: string, lower: string, numbers: readonly number[]): number[] {
  return numbers.filter((start) => {
    let at = start + 1;
    while (isDigit(text.charCodeAt(at))) at += 1;
    if (text.charCodeAt(at) === 45) at += 1;
    else {
      if (!isRegexSpace(text.charCodeAt(at))) return false;
      at += isRegexSpace(text.charCodeAt(at + 1)) ? 2 : 1;
    }
    return lower.charCodeAt(at) === 121;
  });
}

/**
 * Word starts (`\b` before a word character) whose lower-case letter is one of `firstLetters`, in
 * the up to three runs of non-spaces before each number, each run ending in `\s{1,2}`: where a
 * keyword before the number can begin (ascending).
 */
export function wordsBeforeNumbers(
  text: string,
  lower: string,
  numbers: readonly number[],
  firstLetters: string,
): number[] {
  const offsets: number[] = [];
  for (const number of numbers) {
    let end = number;
    for (let words = 0; words < 3; words += 1) {
      end = spacesBefore(text, end);
      if (end <= 0) break;
      let start = end;
      while (start > 0 && !isRegexSpace(text.charCodeAt(start - 1))) start -= 1;
      for (let at = start; at < end; at += 1) {
        if (isAsciiWordChar(text.charCodeAt(at - 1)) || !firstLetters.includes(lower.charAt(at))) continue;
        if (isAsciiWordChar(text.charCodeAt(at))) offsets.push(at);
      }
      end = start;
    }
  }
  return ascendingUnique(offsets);
}

/** Offsets where one of `words` (lower case) begins in `lower`, followed by `\s` when `spaced`. */
export function startingWith(
  lower: string,
  offsets: readonly number[],
  words: readonly string[],
  spaced = false,
) {
  return offsets.filter((at) =>
    words.some(
      (word) => lower.startsWith(word, at) && (!spaced || isRegexSpace(lower.charCodeAt(at + word.length))),
    ),
  );
}
