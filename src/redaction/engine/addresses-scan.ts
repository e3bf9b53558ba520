import { isDigit, isRegexSpace } from './text-scan';
import { ascendingUnique, isAsciiWordChar, spacesBefore } from './scan-offsets';

/**
 * Where NAME_FIRST (addresses.ts) can begin, found by walking back from the digits it must end
 * on, so its big street-type alternation is not tried at every position of the text.
 *
 * NAME_FIRST counts letters as `\p{L}` per code point; this walk looks at UTF-16 units, which is
 * the same only without astral letters (`hasAstralLetter`; such texts are scanned the old way).
 */

const LETTER = /\p{L}/u;
const HIGH_SURROGATE = /[\ud800-\udbff]/;

/** A `\p{L}` code unit (a surrogate half is not). */
function isLetterAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER.test(text[index]!);
}

export function hasAstralLetter(text: string): boolean {
  if (!HIGH_SURROGATE.test(text)) return false;
  for (const char of text) if (char.length === 2 && LETTER.test(char)) return true;
  return false;
}

/** `[\p{L}'.-]`, the characters of a street-name word. */
function isNameCharAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code === 39 || code === 46 || code === 45 || isLetterAt(text, index);
}

/** Digits with a `\s` right before them (where `\s{1,2}\d` can end), from digit run starts. */
export function spaceDigits(text: string, starts: readonly number[]): number[] {
  return starts.filter(
    (start) => isDigit(text.charCodeAt(start)) && isRegexSpace(text.charCodeAt(start - 1)),
  );
}

/**
 * "Hauptstraße 5": `[\p{L}-]{2,30}` and a suffix, then `\s{1,2}` and the digit at `digit`. Such a
 * match begins after a non-letter, `shortest` to `longest` units before the suffix ends (a "str."
 * suffix ends before its dot).
 */
function suffixedNameStarts(text: string, digit: number, forms: NameFirstForms, into: number[]): void {
  let end = spacesBefore(text, digit);
  if (end < 0) return;
  const dot = text.charCodeAt(end - 1) === 46;
  if (dot) end -= 1;
  const { shortest, longest } = forms;
  if (!forms.mayEndInSuffix(text, end, dot)) return;
  const limit = Math.max(0, end - longest);
  let from = end;
  while (from > limit && (isLetterAt(text, from - 1) || text.charCodeAt(from - 1) === 45)) from -= 1;
  for (let p = from; p <= end - shortest; p += 1) if (!isLetterAt(text, p - 1)) into.push(p);
}

/**
 * "Calle Mayor 5": a street type, `\.?\s{1,2}`, one to four words `[\p{L}'.-]{2,30}\s{1,2}`, then
 * the digit at `digit`. Walking back word by word, each word-shaped run of non-spaces may be
 * preceded by the type; the type is then the letter run ending that run (before one dot), since
 * the match begins after a non-letter.
 */
function typedNameStarts(text: string, digit: number, forms: NameFirstForms, into: number[]): void {
  let end = digit;
  for (let words = 0; words <= 4; words += 1) {
    const spaces = spacesBefore(text, end);
    if (spaces <= 0) return;
    let start = spaces;
    while (start > 0 && !isRegexSpace(text.charCodeAt(start - 1))) start -= 1;
    if (words > 0) {
      let typeEnd = text.charCodeAt(spaces - 1) === 46 ? spaces - 1 : spaces;
      let typeStart = typeEnd;
      while (typeStart > start && isLetterAt(text, typeStart - 1)) typeStart -= 1;
      if (typeStart < typeEnd && forms.mayBeType(text, typeStart, typeEnd)) into.push(typeStart);
    }
    if (!isNameWord(text, start, spaces)) return;
    end = start;
  }
}

/** Whether [start, end) is `[\p{L}'.-]{2,30}`. */
function isNameWord(text: string, start: number, end: number): boolean {
  if (end - start < 2 || end - start > 30) return false;
  for (let i = start; i < end; i += 1) if (!isNameCharAt(text, i)) return false;
  return true;
}

/** What NAME_FIRST's two forms look like, as far as finding their starts needs. */
export interface NameFirstForms {
  /** Whether the letter run [start, end) may be a street type. */
  mayBeType: (text: string, start: number, end: number) => boolean;
  /** Whether the letters before `end` (the spaces, or a dot) may end in a suffix. */
  mayEndInSuffix: (text: string, end: number, dot: boolean) => boolean;
  /** Length bounds of a suffixed name: `[\p{L}-]{2,30}` and the suffix. */
  shortest: number;
  longest: number;
}

/** Every offset where NAME_FIRST can match, ascending, given the digits with a space before. */
export function nameFirstOffsets(text: string, digits: readonly number[], forms: NameFirstForms): number[] {
  const offsets: number[] = [];
  for (const digit of digits) {
    typedNameStarts(text, digit, forms, offsets);
    suffixedNameStarts(text, digit, forms, offsets);
  }
  return ascendingUnique(offsets);
}

/** A keyword that a pattern's number follows, as far as finding where the pattern begins needs. */
export interface Keyword {
  /** How far before the number's first digit the keyword can begin. */
  reach: number;
  /** Lower-case beginnings of every keyword. */
  beginnings: readonly string[];
  /** Whether the character right before the number can be this one. */
  mayPrecede: (code: number) => boolean;
}

/** Where a keyword pattern ending in its number can begin: at a `\b` where a keyword may begin (ascending). */
export function keywordsBeforeDigits(
  text: string,
  lower: string,
  starts: readonly number[],
  keyword: Keyword,
): number[] {
  const offsets: number[] = [];
  let next = 0;
  for (const start of starts) {
    if (!isDigit(text.charCodeAt(start)) || !keyword.mayPrecede(text.charCodeAt(start - 1))) continue;
    for (let at = Math.max(next, start - keyword.reach); at < start; at += 1) {
      if (!isLetterAt(text, at) || isAsciiWordChar(text.charCodeAt(at - 1))) continue;
      if (keyword.beginnings.some((beginning) => lower.startsWith(beginning, at))) offsets.push(at);
    }
    next = Math.max(next, start);
  }
  return offsets;
}

/** Two ascending offset lists merged (ascending, no repeats). */
export function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (merged.length === 0 || merged[merged.length - 1]! < next) merged.push(next);
  }
  return merged;
}

/** Every `\b` where one of `needles` occurs in `lower` (ascending). */
export function wordOccurrences(lower: string, needles: readonly string[]): number[] {
  const offsets: number[] = [];
  for (const needle of needles) {
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1))
      if (!isAsciiWordChar(lower.charCodeAt(at - 1))) offsets.push(at);
  }
  return ascendingUnique(offsets);
}

/** Digit run starts (digits only) passing `test` with their run length. */
export function digitRunsWhere(
  text: string,
  starts: readonly number[],
  test: (start: number, length: number) => boolean,
): number[] {
  return starts.filter((start) => {
    if (!isDigit(text.charCodeAt(start))) return false;
    let end = start + 1;
    while (isDigit(text.charCodeAt(end))) end += 1;
    return test(start, end - start);
  });
}
