import type { Detector } from './detector';
import type { Claims } from './span';
import type { FoldedText } from './fold';
import type { Tier1Kind } from './types';
import {
  atWordBoundary,
  digitsOf,
  isAsciiAlnum,
  isAsciiLetter,
  isDigit,
  matchesAt,
  readGroupedIdentifier,
} from './text-scan';
import { isIban, ibanLength } from '../validators/iban';
import { digitRuns } from './numbers-digits';
import { hintedWordStarts, hintIndex, windowsBefore } from './tier1-scan';
import { CURRENCY_WORDS } from './amounts';

/**
 * Layer 2: Tier-1 identifiers. They are cut out, never tokenised and never stored. Structured
 * shapes (IBAN, SSN, SWIFT/BIC with a digit) are found anywhere; bare numbers that could be
 * anything (account, routing, passport numbers) only after a context keyword.
 */

export interface Keyword {
  kind: Tier1Kind;
  pattern: RegExp;
  /** Literals of which every match of `pattern` begins with one, each from a whole word on (see tier1-scan.ts). */
  hints: string[];
  /** Fewest digits the identifier after the keyword must have. */
  minDigits: number;
}

export const KEYWORDS: readonly Keyword[] = [
  {
    kind: 'account',
    hints: [
      'account',
      'accounts',
      'acct',
      'accts',
      'acc',
      'accs',
      'a/c',
      'bank account',
      'custody account',
      'checking',
      'checkings',
      'savings',
      'savingss',
      'brokerage',
      'brokerages',
      'beneficiary',
      'beneficiarys',
      'konto',
      'kontos',
      'kontonummer',
      'kontonummers',
      'compte',
      'comptes',
      'cuenta',
      'cuentas',
      'conto',
      'contos',
    ],
    pattern:
      /\b(?:account|acct|acc|a\/c|bank account|checking|savings|brokerage|custody account|beneficiary|konto|kontonummer|compte|cuenta|conto)s?\b/g,
    minDigits: 4,
  },
  {
    kind: 'routing',
    hints: [
      'routing',
      'aba',
      'rtn',
      'transit',
      'sort code',
      'sort-code',
      'bsb',
      'bank code',
      'blz',
      'clearing',
    ],
    pattern: /\b(?:routing|aba|rtn|transit|sort code|sort-code|bsb|bank code|blz|clearing)\b/g,
    minDigits: 4,
  },
  {
    kind: 'wire',
    hints: [
      'wire',
      'fedwire',
      'imad',
      'omad',
      'chaps',
      'sepa',
      'remittance',
      'payment reference',
      'transfer reference',
      'uetr',
    ],
    pattern:
      /\b(?:wire|fedwire|imad|omad|chaps|sepa|remittance|payment reference|transfer reference|uetr)\b/g,
    minDigits: 4,
  },
  {
    kind: 'ssn',
    hints: [
      'ssn',
      'ss#',
      'ss no',
      'social security',
      'social insurance',
      'sin',
      'itin',
      'tin',
      'tax id',
      'taxpayer id',
      'ein',
      'national insurance',
      'nino',
      'steuer-id',
      'steuernummer',
      'codice fiscale',
      'nif',
      'bsn',
      'personnummer',
    ],
    pattern:
      /\b(?:ssn|ss#|ss no|social security|social insurance|sin|itin|tin|tax id|tax identification|taxpayer id|ein|national insurance|nino|steuer-id|steuernummer|codice fiscale|nif|bsn|personnummer)\b/g,
    minDigits: 4,
  },
  {
    kind: 'passport',
    hints: ['passport', 'passeport', 'reisepass', 'pasaporte'],
    pattern: /\b(?:passport|passeport|reisepass|pasaporte)\b/g,
    minDigits: 2,
  },
  {
    kind: 'gov_id',
    hints: [
      'driver licen',
      "driver's licen",
      "driver' licen",
      'drivers licen',
      'driving licen',
      'licence ',
      'license ',
      'dl',
      'id card',
      'id number',
      'id no',
      'identity card',
      'national id',
      'government id',
      'gov id',
      'dni',
      'nie',
      'aadhaar',
      'pan card',
      'medicare',
      'nhs number',
      'health card',
      'voter id',
      'residence permit',
      'green card',
      'alien number',
      'a-number',
    ],
    pattern:
      /\b(?:driver'?s? licen[cs]e|driving licen[cs]e|drivers licen[cs]e|licen[cs]e (?:no|number|#)|dl|dl#|id card|identity card|national id|government id|gov id|id number|id no|dni|nie|aadhaar|pan card|medicare|nhs number|health card|voter id|residence permit|green card|alien number|a-number)\b/g,
    minDigits: 2,
  },
];

/** Words that may sit between a keyword and its number ("account number ending in …"). */
const FILLER =
  /^(?:number|numbers|no|nos|num|nr|nbr|#|is|was|are|of|ending|ends|in|with|id|code|ref|reference|details|info|the|a|an|my|his|her|their|our|your|to|from|at|on|for|and|is:|number:|holder|card|routing|account|acct|swift|iban|bic|transfer|wire|instructions|confirmation|tracking)$/;

/** How far past a keyword an identifier may begin, and how long it may be. */
const IDENTIFIER_REACH = 48;

/** A currency code, a space and a plainly written sum: "EUR 640,000", "USD 12,500,000.50". */
const CODE_AND_SUM = /[A-Z]{3} \d{1,3}(?:[,.']\d{3})*(?:[.,]\d{1,2})?(?![\w/-]|[.,]\d)/y;

/** Whether an amount in a currency code begins at `index` (so no identifier does). */
function isAmountInCode(text: string, index: number): boolean {
  CODE_AND_SUM.lastIndex = index;
  return CODE_AND_SUM.test(text) && CURRENCY_WORDS.has(text.slice(index, index + 3).toLowerCase());
}

function skipToIdentifier(text: string, lower: string, from: number): number {
  let index = from;
  const limit = Math.min(text.length, from + IDENTIFIER_REACH);
  while (index < limit) {
    const code = text.charCodeAt(index);
    if (isAsciiAlnum(code)) {
      let wordEnd = index;
      while (wordEnd < limit && isAsciiAlnum(lower.charCodeAt(wordEnd))) wordEnd += 1;
      const word = lower.slice(index, wordEnd);
      // "wire of EUR 640,000": a sum in a currency code is an amount, not an identifier.
      if (isAmountInCode(text, index)) return -1;
      if (/\d/.test(word) || !FILLER.test(word)) return index;
      index = wordEnd;
    } else if (' \t\n\r:#=-.(),\'"*/'.includes(text[index]!)) index += 1;
    else return -1;
  }
  return -1;
}

/** Each keyword pattern, anchored: tried only where one of its hints stands. */
const STICKY_KEYWORDS = KEYWORDS.map((keyword) => new RegExp(keyword.pattern.source, 'y'));
const HINTS = hintIndex(KEYWORDS.map((keyword) => keyword.hints));
/** The longest text a keyword pattern matches ("transfer reference", "tax identification"). */
export const LONGEST_KEYWORD = 18;
/**
 * An identifier's first digit starts a digit run at most this far after its keyword's start: the
 * identifier begins within IDENTIFIER_REACH characters of the keyword's end, its digits within
 * IDENTIFIER_REACH characters of its own beginning.
 */
export const KEYWORD_REACH = LONGEST_KEYWORD + 2 * IDENTIFIER_REACH;

export interface Tier1Span {
  start: number;
  end: number;
  kind: Tier1Kind;
}

/**
 * Identifiers after context keywords, keyword by keyword, tried at the hints inside `windows`
 * (start, end, … offsets; by default the whole text).
 */
export function keywordIdentifiers(view: FoldedText, windows?: readonly number[]): Tier1Span[] {
  const spans: Tier1Span[] = [];
  const starts = hintedWordStarts(view.lower, HINTS, windows, LONGEST_KEYWORD);
  for (const [k, keyword] of KEYWORDS.entries()) {
    if (starts[k]!.length === 0) continue;
    for (const match of matchesAt(view.lower, starts[k]!, STICKY_KEYWORDS[k]!)) {
      const at = skipToIdentifier(view.text, view.lower, match.index + match[0].length);
      if (at < 0) continue;
      const identifier = readGroupedIdentifier(view.text, at, IDENTIFIER_REACH);
      if (!identifier || identifier.digits < keyword.minDigits) continue;
      if (identifier.end - at < 4) continue;
      spans.push({ start: at, end: identifier.end, kind: keyword.kind });
    }
  }
  return spans;
}

/**
 * Digit runs an identifier after a keyword may hold: not those right after "_" (as in "[DATE_1]"),
 * since "_" is a word character that ends an identifier's group without counting it.
 */
export function identifierDigits(text: string, digits: readonly number[]): number[] {
  return digits.filter((digit) => text.charCodeAt(digit - 1) !== 95);
}

function claimKeywordIdentifiers(view: FoldedText, claims: Claims, digits: readonly number[]): void {
  // Every identifier holds a digit: only keywords that a digit run follows closely enough count.
  const windows = windowsBefore(identifierDigits(view.text, digits), KEYWORD_REACH);
  for (const span of keywordIdentifiers(view, windows)) {
    claims.claim({
      start: span.start,
      end: span.end,
      action: 'tier1',
      kind: span.kind,
      detector: `tier1:${span.kind}`,
    });
  }
}

export const SSN_SHAPE = /(?<![\d.,/-])\d{3}[ .\-/,]{1,2}\d{2}[ .\-/,]{1,2}\d{4}(?![\d])/y;

function validSsn(digits: string): boolean {
  const area = digits.slice(0, 3);
  return area !== '000' && area !== '666' && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

/**
 * Offsets where a run of digits begins (without the ".5" separator offsets of digitRunStarts), from
 * the digit runs the number, amount, date and address layers share (the same offsets, one scan).
 */
export function digitStarts(view: FoldedText): number[] {
  const digits: number[] = [];
  for (const start of digitRuns(view, view.text))
    if (isDigit(view.text.charCodeAt(start))) digits.push(start);
  return digits;
}

/** Whether a separator `[.,/-]` ruled out by SSN_SHAPE's look-behind is the character at `at`. */
function isSsnExcludedBefore(code: number): boolean {
  return code === 46 || code === 44 || code === 47 || code === 45;
}

/** Where an SSN may begin: a run of exactly three digits, not after `.`, `,`, `/` or `-`. */
export function ssnStarts(text: string, digits: readonly number[]): number[] {
  const starts: number[] = [];
  for (const digit of digits)
    if (
      isDigit(text.charCodeAt(digit + 2)) &&
      !isDigit(text.charCodeAt(digit + 3)) &&
      isDigit(text.charCodeAt(digit + 1)) &&
      !isSsnExcludedBefore(text.charCodeAt(digit - 1))
    )
      starts.push(digit);
  return starts;
}

function claimSsnShapes(view: FoldedText, claims: Claims, digits: readonly number[]): void {
  for (const match of matchesAt(view.text, ssnStarts(view.text, digits), SSN_SHAPE)) {
    if (!validSsn(digitsOf(match[0]))) continue;
    claims.claim({
      start: match.index,
      end: match.index + match[0].length,
      action: 'tier1',
      kind: 'ssn',
      detector: 'tier1:ssn',
    });
  }
}

/** IBAN candidates: two letters, two digits, then alphanumerics in optional groups of up to 4. */
export const IBAN_START = /\b[A-Za-z]{2}\d{2}(?=[ -]?[A-Za-z0-9])/y;

/** Where an IBAN may begin: its two check digits start a digit run right after two ASCII letters. */
export function ibanStarts(text: string, digits: readonly number[]): number[] {
  const starts: number[] = [];
  for (const digit of digits)
    if (
      isAsciiLetter(text.charCodeAt(digit - 1)) &&
      isAsciiLetter(text.charCodeAt(digit - 2)) &&
      isDigit(text.charCodeAt(digit + 1))
    )
      starts.push(digit - 2);
  return starts;
}

function claimIbans(view: FoldedText, claims: Claims, digits: readonly number[]): void {
  for (const match of matchesAt(view.text, ibanStarts(view.text, digits), IBAN_START)) {
    const start = match.index;
    const country = match[0].slice(0, 2).toUpperCase();
    const expected = ibanLength(country);
    if (!expected) continue;
    // Walk characters, skipping single spaces/dashes, until the expected length is reached.
    let index = start;
    let count = 0;
    let end = start;
    while (index < view.text.length && count < expected) {
      const code = view.text.charCodeAt(index);
      if (isAsciiAlnum(code)) {
        count += 1;
        index += 1;
        end = index;
      } else if ((code === 32 || code === 45) && isAsciiAlnum(view.text.charCodeAt(index + 1)) && count > 0)
        index += 1;
      else break;
    }
    if (count !== expected) continue;
    const candidate = view.text.slice(start, end);
    const compact = candidate.replace(/[ -]/g, '');
    const sameCase = compact === compact.toUpperCase() || compact === compact.toLowerCase();
    // A checksum-valid IBAN is always taken; an unbroken IBAN-shaped token of the exact national
    // length is taken too (leak first: a mistyped IBAN is still an account number).
    const shaped = sameCase && /^[A-Za-z]{2}\d{2}[A-Za-z0-9]+$/.test(compact) && !/[ -]/.test(candidate);
    if (!isIban(compact) && !shaped) continue;
    if (!atWordBoundary(view.text, start, end) && !isIban(compact)) continue;
    claims.claim({ start, end, action: 'tier1', kind: 'iban', detector: 'tier1:iban' });
  }
}

const COUNTRIES = new Set(
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'.split(
    ' ',
  ),
);

/** Whether two ASCII letters at `at` name a country, in either case (COUNTRIES as a 26×26 table). */
const COUNTRY_TABLE = new Uint8Array(26 * 26);
for (const country of COUNTRIES)
  COUNTRY_TABLE[(country.charCodeAt(0) - 65) * 26 + country.charCodeAt(1) - 65] = 1;

function isCountryAt(text: string, at: number): boolean {
  return COUNTRY_TABLE[((text.charCodeAt(at) | 32) - 97) * 26 + (text.charCodeAt(at + 1) | 32) - 97] === 1;
}

/**
 * Where `/\b[A-Za-z]{6}[A-Za-z0-9]{2}(?:[A-Za-z0-9]{3})?\b/g` matches: its `\b` is ASCII, so a
 * match is a whole run of `[A-Za-z0-9_]` of 8 or 11 characters, six letters then letters or digits.
 */
export function bicShapes(text: string): { index: number; code: string }[] {
  const found: { index: number; code: string }[] = [];
  const spans = bicShapeSpans(text);
  for (let k = 0; k < spans.length; k += 2)
    found.push({ index: spans[k]!, code: text.slice(spans[k], spans[k + 1]) });
  return found;
}

/** bicShapes as start, end, start, end, … offsets. */
export function bicShapeSpans(text: string): number[] {
  const spans: number[] = [];
  let index = 0;
  while (index < text.length) {
    if (!isAsciiWordCode(text.charCodeAt(index))) {
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < text.length && isAsciiWordCode(text.charCodeAt(end))) end += 1;
    if ((end - index === 8 || end - index === 11) && isBicShape(text, index, end)) spans.push(index, end);
    index = end;
  }
  return spans;
}

function isAsciiWordCode(code: number): boolean {
  return isAsciiAlnum(code) || code === 95;
}

function isBicShape(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (i - start < 6 ? !isAsciiLetter(code) : !isAsciiAlnum(code)) return false;
  }
  return true;
}

/** Whether a BIC-shaped code has no lower-case letter and a digit in its location/branch part. */
export function isUpperWithDigit(text: string, start: number, end: number): boolean {
  let digit = false;
  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 97) return false;
    if (i - start >= 6 && isDigit(code)) digit = true;
  }
  return digit;
}

const LONGEST_BIC = 11;

const BIC_CONTEXT = /\b(?:swift|bic|swift\/bic|bic\/swift|swift code|bank identifier)\b/;
/** What every BIC_CONTEXT keyword contains (one native pass; "bic" first runs fastest). */
const BIC_KEYWORD_PART = /bic|swift|bank identifier/;

/** Whether six upper-case ASCII letters end right before `at`. */
function sixCapitalsBefore(text: string, at: number): boolean {
  if (at < 6) return false;
  for (let i = at - 6; i < at; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 65 || code > 90) return false;
  }
  return true;
}

/**
 * The bicShapeSpans that may be upper-case codes with a digit in their location/branch part: such
 * a code's first digit starts a digit run right after six capitals, so only those words are cut out.
 */
export function upperBicSpans(text: string, digits: readonly number[]): number[] {
  const spans: number[] = [];
  for (const digit of digits) {
    if (!sixCapitalsBefore(text, digit)) continue;
    // Walks stop one character past the longest code, so a long word costs no more than a code.
    let start = digit - 6;
    while (start > 0 && digit - start < LONGEST_BIC && isAsciiWordCode(text.charCodeAt(start - 1)))
      start -= 1;
    if (spans.length > 0 && start < spans[spans.length - 1]!) continue; // same word as the last one
    let end = digit + 1;
    while (end < text.length && end - start <= LONGEST_BIC && isAsciiWordCode(text.charCodeAt(end))) end += 1;
    const whole = !isAsciiWordCode(text.charCodeAt(start - 1)) && !isAsciiWordCode(text.charCodeAt(end));
    if (whole && (end - start === 8 || end - start === LONGEST_BIC) && isBicShape(text, start, end))
      spans.push(start, end);
  }
  return spans;
}

function claimBics(view: FoldedText, claims: Claims, digits: readonly number[]): void {
  const keywordPossible = BIC_KEYWORD_PART.test(view.lower);
  // Without a keyword only an upper-case code with a digit in its location/branch part counts,
  // so ordinary capitalised words are not taken for bank codes.
  const spans = keywordPossible ? bicShapeSpans(view.text) : upperBicSpans(view.text, digits);
  for (let k = 0; k < spans.length; k += 2) {
    const start = spans[k]!;
    const end = spans[k + 1]!;
    if (!isCountryAt(view.text, start + 4)) continue;
    if (
      !isUpperWithDigit(view.text, start, end) &&
      !(keywordPossible && BIC_CONTEXT.test(view.lower.slice(Math.max(0, start - 40), start)))
    )
      continue;
    claims.claim({ start, end, action: 'tier1', kind: 'swift', detector: 'tier1:swift' });
  }
}

/** UK National Insurance numbers have a fixed shape that is safe to take without context. */
export const NINO = /\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/y;

/** Where a NI number may begin: its first digit starts a digit run two letters (and perhaps a space) on. */
export function ninoStarts(text: string, digits: readonly number[]): number[] {
  const starts: number[] = [];
  for (const digit of digits) {
    const start = text.charCodeAt(digit - 1) === 32 ? digit - 3 : digit - 2;
    // Two capitals, then two digits.
    if (
      isCapital(text.charCodeAt(start)) &&
      isCapital(text.charCodeAt(start + 1)) &&
      isDigit(text.charCodeAt(digit + 1))
    )
      starts.push(start);
  }
  return starts;
}

function isCapital(code: number): boolean {
  return code >= 65 && code <= 90;
}

function claimNinos(view: FoldedText, claims: Claims, digits: readonly number[]): void {
  for (const match of matchesAt(view.text, ninoStarts(view.text, digits), NINO)) {
    claims.claim({
      start: match.index,
      end: match.index + match[0].length,
      action: 'tier1',
      kind: 'gov_id',
      detector: 'tier1:nino',
    });
  }
}

export const detectTier1: Detector = (view, claims) => {
  // IBANs, SSNs, keyword identifiers and NI numbers all contain digits; only a BIC may not.
  const digits = digitStarts(view);
  if (digits.length > 0) {
    claimIbans(view, claims, digits);
    claimSsnShapes(view, claims, digits);
    claimKeywordIdentifiers(view, claims, digits);
  }
  claimBics(view, claims, digits);
  if (digits.length > 0) claimNinos(view, claims, digits);
};
