import { isRegexSpace } from './text-scan';

/**
 * Where CURRENCY_AFTER and MAGNITUDE_ONLY (amounts.ts) can begin: at a digit run start (or the
 * "." / "," before one) after no `[\w.,]`. MAGNITUDE_ONLY also needs its magnitude word, which
 * begins right after the figure's digits, separators and spaces: with "t", "m" or "b".
 */

/** `[\w.,]` (ASCII word characters, "." and ","). */
function isWordDotOrComma(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 46 ||
    code === 44
  );
}

/** A character of NUMBER (`[\d,' \u00a0.]`) or `\s`. */
function isFigureOrSpace(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 44 || code === 39 || code === 46 || isRegexSpace(code);
}

/** Starts where `(?<![\w.,])` holds. */
export function figureStarts(text: string, starts: readonly number[]): number[] {
  const offsets: number[] = [];
  for (const start of starts) if (!isWordDotOrComma(text.charCodeAt(start - 1))) offsets.push(start);
  return offsets;
}

/** Of the figure starts, those whose digits, separators and spaces are followed by t, m or b (any case). */
export function magnitudeStarts(text: string, figures: readonly number[]): number[] {
  const offsets: number[] = [];
  let end = 0;
  for (const start of figures) {
    // The stretch from a start inside the previous one ends where that one did.
    if (start >= end) {
      end = start;
      while (end < text.length && isFigureOrSpace(text.charCodeAt(end))) end += 1;
    }
    const next = text.charCodeAt(end) | 0x20;
    if (next === 116 || next === 109 || next === 98) offsets.push(start);
  }
  return offsets;
}
