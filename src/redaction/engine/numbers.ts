import type { Detector } from './detector';
import { passesLuhn } from '../validators/luhn';
import type { FoldedText } from './fold';
import type { Claims } from './span';
import { digitsOf, isDigit, isWordChar } from './text-scan';
import { digitRuns } from './numbers-digits';

const PHONE_CONTEXT =
  /\b(?:tel|telephone|phone|ph|mobile|mob|cell|cellphone|call|fax|whatsapp|signal|sms|text|dial|landline|direct|switchboard|hotline|contact|number|reach)\b[^\n]{0,24}$/;
const EXTENSION = /^[ \t]{0,2}(?:ext\.?|extension|x|#)[ \t]{0,2}\d{1,6}(?!\d)/i;

interface Cluster {
  start: number;
  end: number;
  digits: string;
  groups: number;
  plus: boolean;
  parenthesis: boolean;
}

/** Reads digit groups joined by single separators (and phone-style parentheses) from `start`. */
function readCluster(text: string, start: number): Cluster {
  let index = start;
  let digits = '';
  let groups = 0;
  const plus = text[index] === '+';
  if (plus) index += 1;
  let parenthesis = false;
  let end = index;
  const limit = Math.min(text.length, start + 48);
  while (index < limit) {
    if (text[index] === '(') {
      parenthesis = true;
      index += 1;
    }
    const groupStart = index;
    while (index < limit && isDigit(text.charCodeAt(index))) {
      digits += text[index];
      index += 1;
    }
    if (index === groupStart) break;
    groups += 1;
    end = index;
    if (text[index] === ')') {
      parenthesis = true;
      index += 1;
      end = index;
    }
    // One separator (or ") " / " (" pairs) between groups.
    let separators = 0;
    while (index < limit && separators < 2 && ' -./\u00a0'.includes(text[index]!)) {
      index += 1;
      separators += 1;
    }
    if (separators === 2 && text[index - 1] !== ' ' && text[index - 2] !== ' ') break;
    if (!(isDigit(text.charCodeAt(index)) || (text[index] === '(' && isDigit(text.charCodeAt(index + 1)))))
      break;
  }
  return { start, end, digits, groups, plus, parenthesis };
}

/** Whether a cluster starts at `index`: a digit (or "+" / "(" before one) after no word character (or after a claimed digit), not claimed itself. */
function startsCluster(text: string, claims: Claims, index: number): boolean {
  const code = text.charCodeAt(index);
  return (
    (isDigit(code) || ((code === 43 || code === 40) && isDigit(text.charCodeAt(index + 1)))) &&
    (!isWordChar(text, index - 1) || (isDigit(text.charCodeAt(index - 1)) && claims.isClaimed(index - 1))) &&
    !claims.isClaimed(index)
  );
}

/** Claims the cluster starting at `index` as CARD, PHONE or MISC when long enough; returns where to go on. */
function claimCluster(view: FoldedText, claims: Claims, index: number): number {
  const text = view.text;
  const cluster = readCluster(text, index);
  let end = cluster.end;
  // Do not swallow a claimed neighbour (a date or amount already found next to this number).
  let free = cluster.start;
  while (free < end && !claims.isClaimed(free)) free += 1;
  end = free;
  while (end > cluster.start && !isDigit(text.charCodeAt(end - 1)) && text[end - 1] !== ')') end -= 1;
  const value = text.slice(cluster.start, end);
  const digits = digitsOf(value);
  if (digits.length >= 7) {
    const extension = EXTENSION.exec(text.slice(end, end + 24));
    const before = view.lower.slice(Math.max(0, cluster.start - 40), cluster.start);
    const card = digits.length >= 13 && digits.length <= 19 && passesLuhn(digits) && !cluster.plus;
    const phoneLike =
      cluster.plus ||
      cluster.parenthesis ||
      PHONE_CONTEXT.test(before) ||
      (cluster.groups >= 2 && digits.length <= 15);
    if (card) {
      claims.claim({
        start: cluster.start,
        end,
        action: 'token',
        type: 'CARD',
        canonical: digits,
        detector: 'card',
      });
    } else if (phoneLike && digits.length <= 15) {
      const phoneEnd = extension ? end + extension[0].length : end;
      const canonical = (cluster.plus ? '+' : '') + digitsOf(text.slice(cluster.start, phoneEnd));
      claims.claim({
        start: cluster.start,
        end: phoneEnd,
        action: 'token',
        type: 'PHONE',
        canonical,
        detector: 'phone',
      });
    } else {
      claims.claim({
        start: cluster.start,
        end,
        action: 'token',
        type: 'MISC',
        canonical: digits,
        detector: 'digits',
      });
    }
  }
  return Math.max(cluster.end, index + 1);
}

/**
 * Digit clusters that are not claimed yet: Luhn-valid 13–19 digit numbers become CARD, phone
 * numbers (international prefix, parentheses, phone keywords or phone-like grouping, with
 * extensions) PHONE, and any other run of at least seven digits MISC.
 */
export const detectNumbers: Detector = (view, claims) => {
  const text = view.text;
  let index = 0;
  for (const start of digitRuns(view, text)) {
    if (!isDigit(text.charCodeAt(start))) continue;
    // A cluster starts at a digit, or at the "+" / "(" right before a digit run.
    for (let at = Math.max(index, start - 1); at === start - 1 || isDigit(text.charCodeAt(at)); at += 1) {
      if (!startsCluster(text, claims, at)) continue;
      index = claimCluster(view, claims, at);
      at = index - 1;
    }
  }
};
