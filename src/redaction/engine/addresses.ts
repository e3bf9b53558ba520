import type { Detector } from './detector';
import type { FoldedText } from './fold';
import type { Claims } from './span';
import { isRegexSpace, matchesAt } from './text-scan';
import { digitRuns, digitRunsOutsidePlaceholders } from './numbers-digits';
import { someWordStarts } from './word-starts';
import { endsTrailingPostcode, houseNumberStarts, numberNameStarts } from './addresses-numbers';
import {
  digitRunsWhere,
  hasAstralLetter,
  keywordsBeforeDigits,
  mergeAscending,
  nameFirstOffsets,
  type Keyword,
  spaceDigits,
  wordOccurrences,
  type NameFirstForms,
} from './addresses-scan';

const STREET_TYPES =
  'street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|ter|square|sq|highway|hwy|parkway|pkwy|circle|cir|crescent|cres|close|grove|gardens|mews|row|walk|alley|plaza|trail|trl|pike|loop|run|path|green|hill|park|quay|wharf|embankment|broadway|strasse|straße|str|gasse|weg|platz|allee|ring|damm|ufer|straat|laan|gracht|plein|weg|vej|gade|gatan|gata|vagen|vägen|katu|kuja|tie|polku|rue|avenue|boulevard|chemin|allée|impasse|quai|via|viale|piazza|corso|vicolo|calle|avenida|paseo|plaza|carrera|rua|travessa|largo|ulica|ul|aleja|al|trg|utca|út|ulice|namesti|náměstí|cesta|sokak|caddesi|odos|marg|road';
const UNIT =
  '(?:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|bldg|building|po box|p\\.o\\. box|#)\\.?\\s{0,2}[a-z0-9-]{1,6}';

