import type { Detector } from './detector';
import type { FoldedText } from './fold';
import type { Claims } from './span';
import { isRegexSpace, matchesAt } from './text-scan';
import { digitRunsOutsidePlaceholders } from './numbers-digits';
import {
  alternationWords,
  currencyAfterStarts,
  figureStarts,
  magnitudeStarts,
  stretchEnds,
} from './amounts-figures';
import { NUMBER_WORDS, wordedAmounts } from './amounts-words';
import { someWordIs } from './word-starts';
import { collapseSpaces, hasDigit, trimSeparators } from './numbers-text';
import { isAsciiWordChar } from './scan-offsets';

const SYMBOL = String.raw`(?:US\$|USD\$|C\$|CA\$|A\$|AU\$|NZ\$|HK\$|S\$|R\$|Mex\$|[$€£¥₿₹₩₽₺₪₫₱฿₦₴₵]|Fr\.|CHF|Rs\.?|kr\.?)`;
const CODE = String.raw`(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|CNY|RMB|HKD|SGD|SEK|NOK|DKK|PLN|CZK|HUF|INR|BRL|MXN|ZAR|KRW|TRY|ILS|AED|SAR|RUB|UAH|NGN|KES|ARS|CLP|COP|PEN|THB|IDR|MYR|PHP|VND|BTC|XBT|ETH|USDT|USDC|sats?|SATS?|msats?)`;
const WORD_CURRENCY = String.raw`(?:dollars?|bucks|euros?|pounds?(?: sterling)?|sterling|quid|yen|yuan|renminbi|francs?|rupees?|pesos?|reais|reals?|rand|won|kronor|kroner|krona|krone|zloty|zlotys|lira|shekels?|dirhams?|riyals?|rubles?|roubles?|bitcoins?|btc|satoshis?|sats?|ether|grand|cents?|pence)`;
const NUMBER = String.raw`(?:\d{1,3}(?:[,' \u00a0.]\d{3}){1,6}(?:[.,]\d{1,8})?|\d{1,15}(?:[.,]\d{1,8})?|[.,]\d{1,8})`;
const MAGNITUDE_WORD = String.raw`(?:k|K|m|M|mm|MM|mn|Mn|bn|Bn|BN|b|B|t|T|tn|thousand|million|billion|trillion|mil|mio|Mio|Mrd|mrd|lakh|lakhs|crore|crores)`;
const MAGNITUDE = String.raw`(?:\s?${MAGNITUDE_WORD}(?![A-Za-z]))`;
const FIGURE = String.raw`${NUMBER}${MAGNITUDE}?`;
const RANGE = String.raw`(?:\s?(?:-|–|to|and)\s?${SYMBOL}?\s?${FIGURE})?`;

/**
 * "$2.5M", "€ 1.200.000", "USD 3,000 - 5,000", "US$3bn". Sticky: a symbol or code (at most
 * SYMBOL_LONGEST characters, none ending in a digit, a space or a minus), an optional space and
 * minus, then the figure, which begins where a digit run (or its leading "." / ",") does.
 */
export const SYMBOL_FIRST = new RegExp(
  String.raw`(?<![\w$])(?:${SYMBOL}|${CODE})\s?-?${FIGURE}${RANGE}(?![\w])`,
  'y',
);
/** "msats" */
const SYMBOL_LONGEST = 5;

const SYMBOL_CHARS = new Set([...'$€£¥₿₹₩₽₺₪₫₱฿₦₴₵'].map((char) => char.charCodeAt(0)));

/**
 * Whether a SYMBOL_FIRST match can begin with this character: every SYMBOL and CODE alternative
 * begins with a capital, a currency sign, "k" (kr), "s" (sats) or "m" (msats).
 */
export function maySymbolStart(code: number): boolean {
  return (code >= 65 && code <= 90) || code === 107 || code === 115 || code === 109 || SYMBOL_CHARS.has(code);
}

/** `[\w$]`, what SYMBOL_FIRST must not follow. */
function isWordOrDollar(code: number): boolean {
  return isAsciiWordChar(code) || code === 36;
}

