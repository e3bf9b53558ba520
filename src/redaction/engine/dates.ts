import type { Detector } from './detector';
import { isDigit, isRegexSpace, matchesAt } from './text-scan';
import { digitRunsOutsidePlaceholders } from './numbers-digits';
import { collapseSpaces, trimSeparators } from './numbers-text';
import type { FoldedText } from './fold';
import type { Claims } from './span';
import { daysBeforeNames, digitRunLength, namesNearDigits, quarterStarts, weekdayStarts } from './dates-scan';

const MONTH =
  '(?:jan(?:uary|\\.)?|feb(?:ruary|\\.)?|mar(?:ch|\\.)?|apr(?:il|\\.)?|may|jun(?:e|\\.)?|jul(?:y|\\.)?|aug(?:ust|\\.)?|sep(?:t(?:ember|\\.)?|\\.)?|oct(?:ober|\\.)?|nov(?:ember|\\.)?|dec(?:ember|\\.)?|januar|februar|märz|marz|maerz|mai|juni|juli|oktober|dezember|janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)';
const WEEKDAY =
  '(?:mon(?:day|\\.)?|tue(?:s(?:day)?|\\.)?|wed(?:nesday|\\.)?|thu(?:r(?:s(?:day)?)?|\\.)?|fri(?:day|\\.)?|sat(?:urday|\\.)?|sun(?:day|\\.)?)';
const DAY = '(?:[0-2]?\\d|3[01])(?:st|nd|rd|th)?';
/** A day before its month may also be written with a dot, as in German: "15. März". */
const DAY_BEFORE_MONTH = '(?:[0-2]?\\d|3[01])(?:st|nd|rd|th|\\.)?';
const YEAR = "(?:1[6-9]\\d\\d|2[01]\\d\\d|'\\d\\d)";
const TIME =
  '(?:[ t,]{1,2}(?:at )?(?:[01]?\\d|2[0-3])[:.h][0-5]\\d(?:[:.][0-5]\\d(?:\\.\\d{1,6})?)?(?:\\s?(?:am|pm|a\\.m\\.|p\\.m\\.))?(?:\\s?(?:z|utc|gmt|[+-]\\d{2}:?\\d{2}|[a-z]{2,4}t))?)?';

/** Weekdays with an optional part of the day: "on Saturday morning", "Tuesday" (the one pattern without digits). */
const WEEKDAY_NAME =
  /(?<![a-z])(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:\s(?:morning|afternoon|evening|night))?(?![a-z])/iy;

/** What the patterns' start offsets are derived from. */
export interface DateScan {
  text: string;
  lower: string;
  /** Digit run starts (see text-scan.ts). */
  starts: readonly number[];
  /** Month and weekday names near digits (see dates-scan.ts). */
  names: readonly number[];
  /** The digit runs (not the "." / "," before some) with their lengths. */
  runs: readonly { start: number; length: number }[];
}

/** A worded date's first digit is at most this far after its weekday or month name begins: "wednesday, septiembre '24". */
const NAME_BEFORE_DIGIT = 9 + 1 + 2 + 10 + 2 + 1;
/** A month name begins at most this far after a day's first digit: "21st of March". */
const NAME_AFTER_DAY = 2 + 2 + 2 + 3;

/** Digit run starts whose run (of `length` digits, followed by `next`) passes `test`. */
function digitsWhere(test: (text: string, start: number, length: number, next: number) => boolean) {
  return ({ text, runs }: DateScan): number[] => {
    const offsets: number[] = [];
    for (const { start, length } of runs)
      if (test(text, start, length, text.charCodeAt(start + length))) offsets.push(start);
    return offsets;
  };
}

/** "a" or "p", as "am" and "pm" begin (any case). */
const isAOrP = (code: number): boolean => (code | 0x20) === 97 || (code | 0x20) === 112;

/** `[-/.]` */
const isDateSeparator = (code: number): boolean => code === 45 || code === 47 || code === 46;

/** `[-/.]\d{1,2}[-/.]\d` from `at`: the middle of a numeric date ("-03-1", "/3/2"). */
function isDateMiddle(text: string, at: number): boolean {
  if (!isDateSeparator(text.charCodeAt(at)) || !isDigit(text.charCodeAt(at + 1))) return false;
  const end = at + 1 + digitRunLength(text, at + 1);
  return end - at - 1 <= 2 && isDateSeparator(text.charCodeAt(end)) && isDigit(text.charCodeAt(end + 1));
}

/**
 * Each pattern (sticky) with the offsets it is tried at: every offset where it can match, found
 * from the digit runs (a test on the run is a necessary condition read off the pattern).
 */