/** "221B Baker Street", "1600 Pennsylvania Ave NW", "6750 Koskikatu 25", "Rua Cidade de Maracajá 468" */
export const NUMBER_FIRST = new RegExp(
  `(?<![\\w.,/-])\\d{1,6}[a-z]?(?:[-/]\\d{1,4})?(?:\\s\\d{1,5})?,?\\s{1,2}(?:[\\p{L}'.-]{1,30}\\s{1,2}){0,5}?(?:(?:${STREET_TYPES})\\.?(?![\\p{L}])(?:\\s{1,2}(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\\.?(?![\\p{L}]))?)`,
  'iuy',
);
/** House number, capitalised street name, building number: "6750 Koskikatu 25" (case-sensitive). */
export const NUMBER_NAME_NUMBER =
  /(?<![\w.,/-])\d{1,6}[a-z]?(?:\s\d{1,5})?\s{1,2}(?:\p{Lu}[\p{L}'.-]{1,29}\s{1,2}(?:(?:de|da|do|dos|das|di|del|la|le|van|von)\s{1,2})?){1,4}\d{1,5}[a-z]?(?![\d])/uy;
/** European order: "Hauptstraße 5", "ul. Narewska 94", "Via Roma 12" */
export const NAME_FIRST = new RegExp(
  `(?<![\\p{L}])(?:(?:${STREET_TYPES})\\.?\\s{1,2}(?:[\\p{L}'.-]{2,30}\\s{1,2}){1,4}|[\\p{L}-]{2,30}(?:strasse|straße|str\\.|gasse|weg|platz|allee|straat|laan|gracht|vej|gade|gatan|vägen|katu|kuja|tie|utca|ulica)\\s{1,2})\\d{1,5}[a-z]?(?![\\d])`,
  'giu',
);
const NAME_FIRST_AT = new RegExp(NAME_FIRST.source, 'iuy');
const STREET_TYPE_SET = new Set(STREET_TYPES.split('|'));
/** NAME_FIRST's suffixes but "str." */
const STREET_SUFFIXES =
  'strasse|straße|gasse|weg|platz|allee|straat|laan|gracht|vej|gade|gatan|vägen|katu|kuja|tie|utca|ulica'.split(
    '|',
  );
/** The suffixes a text without non-ASCII characters can end in. */
const ASCII_SUFFIXES = STREET_SUFFIXES.filter((suffix) => !hasNonAscii(suffix, 0, suffix.length));
const LONGEST_ASCII_TYPE = Math.max(
  ...[...STREET_TYPE_SET].filter((type) => !hasNonAscii(type, 0, type.length)).map((type) => type.length),
);

function hasNonAscii(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (text.charCodeAt(i) > 127) return true;
  return false;
}

/** Whether [from, end) ends in the lower-case ASCII `suffix`, compared in lower case. */
function endsInLowerCase(text: string, from: number, end: number, suffix: string): boolean {
  if (end - from < suffix.length) return false;
  for (let i = 1; i <= suffix.length; i += 1) {
    const code = text.charCodeAt(end - i);
    const lower = code >= 65 && code <= 90 ? code + 32 : code;
    if (lower !== suffix.charCodeAt(suffix.length - i)) return false;
  }
  return true;
}

/** Case-insensitive tests on ASCII only: a non-ASCII letter may fold (`/iu`) into a match. */
const NAME_FIRST_FORMS: NameFirstForms = {
  mayBeType: (text, start, end) => {
    if (hasNonAscii(text, start, end)) return true;
    return end - start <= LONGEST_ASCII_TYPE && STREET_TYPE_SET.has(text.slice(start, end).toLowerCase());
  },
  mayEndInSuffix: (text, end, dot) => {
    const from = Math.max(0, end - 7);
    if (hasNonAscii(text, from, end)) return true;
    if (dot) return endsInLowerCase(text, from, end, 'str');
    return ASCII_SUFFIXES.some((suffix) => endsInLowerCase(text, from, end, suffix));
  },
  // `[\p{L}-]{2,30}` and a suffix of 3 to 7 letters ("str." ends before its dot).
  shortest: 2 + 3,
  longest: 30 + 7,
};
/** Unit lines and military addresses: "Apt. 902", "Suite 828", "PSC 5420, Box 2708", "APO AE 44085" */
const UNIT_LINE =
  /\b(?:apt|apartment|suite|ste|unit|flat|room|bldg|building)\.?\s{0,2}#?\d{1,6}[a-z]?\b(?:,?\s{1,2}box\s{1,2}\d{1,6})?/iy;
const MILITARY =
  /\b(?:(?:psc|cmr|unit)\s{1,2}\d{1,6},?\s{1,2}box\s{1,2}\d{1,6}|(?:apo|fpo|dpo)\s{1,2}(?:aa|ae|ap)\s{1,2}\d{5}|usns\s{1,2}\p{L}{2,30}|uss\s{1,2}\p{L}{2,30})/iuy;
/** A postcode after a place name at the end of a line: "Denmark 35018", "OULU 90100" */
const TRAILING_POSTCODE =
  /(?<=\p{Lu}[\p{L}'.-]{1,40}\)?,?\s{1,2})\d{3,6}(?:[ -]\d{2,4})?(?=\s{0,3}(?:$|\n|[.,]))/uy;
const PO_BOX = /\b(?:p\.?\s?o\.?\s?box|postfach|apartado|caixa postal)\s{0,2}\d{1,8}/iy;
/** Postcodes with a distinctive shape: UK, Canada, Netherlands, US ZIP+4. */
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b/y;
const CANADIAN_POSTCODE = /\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b/y;
const DUTCH_POSTCODE = /\b\d{4}\s?[A-Z]{2}\b(?=\s{1,2}[A-Z][a-z])/y;
const ZIP_PLUS_FOUR = /\b\d{5}-\d{4}\b/y;
/** US state + ZIP: "CA 94105", "New York, NY 10001" */
const STATE_ZIP =
  /\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|ON|QC|BC|AB|MB|NS|NB|NL|PE|SK)\.?,?\s{1,2}\d{5}(?:-\d{4})?\b/y;
/**
 * Postal code after a keyword: "zip 94105", "zip code 60311", "postcode SW1A 1AA", "PLZ 10115".
 * Longer keywords come first ("zip code" before "zip"); a second group ("1AA") holds a digit, so
 * neither a trailing space nor the next word ("60311 for") becomes part of the code.
 */
export const ZIP_KEYWORD =
  /\b(?:zip code|zipcode|zip|postal code|post code|postcode|plz|cp|cap)\s{0,2}[:#]?\s{0,2}(?:is\s{1,2}|was\s{1,2})?([A-Z0-9]{2,5}(?:[ -]?(?=[A-Z]{0,3}\d)[A-Z0-9]{1,4})?)\b/iy;

/** NAME_FIRST tried only where it can begin (see addresses-scan.ts). */
export function nameFirstMatches(text: string, starts: readonly number[]): Iterable<RegExpExecArray> {
  if (hasAstralLetter(text)) return text.matchAll(NAME_FIRST);
  return matchesAt(text, nameFirstOffsets(text, spaceDigits(text, starts), NAME_FIRST_FORMS), NAME_FIRST_AT);
}

function claimAddress(
  view: FoldedText,
  claims: Claims,
  start: number,
  end: number,
  detector: string,
): boolean {
  const canonical = view.lower.slice(start, end).replace(/[\s,]+/g, ' ');
  return claims.claim({ start, end, action: 'token', type: 'ADDR', canonical, detector });
}

/** After a street line: unit numbers, then ", City", ", ST 12345" style tails on the same line. */
function extendTail(text: string, end: number): number {
  const unit = new RegExp(`^,?\\s{1,2}${UNIT}`, 'i').exec(text.slice(end, end + 40));
  if (unit) end += unit[0].length;
  return end;
}

/** A bare number (3–6 digits, maybe one group) alone on a line or at a line's end. */
const LINE_NUMBER = /(?<=^|\n|[ \t])\d{3,6}(?:[ -]\d{2,4})?(?=[ \t]*(?:\n|$))/g;

/** In the lines right after a street address, a bare number closing a line is its postcode. */
function claimPostcodesNearAddresses(view: FoldedText, claims: Claims, addressEnds: number[]): void {
  for (const end of addressEnds) {
    const windowEnd = Math.min(view.text.length, end + 160);
    const tail = view.text.slice(end, windowEnd);
    for (const match of tail.matchAll(LINE_NUMBER)) {
      const start = end + match.index;
      claimAddress(view, claims, start, start + match[0].length, 'postcode');
    }
  }
}

/** What the postcode patterns' start offsets are derived from. */
export interface AddressScan {
  view: FoldedText;
  text: string;
  lower: string;
  /** Digit run starts (see text-scan.ts). */
  starts: readonly number[];
}

const isCapital = (code: number): boolean => code >= 65 && code <= 90;
const KELVIN_OR_LONG_S = /[\u017f\u212a]/;

const isAsciiLetter = (code: number): boolean => (code | 0x20) >= 97 && (code | 0x20) <= 122;
/** "p.o. box", "po box", "p o box", "postfach", "apartado", "caixa postal"; `\s{0,2}` before the number. */
const PO_BOX_KEYWORD: Keyword = {
  reach: 12 + 2,
  beginnings: ['p', 'apa', 'cai'],
  mayPrecede: (code) => isRegexSpace(code) || isAsciiLetter(code),
};
/** "apartment" and `\.?\s{0,2}#?` before the number. */
const UNIT_KEYWORD: Keyword = {
  reach: 9 + 1 + 2 + 1,
  beginnings: ['apt', 'apa', 'sui', 'ste', 'uni', 'fla', 'roo', 'bld', 'bui'],
  mayPrecede: (code) => isRegexSpace(code) || isAsciiLetter(code) || code === 46 || code === 35,
};
/** "apo ae " and `\s{1,2}` before the number. */
const MILITARY_KEYWORD: Keyword = {
  reach: 3 + 2 + 2 + 2,
  beginnings: ['psc', 'cmr', 'uni', 'apo', 'fpo', 'dpo'],
  mayPrecede: isRegexSpace,
};

/** STATE_ZIP: two capitals 3 to 6 units before exactly five digits with a space before them. */
function stateZipStarts({ text, starts }: AddressScan): number[] {
  const offsets: number[] = [];
  const zips = digitRunsWhere(
    text,
    starts,
    (at, length) => length === 5 && isRegexSpace(text.charCodeAt(at - 1)),
  );
  for (const start of zips)
    for (let at = Math.max(0, start - 6); at <= start - 3; at += 1)
      if (isCapital(text.charCodeAt(at))) offsets.push(at);
  return offsets;
}

/** UK_POSTCODE: one or two capitals before the first digit. */
function ukStarts(scan: AddressScan): number[] {
  const offsets: number[] = [];
  for (const start of afterCapitals(scan)) {
    if (isCapital(scan.text.charCodeAt(start - 2))) offsets.push(start - 2);
    offsets.push(start - 1);
  }
  return offsets;
}

/** Digit runs starting right after a capital A–Z: where "SW1A 1AA" or "K1A 0B1" has its first digit. */
function afterCapitals({ text, starts }: AddressScan): number[] {
  return digitRunsWhere(text, starts, (start) => isCapital(text.charCodeAt(start - 1)));
}

/**
 * Postcode patterns (sticky) in claiming order, each with the offsets it is tried at: every offset
 * where it can match, derived from the digit runs (every pattern holds a digit) or, for the
 * military ship names, from where "uss" / "usns" occur.
 */
export const POSTCODE_PATTERNS: { pattern: RegExp; at: (scan: AddressScan) => readonly number[] }[] = [
  {
    pattern: PO_BOX,
    // "p.o. box", "po box", "pobox", "p obox" begin the words "p", "po" or "pob" (see word-starts.ts).
    at: ({ view, text, lower, starts }) =>
      starts.length > 0 && someWordStarts(view, ['p', 'po', 'pob', 'pos', 'apa', 'cai'])
        ? keywordsBeforeDigits(text, lower, starts, PO_BOX_KEYWORD)
        : [],
  },
  {
    pattern: UNIT_LINE,
    at: ({ view, text, lower, starts }) =>
      starts.length > 0 && someWordStarts(view, UNIT_KEYWORD.beginnings)
        ? keywordsBeforeDigits(text, lower, starts, UNIT_KEYWORD)
        : [],
  },
  {
    pattern: MILITARY,
    at: ({ view, text, lower, starts }) => {
      if (!someWordStarts(view, ['psc', 'cmr', 'uni', 'apo', 'fpo', 'dpo', 'usn', 'uss'])) return [];
      // Under `/iu` "ſ" and the Kelvin sign fold into "s" and "k": then every offset may begin a ship name.
      if (KELVIN_OR_LONG_S.test(text)) return Array.from({ length: text.length }, (_, i) => i);
      // "apo ae " before five digits; "uss" and "usns" ship names hold no digit.
      const near = keywordsBeforeDigits(text, lower, starts, MILITARY_KEYWORD);
      return mergeAscending(near, wordOccurrences(lower, ['uss', 'usns']));
    },
  },
  // Two capitals, `\.?,?\s{1,2}`, then exactly five digits (maybe "-" and four more).
  { pattern: STATE_ZIP, at: stateZipStarts },
  // `\s{1,2}` right before three to six digits that end a line (see addresses-numbers.ts)
  {
    pattern: TRAILING_POSTCODE,
    at: ({ text, starts }) =>
      digitRunsWhere(
        text,
        starts,
        (start, length) =>
          isRegexSpace(text.charCodeAt(start - 1)) && endsTrailingPostcode(text, start, length),
      ),
  },
  // One or two capitals right before the first digit.
  { pattern: UK_POSTCODE, at: ukStarts },
  { pattern: CANADIAN_POSTCODE, at: (scan) => afterCapitals(scan).map((start) => start - 1) },
  {
    pattern: DUTCH_POSTCODE,
    // Four digits, `\s?` and two capitals.
    at: ({ text, starts }) =>
      digitRunsWhere(text, starts, (start, length) => {
        const at = isRegexSpace(text.charCodeAt(start + 4)) ? start + 5 : start + 4;
        return length === 4 && isCapital(text.charCodeAt(at)) && isCapital(text.charCodeAt(at + 1));
      }),
  },
  {
    pattern: ZIP_PLUS_FOUR,
    at: ({ text, starts }) =>
      digitRunsWhere(text, starts, (start, length) => length === 5 && text.charCodeAt(start + 5) === 45),
  },
];

/** "zip", "zip code", "zipcode", "postcode", "post code", "postal code", "plz", "cp", "cap" */
export const ZIP_KEYWORD_BEGINNINGS = ['zip', 'post', 'plz', 'cp', 'cap'];

/** The zip keywords begin words "zip…", "pos…", "plz…", "cap…" (see word-starts.ts), or "cp" (maybe glued to its number). */
export function mayHoldZipKeyword(view: FoldedText): boolean {
  return someWordStarts(view, ['zip', 'pos', 'plz', 'cap']) || view.lower.includes('cp');
}

/** Street addresses, PO boxes and postcodes. */
export const detectAddresses: Detector = (view, claims) => {
  if (digitRuns(view, view.text).length === 0) return;
  claimAddresses(view, claims, digitRunsOutsidePlaceholders(view, view.text));
};

/** Addresses found from the digit run starts `starts` (see numbers-digits.ts). */
export function claimAddresses(view: FoldedText, claims: Claims, starts: readonly number[]): void {
  const text = view.text;
  const addressEnds: number[] = [];
  const houseNumbers = houseNumberStarts(text, starts);
  const streetMatches = [
    ...matchesAt(text, houseNumbers, NUMBER_FIRST),
    ...matchesAt(text, numberNameStarts(text, houseNumbers), NUMBER_NAME_NUMBER),
    ...nameFirstMatches(text, starts),
  ];
  for (const match of streetMatches) {
    const end = extendTail(text, match.index + match[0].length);
    if (claimAddress(view, claims, match.index, end, 'address')) addressEnds.push(end);
  }
  claimPostcodesNearAddresses(view, claims, addressEnds);
  const scan: AddressScan = { view, text, lower: view.lower, starts };
  for (const { pattern, at } of POSTCODE_PATTERNS) {
    for (const match of matchesAt(text, at(scan), pattern))
      claimAddress(view, claims, match.index, match.index + match[0].length, 'postcode');
  }
  // Every keyword match counts (a later one may hide in it), so all keywords are tried, not only those near digits.
  if (!mayHoldZipKeyword(view)) return;
  // Every keyword is tried, also one inside an earlier match that held no code ("zip code zip 10115").
  for (const keyword of wordOccurrences(view.lower, ZIP_KEYWORD_BEGINNINGS)) {
    ZIP_KEYWORD.lastIndex = keyword;
    const match = ZIP_KEYWORD.exec(text);
    const value = match?.[1];
    if (!match || value === undefined || !/\d/.test(value)) continue;
    const start = match.index + match[0].length - value.length;
    claimAddress(view, claims, start, start + value.length, 'postcode');
  }
}
