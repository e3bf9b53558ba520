import type { Detector } from './detector';
import type { FoldedText } from './fold';
import type { Claims } from './span';
import { someWordStarts } from './word-starts';
import { containsAny, digitRunStarts, isDigit, isRegexSpace, matchesAt } from './text-scan';
import { hasAstralLetter, nameFirstOffsets, spaceDigits } from './addresses-scan';

const STREET_TYPES =
  'street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|ter|square|sq|highway|hwy|parkway|pkwy|circle|cir|crescent|cres|close|grove|gardens|mews|row|walk|alley|plaza|trail|trl|pike|loop|run|path|green|hill|park|quay|wharf|embankment|broadway|strasse|straße|str|gasse|weg|platz|allee|ring|damm|ufer|straat|laan|gracht|plein|weg|vej|gade|gatan|gata|vagen|vägen|katu|kuja|tie|polku|rue|avenue|boulevard|chemin|allée|impasse|quai|via|viale|piazza|corso|vicolo|calle|avenida|paseo|plaza|carrera|rua|travessa|largo|ulica|ul|aleja|al|trg|utca|út|ulice|namesti|náměstí|cesta|sokak|caddesi|odos|marg|road';
const UNIT =
  '(?:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|bldg|building|po box|p\\.o\\. box|#)\\.?\\s{0,2}[a-z0-9-]{1,6}';

