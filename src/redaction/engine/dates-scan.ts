import { isDigit, isRegexSpace } from './text-scan';

/**
 * Where the date patterns of dates.ts can begin, so none of them runs over the whole text. Every
 * date but a bare weekday holds a digit; the worded ones name a month (or a weekday) near it.
 */

/** The first three letters of every MONTH and WEEKDAY alternative in dates.ts, lower-cased. */
const NAME_BEGINNINGS = [
  ...['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  ...['mär', 'mae', 'mai', 'okt', 'dez', 'fév', 'fev', 'avr', 'jui', 'aoû', 'aou', 'déc'],
  ...['ene', 'abr', 'ago', 'dic'],
  ...['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
];

function beginningKey(lower: string, at: number): number {
  return (lower.charCodeAt(at) * 0x10000 + lower.charCodeAt(at + 1)) * 0x10000 + lower.charCodeAt(at + 2);
}
const NAME_KEYS = new Set(NAME_BEGINNINGS.map((beginning) => beginningKey(beginning, 0)));
/** Their first letters (all a–z) as a bit set. */
const NAME_FIRST_LETTERS = NAME_BEGINNINGS.reduce(
  (bits, beginning) => bits | (1 << (beginning.charCodeAt(0) - 97)),
  0,
);

function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** The number of digits from `start` on. */
export function digitRunLength(text: string, start: number): number {
  let end = start;
  while (isDigit(text.charCodeAt(end))) end += 1;
  return end - start;
}

/**
 * Month and weekday names near digits: offsets after a non-letter where one of NAME_BEGINNINGS
 * starts, from `before` units before a digit run to `after` units after its start (ascending).
 */
export function namesNearDigits(
  text: string,
  lower: string,
  starts: readonly number[],
  before: number,
  after: number,
): number[] {
  const names: number[] = [];
  let next = 0;
  for (const start of starts) {
    const end = Math.min(text.length - 2, start + after + 1);
    for (let at = Math.max(next, start - before, 0); at < end; at += 1) {
      const first = lower.charCodeAt(at) - 97;
      if (first < 0 || first > 25 || !(NAME_FIRST_LETTERS & (1 << first))) continue;
      if (!isAsciiLetter(text.charCodeAt(at - 1)) && NAME_KEYS.has(beginningKey(lower, at))) names.push(at);
    }
    next = Math.max(next, end);
  }
  return names;
}

/** Digit run starts with a name at most `reach` units after them, merged with the names. */
export function daysBeforeNames(
  text: string,
  starts: readonly number[],
  names: readonly number[],
  reach: number,
): number[] {
  const offsets: number[] = [];
  let name = 0;
  for (const start of starts) {
    if (!isDigit(text.charCodeAt(start))) continue;
    while (name < names.length && names[name]! <= start) offsets.push(names[name++]!);
    if (name < names.length && names[name]! <= start + reach) offsets.push(start);
  }
  while (name < names.length) offsets.push(names[name++]!);
  return offsets;
}

/**
 * Where a quarter or fiscal year ("Q3 2024", "2024 Q3", "FY 24") can begin, after no letter or
 * digit: a "q" or "h" right before a digit run, an "fy" right before it or before a space and it,
 * or a four-digit run followed by `\s?` and "q" or "h" (ascending).
 */
export function quarterStarts(text: string, starts: readonly number[]): number[] {
  const offsets: number[] = [];
  const push = (at: number): void => {
    if (at >= 0 && !isAsciiLetterOrDigit(text.charCodeAt(at - 1)) && !(offsets[offsets.length - 1]! >= at))
      offsets.push(at);
  };
  for (const start of starts) {
    if (!isDigit(text.charCodeAt(start))) continue;
    if (isFy(text, start - 3) && isRegexSpace(text.charCodeAt(start - 1))) push(start - 3);
    if (isFy(text, start - 2)) push(start - 2);
    const before = text.charCodeAt(start - 1) | 0x20;
    if (before === 113 || before === 104) push(start - 1);
    if (digitRunLength(text, start) === 4 && isQuarterAfterYear(text, start + 4)) push(start);
  }
  return offsets;
}

function isFy(text: string, at: number): boolean {
  return (text.charCodeAt(at) | 0x20) === 102 && (text.charCodeAt(at + 1) | 0x20) === 121;
}

function isAsciiLetterOrDigit(code: number): boolean {
  return isAsciiLetter(code) || isDigit(code);
}

/** "2024 Q3", "2024H1": `\s?` and "q" or "h" after the year. */
function isQuarterAfterYear(text: string, at: number): boolean {
  const next = (isRegexSpace(text.charCodeAt(at)) ? text.charCodeAt(at + 1) : text.charCodeAt(at)) | 0x20;
  return next === 113 || next === 104;
}

/** Where "Monday".."Sunday" can begin: 3 to 6 units before a "day" (ascending). */
export function weekdayStarts(lower: string): number[] {
  const offsets: number[] = [];
  let next = 0;
  for (let day = lower.indexOf('day'); day >= 0; day = lower.indexOf('day', day + 1)) {
    for (let at = Math.max(next, day - 6); at <= day - 3; at += 1) offsets.push(at);
    next = Math.max(next, day - 2);
  }
  return offsets;
}
