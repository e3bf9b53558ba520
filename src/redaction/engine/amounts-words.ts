import { isRegexSpace } from './text-scan';

/**
 * Worded amounts: "two million dollars", "half a million euros", "fifty grand", "USD five
 * hundred thousand". A run of number words counts when a currency or a magnitude word is present.
 *
 * Lower-cased text is read as tokens: runs of a–z, and the signs $ € £ one by one. Runs of number
 * words are found from the number words a regex finds, reading only the tokens around them.
 */

export const NUMBER_WORDS =
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion half quarter dozen couple few several'.split(
    ' ',
  );
const JOINERS = new Set(['and', 'a', 'an', '-', 'of']);
const MAGNITUDE_WORDS = new Set(['hundred', 'thousand', 'million', 'billion', 'trillion', 'grand']);
const SIGN_OR_CODE_BEFORE = new Set(['$', '€', '£', 'usd', 'eur', 'gbp', 'chf', 'btc']);

/**
 * a–z words of up to 11 letters as base-27 numbers (exact below 2^53), so number words are looked
 * up without building a substring per word; -1 for anything else.
 */
function letterKey(text: string, start: number, end: number): number {
  if (end - start > 11) return -1;
  let key = 0;
  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 97 || code > 122) return -1;
    key = key * 27 + (code - 96);
  }
  return key;
}
const NUMBER_WORD_KEYS = new Set(NUMBER_WORDS.map((word) => letterKey(word, 0, word.length)));
const LONGEST_NUMBER_WORD = Math.max(...NUMBER_WORDS.map((word) => word.length));

function isLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

function isSign(code: number): boolean {
  return code === 36 || code === 0x20ac || code === 0xa3;
}

interface Token {
  start: number;
  end: number;
}

/** The first token at or after `from`, or null. */
function tokenFrom(lower: string, from: number): Token | null {
  for (let start = from; start < lower.length; start += 1) {
    const code = lower.charCodeAt(start);
    if (isSign(code)) return { start, end: start + 1 };
    if (!isLetter(code)) continue;
    let end = start + 1;
    while (isLetter(lower.charCodeAt(end))) end += 1;
    return { start, end };
  }
  return null;
}

/** The last token ending at or before `to`, or null. */
function tokenBefore(lower: string, to: number): Token | null {
  for (let end = to; end > 0; end -= 1) {
    const code = lower.charCodeAt(end - 1);
    if (isSign(code)) return { start: end - 1, end };
    if (!isLetter(code)) continue;
    let start = end - 1;
    while (start > 0 && isLetter(lower.charCodeAt(start - 1))) start -= 1;
    return { start, end };
  }
  return null;
}

function isNumberWord(lower: string, token: Token | null): boolean {
  return token !== null && isNumberWordRun(lower, token.start, token.end);
}

function textOf(lower: string, token: Token | null): string {
  return token ? lower.slice(token.start, token.end) : '';
}

/** Whether [start, end) is `[\s-]{1,3}`. */
function isJoiningGap(lower: string, start: number, end: number): boolean {
  if (end - start < 1 || end - start > 3) return false;
  for (let i = start; i < end; i += 1) {
    const code = lower.charCodeAt(i);
    if (code !== 45 && !isRegexSpace(code)) return false;
  }
  return true;
}

/** Whether [start, end) is `\s{0,2}`. */
function isShortSpace(lower: string, start: number, end: number): boolean {
  if (end - start > 2) return false;
  for (let i = start; i < end; i += 1) if (!isRegexSpace(lower.charCodeAt(i))) return false;
  return true;
}

/** Number words (ahead of `from`) joined by short gaps, or by a joiner word before another number word. */
function runFrom(lower: string, first: Token): { last: Token; words: number; magnitude: boolean } {
  let last = first;
  let words = 1;
  let magnitude = MAGNITUDE_WORDS.has(textOf(lower, first));
  for (;;) {
    const next = tokenFrom(lower, last.end);
    if (!next || !isJoiningGap(lower, last.end, next.start)) break;
    if (!isNumberWord(lower, next)) {
      if (!JOINERS.has(textOf(lower, next)) || !isNumberWord(lower, tokenFrom(lower, next.end))) break;
    }
    last = next;
    words += 1;
    if (MAGNITUDE_WORDS.has(textOf(lower, next))) magnitude = true;
  }
  return { last, words, magnitude };
}

/** Worded amounts of lower-cased text, in text order. */
export function wordedAmounts(lower: string, isCurrencyWord: (word: string) => boolean): Token[] {
  const numberWords = numberWordTokens(lower);
  if (!numberWords.some((token) => isBoundary(lower, token) && !isZero(lower, token))) return [];
  const amounts: Token[] = [];
  let consumed = 0;
  for (const first of numberWords) {
    if (first.start < consumed) continue;
    const { last, words, magnitude } = runFrom(lower, first);
    let start = first.start;
    let end = last.end;
    consumed = end;
    const after = tokenFrom(lower, end);
    const before = tokenBefore(lower, start);
    let currency = false;
    if (after && isCurrencyWord(textOf(lower, after)) && isShortSpace(lower, end, after.start)) {
      end = after.end;
      currency = true;
    } else if (
      before &&
      SIGN_OR_CODE_BEFORE.has(textOf(lower, before)) &&
      isShortSpace(lower, before.end, start)
    ) {
      start = before.start;
      currency = true;
    }
    if (currency || (magnitude && /million|billion|trillion/.test(lower.slice(start, end)) && words >= 2))
      amounts.push({ start, end });
  }
  return amounts;
}

/** Per first letter and second letter of a number word: a bit for each length such a word has. */
const LENGTHS_BY_PAIR = new Uint16Array(26 * 26);
for (const word of NUMBER_WORDS) LENGTHS_BY_PAIR[pairIndex(word, 0)]! |= 1 << word.length;

/** The index of the two a–z letters at `at` in LENGTHS_BY_PAIR (a letter run of two or more). */
function pairIndex(lower: string, at: number): number {
  return (lower.charCodeAt(at) - 97) * 26 + lower.charCodeAt(at + 1) - 97;
}

/** Whether the letter run [start, end) is a number word; its first two letters and length must fit one first. */
function isNumberWordRun(lower: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 2 || length > LONGEST_NUMBER_WORD) return false;
  if (!((LENGTHS_BY_PAIR[pairIndex(lower, start)]! >> length) & 1)) return false;
  return NUMBER_WORD_KEYS.has(letterKey(lower, start, end));
}

/** Every token that is a number word, in one pass. */
function numberWordTokens(lower: string): Token[] {
  const tokens: Token[] = [];
  const length = lower.length;
  let index = 0;
  while (index < length) {
    if (!isLetter(lower.charCodeAt(index))) {
      index += 1;
      continue;
    }
    const start = index;
    index += 1;
    while (index < length && isLetter(lower.charCodeAt(index))) index += 1;
    if (isNumberWordRun(lower, start, index)) tokens.push({ start, end: index });
  }
  return tokens;
}

function isZero(lower: string, token: Token): boolean {
  return lower.startsWith('zero', token.start) && token.end - token.start === 4;
}

/** `\b` on both sides of a number word token (its neighbours are no digit or underscore either). */
function isBoundary(lower: string, token: Token): boolean {
  return !isWordTail(lower.charCodeAt(token.start - 1)) && !isWordTail(lower.charCodeAt(token.end));
}

function isWordTail(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 95;
}