/** "221B Baker Street", "1600 Pennsylvania Ave NW", "6750 Koskikatu 25", "Rua Cidade de Maracajá 468" */
const NUMBER_FIRST = new RegExp(
  `(?<![\\w.,/-])\\d{1,6}[a-z]?(?:[-/]\\d{1,4})?(?:\\s\\d{1,5})?,?\\s{1,2}(?:[\\p{L}'.-]{1,30}\\s{1,2}){0,5}?(?:(?:${STREET_TYPES})\\.?(?![\\p{L}])(?:\\s{1,2}(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\\.?(?![\\p{L}]))?)`,
  'iuy',
);
/** House number, capitalised street name, building number: "6750 Koskikatu 25" (case-sensitive). */
const NUMBER_NAME_NUMBER =
  /(?<![\w.,/-])\d{1,6}[a-z]?(?:\s\d{1,5})?\s{1,2}(?:\p{Lu}[\p{L}'.-]{1,29}\s{1,2}(?:(?:de|da|do|dos|das|di|del|la|le|van|von)\s{1,2})?){1,4}\d{1,5}[a-z]?(?![\d])/uy;
/** European order: "Hauptstraße 5", "ul. Narewska 94", "Via Roma 12" */
export const NAME_FIRST = new RegExp(
  `(?<![\\p{L}])(?:(?:${STREET_TYPES})\\.?\\s{1,2}(?:[\\p{L}'.-]{2,30}\\s{1,2}){1,4}|[\\p{L}-]{2,30}(?:strasse|straße|str\\.|gasse|weg|platz|allee|straat|laan|gracht|vej|gade|gatan|vägen|katu|kuja|tie|utca|ulica)\\s{1,2})\\d{1,5}[a-z]?(?![\\d])`,
  'giu',
);
/** NAME_FIRST's other form: `[\p{L}-]{2,30}` and a suffix of 3 to 7 letters ("str." ends before its dot). */
const NAME_FIRST_SUFFIXED = { shortest: 2 + 3, longest: 30 + 7 };
const NAME_FIRST_AT = new RegExp(NAME_FIRST.source, 'iuy');
/** Unit lines and military addresses: "Apt. 902", "Suite 828", "PSC 5420, Box 2708", "APO AE 44085" */
const UNIT_LINE =
  /\b(?:apt|apartment|suite|ste|unit|flat|room|bldg|building)\.?\s{0,2}#?\d{1,6}[a-z]?\b(?:,?\s{1,2}box\s{1,2}\d{1,6})?/gi;
const MILITARY =
  /\b(?:(?:psc|cmr|unit)\s{1,2}\d{1,6},?\s{1,2}box\s{1,2}\d{1,6}|(?:apo|fpo|dpo)\s{1,2}(?:aa|ae|ap)\s{1,2}\d{5}|usns\s{1,2}\p{L}{2,30}|uss\s{1,2}\p{L}{2,30})/giu;
/** A postcode after a place name at the end of a line: "Denmark 35018", "OULU 90100" */
const TRAILING_POSTCODE =
  /(?<=\p{Lu}[\p{L}'.-]{1,40}\)?,?\s{1,2})\d{3,6}(?:[ -]\d{2,4})?(?=\s{0,3}(?:$|\n|[.,]))/uy;
const PO_BOX = /\b(?:p\.?\s?o\.?\s?box|postfach|apartado|caixa postal)\s{0,2}\d{1,8}/gi;
/** Postcodes with a distinctive shape: UK, Canada, Netherlands, US ZIP+4. */
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b/g;
const CANADIAN_POSTCODE = /\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b/g;
const DUTCH_POSTCODE = /\b\d{4}\s?[A-Z]{2}\b(?=\s{1,2}[A-Z][a-z])/y;
const ZIP_PLUS_FOUR = /\b\d{5}-\d{4}\b/y;
/** US state + ZIP: "CA 94105", "New York, NY 10001" */
const STATE_ZIP =
  /\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|ON|QC|BC|AB|MB|NS|NB|NL|PE|SK)\.?,?\s{1,2}\d{5}(?:-\d{4})?\b/g;
/** Postal code after a keyword: "zip 94105", "postcode 3520", "PLZ 10115" */
const ZIP_KEYWORD =
  /\b(?:zip|zip code|zipcode|postcode|post code|postal code|plz|cp|cap)\s{0,2}[:#]?\s{0,2}(?:is\s{1,2}|was\s{1,2})?([A-Z0-9]{2,5}[ -]?[A-Z0-9]{0,4})\b/gi;

/** NAME_FIRST tried only where it can begin (see addresses-scan.ts). */
export function nameFirstMatches(text: string, starts: readonly number[]): Iterable<RegExpExecArray> {
  if (hasAstralLetter(text)) return text.matchAll(NAME_FIRST);
  return matchesAt(
    text,
    nameFirstOffsets(text, spaceDigits(text, starts), NAME_FIRST_SUFFIXED),
    NAME_FIRST_AT,
  );
}

/** Facts about the digits of a text that the address patterns need; one pass. */
interface DigitShape {
  view: FoldedText;
  /** Some digit directly after a `\s` character. */
  spaceThenDigit: boolean;
  /** Some digit directly after a capital A–Z. */
  capitalThenDigit: boolean;
  longestDigitRun: number;
}

function digitShape(view: FoldedText): DigitShape {
  const text = view.text;
  let spaceThenDigit = false;
  let capitalThenDigit = false;
  let longestDigitRun = 0;
  let run = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) {
      run = 0;
      continue;
    }
    run += 1;
    if (run > longestDigitRun) longestDigitRun = run;
    if (run === 1 && i > 0) {
      const before = text.charCodeAt(i - 1);
      if (isRegexSpace(before)) spaceThenDigit = true;
      else if (before >= 65 && before <= 90) capitalThenDigit = true;
    }
  }
  return { view, spaceThenDigit, capitalThenDigit, longestDigitRun };
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

/**
 * Postcode patterns in claiming order, each with a pre-filter necessary for it to match (keywords
 * by their word beginnings, see word-starts.ts; every pattern also needs a digit, checked first).
 * Sticky ones (`digitStart`) always start a match where a digit run starts and are tried only there.
 */
const POSTCODE_PATTERNS: { pattern: RegExp; possible: (shape: DigitShape) => boolean; digitStart?: true }[] =
  [
    // "p.o. box", "po box", "pobox", "p obox" begin the words "p", "po" or "pob".
    {
      pattern: PO_BOX,
      possible: ({ view }) => someWordStarts(view, ['p', 'po', 'pob', 'pos', 'apa', 'cai']),
    },
    {
      pattern: UNIT_LINE,
      possible: ({ view }) =>
        someWordStarts(view, ['apt', 'apa', 'sui', 'ste', 'uni', 'fla', 'roo', 'bld', 'bui']),
    },
    {
      pattern: MILITARY,
      possible: ({ view }) => someWordStarts(view, ['psc', 'cmr', 'uni', 'apo', 'fpo', 'dpo', 'usn', 'uss']),
    },
    // `\s{1,2}\d{5}`
    { pattern: STATE_ZIP, possible: (shape) => shape.spaceThenDigit && shape.longestDigitRun >= 5 },
    // `\s{1,2}` right before the digits
    {
      pattern: TRAILING_POSTCODE,
      digitStart: true,
      possible: (shape) => shape.spaceThenDigit && shape.longestDigitRun >= 3,
    },
    // UK and Canadian shapes: a capital letter right before a digit.
    { pattern: UK_POSTCODE, possible: (shape) => shape.capitalThenDigit },
    { pattern: CANADIAN_POSTCODE, possible: (shape) => shape.capitalThenDigit },
    { pattern: DUTCH_POSTCODE, possible: (shape) => shape.longestDigitRun >= 4, digitStart: true },
    { pattern: ZIP_PLUS_FOUR, possible: (shape) => shape.longestDigitRun >= 5, digitStart: true },
  ];

const ZIP_KEYWORDS = ['zip', 'postcode', 'post code', 'postal code', 'plz', 'cp', 'cap'];

/** Street addresses, PO boxes and postcodes. */
export const detectAddresses: Detector = (view, claims) => {
  const text = view.text;
  const addressEnds: number[] = [];
  const starts = digitRunStarts(view, text);
  if (starts.length === 0) return;
  const shape = digitShape(view);
  const streetMatches = [
    ...matchesAt(text, starts, NUMBER_FIRST),
    ...matchesAt(text, starts, NUMBER_NAME_NUMBER),
    // Both forms end in `\s{1,2}\d{1,5}`.
    ...(shape.spaceThenDigit ? nameFirstMatches(text, starts) : []),
  ];
  {
    for (const match of streetMatches) {
      const end = extendTail(text, match.index + match[0].length);
      if (claimAddress(view, claims, match.index, end, 'address')) addressEnds.push(end);
    }
  }
  claimPostcodesNearAddresses(view, claims, addressEnds);
  for (const { pattern, possible, digitStart } of POSTCODE_PATTERNS) {
    if (!possible(shape)) continue;
    for (const match of digitStart ? matchesAt(text, starts, pattern) : text.matchAll(pattern))
      claimAddress(view, claims, match.index, match.index + match[0].length, 'postcode');
  }
  if (!containsAny(view.lower, ZIP_KEYWORDS)) return;
  for (const match of text.matchAll(ZIP_KEYWORD)) {
    const value = match[1]!;
    if (!/\d/.test(value)) continue;
    const start = match.index + match[0].length - value.length;
    claimAddress(view, claims, start, start + value.length, 'postcode');
  }
};
