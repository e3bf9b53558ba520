import { isRegexSpace } from './text-scan';
import { isAsciiWordChar } from './scan-offsets';

/**
 * Where CURRENCY_AFTER and MAGNITUDE_ONLY (amounts.ts) can begin: at a digit run start (or the
 * "." / "," before one) after no `[\w.,]`. Both then need a word right after the figure's
 * digits, separators and spaces: MAGNITUDE_ONLY a magnitude beginning with "t", "m" or "b".
 */

/** A character of NUMBER (`[\d,' \u00a0.]`) or `\s`. */
function isFigureOrSpace(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 44 || code === 39 || code === 46 || isRegexSpace(code);
}

/** `[\w.,]` */
function isWordDotOrComma(code: number): boolean {
  return isAsciiWordChar(code) || code === 46 || code === 44;
}

/** Starts where `(?<![\w.,])` holds. */
export function figureStarts(text: string, starts: readonly number[]): number[] {
  const offsets: number[] = [];
  for (const start of starts) if (!isWordDotOrComma(text.charCodeAt(start - 1))) offsets.push(start);
  return offsets;
}

/**
 * Where each figure's stretch of digits, separators and spaces ends (a start inside the previous
 * stretch shares its end, so the text is read once).
 */
export function stretchEnds(text: string, figures: readonly number[]): number[] {
  const ends: number[] = [];
  let end = 0;
  for (const start of figures) {
    if (start >= end) {
      end = start;
      while (end < text.length && isFigureOrSpace(text.charCodeAt(end))) end += 1;
    }
    ends.push(end);
  }
  return ends;
}

/** Of the figure starts, those whose stretch is followed by t, m or b (any case). */
export function magnitudeStarts(text: string, figures: readonly number[], ends: readonly number[]): number[] {
  return figures.filter((_, i) => {
    const next = text.charCodeAt(ends[i]!) | 0x20;
    return next === 116 || next === 109 || next === 98;
  });
}

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Of the figure starts, those where CURRENCY_AFTER can match: after the figure's stretch comes a
 * magnitude, a currency code or word (each a whole ASCII-letter word, lower-cased in `words`),
 * or a range ("-", "–", or "to" / "and", which a currency symbol may follow without a space).
 */
export function currencyAfterStarts(
  text: string,
  figures: readonly number[],
  ends: readonly number[],
  words: ReadonlySet<string>,
): number[] {
  return figures.filter((_, i) => {
    const at = ends[i]!;
    const next = text.charCodeAt(at);
    if (next === 45 || next === 0x2013) return true;
    if (!isAsciiLetter(next)) return false;
    let end = at + 1;
    while (isAsciiLetter(text.charCodeAt(end))) end += 1;
    const word = text.slice(at, end).toLowerCase();
    return words.has(word) || word.startsWith('to') || word.startsWith('and');
  });
}

/**
 * The words of an alternation source such as `(?:dollars?|pounds?(?: sterling)?|USD)`, lower case,
 * with and without an optional last letter.
 */
export function alternationWords(source: string): string[] {
  const words: string[] = [];
  for (const alternative of source.slice(3, -1).replace('(?: sterling)?', '').split('|')) {
    const word = alternative.toLowerCase();
    if (word.endsWith('?')) words.push(word.slice(0, -2), word.slice(0, -1));
    else words.push(word);
  }
  const odd = words.find((word) => !/^[a-z]+$/.test(word));
  if (odd !== undefined) throw new Error(`not a plain word: ${odd}`);
  return words;
}
