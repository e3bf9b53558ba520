import type { Detector } from './detector';
import { matchesAt } from './text-scan';
import { digitRunsOutsidePlaceholders } from './numbers-digits';
import { numbersBeforeY, shortNumbers, startingWith, wordsBeforeNumbers } from './age-scan';

/** Where the patterns can begin (see age-scan.ts). */
interface AgeScan {
  lower: string;
  /** Numbers followed by a "y" word. */
  beforeY: readonly number[];
  /** Word starts up to three words before a number. */
  keywords: readonly number[];
}

/** Each pattern (sticky) with the offsets it is tried at: every offset where it can match. */
export const AGE_PATTERNS: { pattern: RegExp; at: (scan: AgeScan) => readonly number[] }[] = [
  {
    pattern: /\b(?:aged?|age:|ages)\s{1,2}(\d{1,3})\b/iy,
    at: ({ lower, keywords }) => startingWith(lower, keywords, ['age']),
  },
  { pattern: /\b(\d{1,3})(?:\s{1,2}|-)years?(?:\s{1,2}|-)old\b/iy, at: ({ beforeY }) => beforeY },
  { pattern: /\b(\d{1,3})-year-old\b/iy, at: ({ beforeY }) => beforeY },
  { pattern: /\b(\d{1,3})\s{1,2}(?:yo|y\/o|yrs? old)\b/iy, at: ({ beforeY }) => beforeY },
  {
    pattern: /\b(?:turn|turns|turned|turning|age of|aged about|ages of)\s{1,2}(\d{1,3})(?!\d|[.,]\d|\s?%)/iy,
    at: ({ lower, keywords }) => startingWith(lower, keywords, ['tur', 'age']),
  },
  {
    pattern:
      /\b(?:i|he|she|they|you|we)\s{1,2}(?:was|is|am|are|were|'m|'s)\s{1,2}(?:only\s|just\s|about\s|nearly\s|almost\s)?(\d{1,3})(?=\s{0,2}(?:$|[.,;!?)]|years|yrs|and|when|at))/iy,
    at: ({ lower, keywords }) => startingWith(lower, keywords, ['i', 'he', 'she', 'they', 'you', 'we'], true),
  },
];

/** The first letters of the keywords before a number: "age", "turned", "i", "he", "she", "they", "you", "we". */
const KEYWORD_FIRST_LETTERS = 'atihsyw';

export function ageScan(text: string, lower: string, starts: readonly number[]): AgeScan {
  const numbers = shortNumbers(text, starts);
  return {
    lower,
    beforeY: numbersBeforeY(text, lower, numbers),
    keywords: wordsBeforeNumbers(text, lower, numbers, KEYWORD_FIRST_LETTERS),
  };
}

/** Ages ("aged 79", "79 years old", "a 45-year-old") re-identify together with other facts: MISC. */
export const detectAges: Detector = (view, claims) => {
  const starts = digitRunsOutsidePlaceholders(view, view.text);
  if (starts.length === 0) return;
  const scan = ageScan(view.text, view.lower, starts);
  for (const { pattern, at } of AGE_PATTERNS) {
    for (const match of matchesAt(view.text, at(scan), pattern)) {
      const value = match[1]!;
      const start = match.index + match[0].indexOf(value);
      claims.claim({
        start,
        end: start + value.length,
        action: 'token',
        type: 'MISC',
        canonical: `age:${value}`,
        detector: 'age',
      });
    }
  }
};
