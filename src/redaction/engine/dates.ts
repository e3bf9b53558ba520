import type { Detector } from './detector';
import { digitRunStarts, matchesAt } from './text-scan';

const MONTH =
  '(?:jan(?:uary|\\.)?|feb(?:ruary|\\.)?|mar(?:ch|\\.)?|apr(?:il|\\.)?|may|jun(?:e|\\.)?|jul(?:y|\\.)?|aug(?:ust|\\.)?|sep(?:t(?:ember|\\.)?|\\.)?|oct(?:ober|\\.)?|nov(?:ember|\\.)?|dec(?:ember|\\.)?|januar|februar|märz|maerz|mai|juni|juli|oktober|dezember|janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)';
const WEEKDAY =
  '(?:mon(?:day|\\.)?|tue(?:s(?:day)?|\\.)?|wed(?:nesday|\\.)?|thu(?:r(?:s(?:day)?)?|\\.)?|fri(?:day|\\.)?|sat(?:urday|\\.)?|sun(?:day|\\.)?)';
const DAY = '(?:[0-2]?\\d|3[01])(?:st|nd|rd|th)?';
const YEAR = "(?:1[6-9]\\d\\d|2[01]\\d\\d|'\\d\\d)";
const TIME =
  '(?:[ t,]{1,2}(?:at )?(?:[01]?\\d|2[0-3])[:.h][0-5]\\d(?:[:.][0-5]\\d(?:\\.\\d{1,6})?)?(?:\\s?(?:am|pm|a\\.m\\.|p\\.m\\.))?(?:\\s?(?:z|utc|gmt|[+-]\\d{2}:?\\d{2}|[a-z]{2,4}t))?)?';

/** Weekdays with an optional part of the day: "on Saturday morning", "Tuesday" (the one pattern without digits). */
const WEEKDAY_NAME =
  /(?<![a-z])(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:\s(?:morning|afternoon|evening|night))?(?![a-z])/gi;

/** Every month name in MONTH (accented ones too) contains one of these. */
const MONTH_HINT =
  /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mae|mai|okt|dez|fév|fev|avr|jui|aoû|aou|déc|ene|abr|ago|dic/;
const hasMonth = (lower: string): boolean => MONTH_HINT.test(lower);

/**
 * A pattern, whether every match starts with a digit (then it is tried only where digits start),
 * and for the others a pre-filter on the lower-cased text that every match needs.
 */
const PATTERNS: { pattern: RegExp; digitStart: boolean; possible?: (lower: string) => boolean }[] = [
  // ISO dates and timestamps: 2024-03-15, 2024-03-15T10:30:00Z, 2024/03/15
  {
    pattern: new RegExp(
      `(?<![\\d.])\\d{4}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\\d|3[01])${TIME}(?![\\d])`,
      'iy',
    ),
    digitStart: true,
  },
  // Numeric day-month-year either order: 15/03/2024, 3-15-24, 15.03.2024
  {
    pattern: new RegExp(
      `(?<![\\d.])(?:[0-3]?\\d)[-/.](?:[0-3]?\\d)[-/.](?:\\d{4}|\\d{2})${TIME}(?![\\d])`,
      'iy',
    ),
    digitStart: true,
  },
  // 15th of March 2024 / 15 March / Monday 15 March 2024
  {
    pattern: new RegExp(
      `(?<![a-z\\d])(?:${WEEKDAY},?\\s{1,2})?${DAY}\\s{1,2}(?:of\\s)?${MONTH}(?:,?\\s{1,2}${YEAR})?${TIME}(?![a-z\\d])`,
      'gi',
    ),
    digitStart: false,
    possible: hasMonth,
  },
  // Weekday, Month 15th, 2024 / Month 15 / Month 2024
  {
    pattern: new RegExp(
      `(?<![a-z])(?:${WEEKDAY},?\\s{1,2})?${MONTH}\\s{0,2}(?:${DAY}(?:,?\\s{1,2}${YEAR})?|${YEAR})${TIME}(?![a-z\\d])`,
      'gi',
    ),
    digitStart: false,
    possible: hasMonth,
  },
  // Quarters and halves: Q3 2024, Q3'24, 2024 Q3, H1 2025, FY2024, FY 24
  {
    pattern: new RegExp(
      `(?<![a-z\\d])(?:(?:q[1-4]|h[12])\\s?(?:${YEAR}|fy\\s?\\d{2,4})|\\d{4}\\s?(?:q[1-4]|h[12])|fy\\s?(?:\\d{4}|\\d{2}))(?![a-z\\d])`,
      'gi',
    ),
    digitStart: false,
    possible: (lower) => QUARTER_HINT.test(lower),
  },
  { pattern: WEEKDAY_NAME, digitStart: false, possible: (lower) => lower.includes('day') },
  // Times: 10:30, 10:30:15 pm, 9 am
  {
    pattern: new RegExp(
      `(?<![\\d:.])(?:[01]?\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?\\s?(?:am|pm|a\\.m\\.|p\\.m\\.)?(?![\\d:])`,
      'iy',
    ),
    digitStart: true,
  },
  {
    pattern: new RegExp(`(?<![\\d:.])(?:1[0-2]|0?[1-9])\\s?(?:am|pm|a\\.m\\.|p\\.m\\.)(?![a-z])`, 'iy'),
    digitStart: true,
  },
  // Bare years 1900–2099 (a year narrows down people and deals too): "a 2017 film"
  {
    pattern: new RegExp(`(?<![\\d.,/:$€£-])(?:19|20)\\d\\d(?:s|'s)?(?![\\d.,]\\d|\\d|[a-z])`, 'iy'),
    digitStart: true,
  },
];

/** Dates and times in the common written forms (ISO, numeric, worded, quarters, weekdays, years in context). */
const HAS_DIGIT = /\d/;
/** Every quarter, half or fiscal-year form contains one of these. */
const QUARTER_HINT = /[qh][1-4]|fy/;

export const detectDates: Detector = (view, claims) => {
  // Every pattern but the weekday one needs a digit.
  const hasDigit = HAS_DIGIT.test(view.text);
  const starts = hasDigit ? digitRunStarts(view, view.text) : [];
  for (const { pattern, digitStart, possible } of PATTERNS) {
    if (!hasDigit && pattern !== WEEKDAY_NAME) continue;
    if (possible && !possible(view.lower)) continue;
    const matches = digitStart ? matchesAt(view.text, starts, pattern) : view.text.matchAll(pattern);
    for (const match of matches) {
      const value = match[0].replace(/[\s,]+$/, '');
      if (value.length < 3) continue;
      const canonical = view.lower.slice(match.index, match.index + value.length).replace(/\s+/g, ' ');
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
};