export const DATE_PATTERNS: { pattern: RegExp; at: (scan: DateScan) => readonly number[] }[] = [
  // ISO dates and timestamps: 2024-03-15, 2024-03-15T10:30:00Z, 2024/03/15
  {
    pattern: new RegExp(
      `(?<![\\d.])\\d{4}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\\d|3[01])${TIME}(?![\\d])`,
      'iy',
    ),
    at: digitsWhere((text, start, length) => length === 4 && isDateMiddle(text, start + 4)),
  },
  // Numeric day-month-year either order: 15/03/2024, 3-15-24, 15.03.2024
  {
    pattern: new RegExp(
      `(?<![\\d.])(?:[0-3]?\\d)[-/.](?:[0-3]?\\d)[-/.](?:\\d{4}|\\d{2})${TIME}(?![\\d])`,
      'iy',
    ),
    at: digitsWhere((text, start, length) => length <= 2 && isDateMiddle(text, start + length)),
  },
  // 15th of March 2024 / 15 March / Monday 15 March 2024
  {
    pattern: new RegExp(
      `(?<![a-z\\d])(?:${WEEKDAY},?\\s{1,2})?${DAY_BEFORE_MONTH}\\s{1,2}(?:of\\s)?${MONTH}(?:,?\\s{1,2}${YEAR})?${TIME}(?![a-z\\d])`,
      'iy',
    ),
    at: ({ text, starts, names }) => daysBeforeNames(text, starts, names, NAME_AFTER_DAY),
  },
  // Weekday, Month 15th, 2024 / Month 15 / Month 2024
  {
    pattern: new RegExp(
      `(?<![a-z])(?:${WEEKDAY},?\\s{1,2})?${MONTH}\\s{0,2}(?:${DAY}(?:,?\\s{1,2}${YEAR})?|${YEAR})${TIME}(?![a-z\\d])`,
      'iy',
    ),
    at: ({ names }) => names,
  },
  // Quarters and halves: Q3 2024, Q3'24, 2024 Q3, H1 2025, FY2024, FY 24
  {
    pattern: new RegExp(
      `(?<![a-z\\d])(?:(?:q[1-4]|h[12])\\s?(?:${YEAR}|fy\\s?\\d{2,4})|\\d{4}\\s?(?:q[1-4]|h[12])|fy\\s?(?:\\d{4}|\\d{2}))(?![a-z\\d])`,
      'iy',
    ),
    at: ({ text, starts }) => quarterStarts(text, starts),
  },
  { pattern: WEEKDAY_NAME, at: ({ lower }) => weekdayStarts(lower) },
  // Times: 10:30, 10:30:15 pm, 9 am
  {
    pattern: new RegExp(
      `(?<![\\d:.])(?:[01]?\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?\\s?(?:am|pm|a\\.m\\.|p\\.m\\.)?(?![\\d:])`,
      'iy',
    ),
    at: digitsWhere((_text, _start, length, next) => length <= 2 && next === 58),
  },
  {
    pattern: new RegExp(`(?<![\\d:.])(?:1[0-2]|0?[1-9])\\s?(?:am|pm|a\\.m\\.|p\\.m\\.)(?![a-z])`, 'iy'),
    at: digitsWhere(
      (text, start, length, next) =>
        length <= 2 && isAOrP(isRegexSpace(next) ? text.charCodeAt(start + length + 1) : next),
    ),
  },
  // Bare years 1900–2099 (a year narrows down people and deals too): "a 2017 film"
  {
    pattern: new RegExp(`(?<![\\d.,/:$€£-])(?:19|20)\\d\\d(?:s|'s)?(?![\\d.,]\\d|\\d|[a-z])`, 'iy'),
    at: digitsWhere(
      (text, start, length) => length === 4 && (text.startsWith('19', start) || text.startsWith('20', start)),
    ),
  },
];

export function dateScan(text: string, lower: string, starts: readonly number[]): DateScan {
  const runs = starts
    .filter((start) => isDigit(text.charCodeAt(start)))
    .map((start) => ({ start, length: digitRunLength(text, start) }));
  const names = namesNearDigits(text, lower, starts, NAME_BEFORE_DIGIT, NAME_AFTER_DAY);
  return { text, lower, starts, names, runs };
}

/** Dates and times in the common written forms (ISO, numeric, worded, quarters, weekdays, years in context). */
export const detectDates: Detector = (view, claims) =>
  claimDates(view, claims, digitRunsOutsidePlaceholders(view, view.text));

/** Dates found from the digit run starts `starts` (see numbers-digits.ts). */
export function claimDates(view: FoldedText, claims: Claims, starts: readonly number[]): void {
  const scan = dateScan(view.text, view.lower, starts);
  for (const { pattern, at } of DATE_PATTERNS) {
    for (const match of matchesAt(view.text, at(scan), pattern)) {
      const value = trimSeparators(match[0]);
      if (value.length < 3) continue;
      const canonical = collapseSpaces(view.lower.slice(match.index, match.index + value.length));
      claims.claim({
        start: match.index,
        end: match.index + value.length,
        action: 'token',
        type: 'DATE',
        canonical,
        detector: 'date',
      });
    }
  }
}