/**
 * Where a SYMBOL_FIRST match can begin: the symbol ends right before the `\s?-?` ahead of a figure
 * start, so it begins at most SYMBOL_LONGEST characters earlier, after no `[\w$]`.
 */
export function symbolFirstOffsets(text: string, starts: readonly number[]): number[] {
  const offsets: number[] = [];
  let next = 0;
  for (const start of starts) {
    let end = start;
    if (text.charCodeAt(end - 1) === 45) end -= 1;
    if (isRegexSpace(text.charCodeAt(end - 1))) end -= 1;
    for (let at = Math.max(next, end - SYMBOL_LONGEST); at < end; at += 1) {
      if (maySymbolStart(text.charCodeAt(at)) && !isWordOrDollar(text.charCodeAt(at - 1))) offsets.push(at);
    }
    next = Math.max(next, end);
  }
  return offsets;
}
/** "2.5 million dollars", "3,000 EUR", "0.5 BTC", "250k sats", "15 grand" */
export const CURRENCY_AFTER = new RegExp(
  String.raw`(?<![\w.,])${FIGURE}${RANGE}\s?(?:${CODE}|${WORD_CURRENCY})(?![A-Za-z])`,
  'iy',
);
/** The words that can follow a CURRENCY_AFTER figure's digits and spaces (see amounts-figures.ts). */
export const CURRENCY_AFTER_WORDS = new Set(
  alternationWords(MAGNITUDE_WORD).concat(alternationWords(CODE), alternationWords(WORD_CURRENCY)),
);
/** "2.5 million", "$ figures with magnitude words" without a currency but with an explicit magnitude word. */
export const MAGNITUDE_ONLY = new RegExp(
  String.raw`(?<![\w.,])${NUMBER}\s(?:thousand|million|billion|trillion|mn|bn|mm)(?![A-Za-z])`,
  'iy',
);
/** Percent values are not amounts but portfolio percentages re-identify; they stay (not PII). */

/** What `^(?:WORD_CURRENCY|CODE)$` (case-insensitive) accepts of a lower-case a–z word. */
export const CURRENCY_WORDS = new Set([...alternationWords(WORD_CURRENCY), ...alternationWords(CODE)]);

function claim(view: FoldedText, claims: Claims, start: number, end: number, detector: string): void {
  const canonical = collapseSpaces(view.lower.slice(start, end));
  claims.claim({ start, end, action: 'token', type: 'AMOUNT', canonical, detector });
}

/** A worded amount holds a number word that is a whole word of its own, "zero" aside. */
const COUNTING_WORDS = NUMBER_WORDS.filter((word) => word !== 'zero');

/** Worded amounts (see amounts-words.ts). */
function claimWorded(view: FoldedText, claims: Claims): void {
  if (!someWordIs(view, COUNTING_WORDS)) return;
  for (const { start, end } of wordedAmounts(view.lower, (word) => CURRENCY_WORDS.has(word)))
    claim(view, claims, start, end, 'amount:words');
}

/** Money: figures with symbols, codes or currency words (ranges included), and worded amounts. */
export const detectAmounts: Detector = (view, claims) =>
  claimAmounts(view, claims, digitRunsOutsidePlaceholders(view, view.text));

/** Amounts whose figures begin at the digit run starts `starts` (see numbers-digits.ts). */
export function claimAmounts(view: FoldedText, claims: Claims, starts: readonly number[]): void {
  if (starts.length === 0) return claimWorded(view, claims);
  const figures = figureStarts(view.text, starts);
  const ends = stretchEnds(view.text, figures);
  const matches = [
    ...matchesAt(view.text, symbolFirstOffsets(view.text, starts), SYMBOL_FIRST),
    ...matchesAt(
      view.text,
      currencyAfterStarts(view.text, figures, ends, CURRENCY_AFTER_WORDS),
      CURRENCY_AFTER,
    ),
    ...matchesAt(view.text, magnitudeStarts(view.text, figures, ends), MAGNITUDE_ONLY),
  ];
  {
    for (const match of matches) {
      const value = trimSeparators(match[0], true);
      if (!hasDigit(value)) continue;
      claim(view, claims, match.index, match.index + value.length, 'amount');
    }
  }
  claimWorded(view, claims);
}
