import type { Detector } from './detector';
import { hasBoundaryDigit } from './text-scan';
import { someWordStarts } from './word-starts';

/** Each pattern with the word beginnings (see word-starts.ts) of its keywords; the last has none. */
const AGE: { pattern: RegExp; keywords: string[] | null }[] = [
  { pattern: /\b(?:aged?|age:|ages)\s{1,2}(\d{1,3})\b/gi, keywords: ['age'] },
  { pattern: /\b(\d{1,3})(?:\s{1,2}|-)years?(?:\s{1,2}|-)old\b/gi, keywords: ['yea'] },
  { pattern: /\b(\d{1,3})-year-old\b/gi, keywords: ['yea'] },
  { pattern: /\b(\d{1,3})\s{1,2}(?:yo|y\/o|yrs? old)\b/gi, keywords: ['yo', 'y', 'yr', 'yrs'] },
  {
    pattern: /\b(?:turn|turns|turned|turning|age of|aged about|ages of)\s{1,2}(\d{1,3})(?!\d|[.,]\d|\s?%)/gi,
    keywords: ['tur', 'age'],
  },
  {
    pattern:
      /\b(?:i|he|she|they|you|we)\s{1,2}(?:was|is|am|are|were|'m|'s)\s{1,2}(?:only\s|just\s|about\s|nearly\s|almost\s)?(\d{1,3})(?=\s{0,2}(?:$|[.,;!?)]|years|yrs|and|when|at))/gi,
    keywords: null,
  },
];

/** Ages ("aged 79", "79 years old", "a 45-year-old") re-identify together with other facts: MISC. */
export const detectAges: Detector = (view, claims) => {
  // Every pattern's number starts a word (after a space, a hyphen or `\b`).
  if (!hasBoundaryDigit(view.text)) return;
  for (const { pattern, keywords } of AGE) {
    if (keywords && !someWordStarts(view, keywords)) continue;
    for (const match of view.text.matchAll(pattern)) {
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
