import { isDigit, isRegexSpace } from './text-scan';

/**
 * Where the age patterns of age.ts can begin. Each holds a number of at most three digits that
 * starts a word; it is either followed by a "year"/"yo" word or preceded, across at most three
 * words, by a keyword ("aged", "turned", "she is only").
 */

function isAsciiWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  );
}

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

/** Where the `\s{1,2}` right before `end` begins, or -1 when there is none or a longer run. */
function spacesBefore(text: string, end: number): number {
  if (!isRegexSpace(text.charCodeAt(end - 1))) return -1;
  const start = isRegexSpace(text.charCodeAt(end - 2)) ? end - 2 : end - 1;
  return start > 0 && isRegexSpace(text.charCodeAt(start - 1)) ? -1 : start;
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

function ascendingUnique(offsets: number[]): number[] {
  let ascending = true;
  for (let i = 1; i < offsets.length && ascending; i += 1) ascending = offsets[i - 1]! < offsets[i]!;
  if (ascending) return offsets;
  offsets.sort((a, b) => a - b);
  return offsets.filter((offset, i) => i === 0 || offsets[i - 1] !== offset);
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
