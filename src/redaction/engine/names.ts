import type { Detector } from './detector';
import type { FoldedText } from './fold';
import type { Claims } from './span';
import type { PlaceholderType } from './types';
import { commonWords, givenNames, HONORIFICS, NAME_PARTICLES } from './vocabulary';
import { claimEntities } from './known-entities';
import { isDigit, isRegexSpace } from './text-scan';
import { ShapeFilter, wordHash } from './names-shapes';
import { CueEnding, isSpaceCommaColon, isSpaceCommaColonHyphen } from './names-cues';

/**
 * Layer 6 (rules_only NER): person, organisation and place names from capitalisation, given-name
 * knowledge, honorifics, greetings and signatures, organisation suffixes and place prepositions.
 * Every name found is then propagated to its other mentions (and a person's surname and first
 * name to theirs).
 */

/** What a token knows about its word, as bits. */
const CAPITALISED = 1;
const ALL_CAPS = 2;
/** The lower case is a whole string of its own (not a stretch of the view's lower case). */
const OWN_LOWER = 4;
/** Answers computed once when first asked: the answer bit counts only with its KNOWN bit. */
const SENTENCE_START_KNOWN = 8;
const SENTENCE_START = 16;
const COMMON_KNOWN = 32;
const COMMON = 64;
const GIVEN_KNOWN = 128;
const GIVEN = 256;
const NOT_NAME_KNOWN = 512;
const NOT_NAME = 1024;

/**
 * A word. Small (one number of bits) because running text has many; its lower case is cut out of
 * the text only when first asked for.
 */
class Token {
  constructor(
    readonly start: number,
    readonly end: number,
    private bits: number,
    /** The view's lower case (ASCII text), or with OWN_LOWER the word's own lower case. */
    private readonly lowerText: string,
    private cachedLower: string | undefined,
    /** `wordHash` of the lower case, for the shape filters. */
    private readonly hash: number,
  ) {}

  get capitalised(): boolean {
    return (this.bits & CAPITALISED) !== 0;
  }

  set capitalised(value: boolean) {
    this.bits = value ? this.bits | CAPITALISED : this.bits & ~CAPITALISED;
  }

  get allCaps(): boolean {
    return (this.bits & ALL_CAPS) !== 0;
  }

  get sentenceStart(): boolean {
    // Spaces, tabs and the sentence openers are the same in ASCII text and its lower case.
    return (
      this.recalled(SENTENCE_START_KNOWN, SENTENCE_START) ??
      this.remember(SENTENCE_START_KNOWN, SENTENCE_START, startsSentence(this.lowerText, this.start))
    );
  }

  get lowerLength(): number {
    return this.bits & OWN_LOWER ? this.lowerText.length : this.end - this.start;
  }

  get lower(): string {
    return (this.cachedLower ??= this.lowerText.slice(this.start, this.end));
  }

  /** Whether the word in lower case is `word` (compared in place, without cutting it out). */
  is(word: string): boolean {
    if (this.bits & OWN_LOWER) return this.lowerText === word;
    return this.end - this.start === word.length && this.lowerText.startsWith(word, this.start);
  }

  /** False when the word is certainly not in the set `filter` was made from. */
  mayBeIn(filter: ShapeFilter): boolean {
    return filter.mayHave(this.hash);
  }

  /** Whether the word (lower case) is in `words`, whose shapes `filter` knows. */
  isIn(words: ReadonlySet<string>, filter: ShapeFilter): boolean {
    return this.mayBeIn(filter) && words.has(this.lower);
  }

  /** The answer remembered under `known` / `answer`, or undefined. */
  recalled(known: number, answer: number): boolean | undefined {
    return this.bits & known ? (this.bits & answer) !== 0 : undefined;
  }

  remember(known: number, answer: number, value: boolean): boolean {
    this.bits |= value ? known | answer : known;
    return value;
  }
}

/** Capitalised words that are not names of people, organisations or places worth hiding. */
const NOT_NAMES = new Set(
  (
    'i im ive id ill the a an this that these those it its he she we they you my your our their his her ' +
    'mr mrs ms dr prof sir madam ok okay yes no hi hello hey dear thanks thank regards best cheers sincerely ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december ' +
    'english french german spanish italian portuguese dutch russian chinese japanese korean arabic hindi american british european african asian ' +
    'canadian australian mexican brazilian indian swiss swedish norwegian danish finnish polish greek turkish irish scottish welsh ' +
    'christmas easter internet covid ceo cfo coo cto cio vp svp evp md gp lp llc inc ltd plc usd eur gbp btc eth pdf faq api url id ip tbd fyi asap eod eow q1 q2 q3 q4 ' +
    'am pm re fw fwd cc bcc subject attn note notes todo action agenda summary update ' +
    'iban swift bic ssn kyc aml nav irr moic tvpi dpi esg ipo ebitda arr mrr saas crm nda loi spv fx etf reit aum ' +
    'wif xpub xprv seed btc sats lightning bitcoin ethereum redacted'
  ).split(' '),
);

const NOT_NAME_SHAPES = new ShapeFilter(NOT_NAMES);
const GIVEN_SHAPES = new ShapeFilter(givenNames);
const HONORIFIC_SHAPES = new ShapeFilter(HONORIFICS);

const ORG_SUFFIX = new Set(
  (
    'inc incorporated llc llp lp ltd limited plc gmbh ag kg sa sas sarl srl spa bv nv oy ab as asa aps corp corporation company co ' +
    'group holdings holding partners capital ventures fund funds management advisors advisers associates solutions technologies ' +
    'technology systems labs bank bancorp trust foundation institute university college school hospital clinic agency studios media ' +
    'networks industries enterprises consulting international global pharmaceuticals therapeutics energy resources logistics ' +
    'insurance securities investments investment equity assets wealth family office'
  ).split(' '),
);
const ORG_SUFFIX_SHAPES = new ShapeFilter(ORG_SUFFIX);
const FUND_SUFFIX = /^(?:fund|funds|lp|l\.p|spv|trust)$/;
const ORG_PREFIX = new Set(
  'university bank institute college school hospital bank department ministry office church'.split(' '),
);
const ORG_PREFIX_SHAPES = new ShapeFilter(ORG_PREFIX);
export const GREETING =
  /(?:^|[\s>(])(?:hi|hello|hey|dear|greetings|thanks|thank you|regards|cheers|sincerely|best|love|yours|from|to|cc|attn|attention|signed|sent by|written by|by|with|met|meet|meeting|called|call|emailed|email|told|asked|spoke to|speak to|talked to|ask|per|via|contact|contacted|introduce|introduced|intro|cc'd|ping|according to|said|says|name is|named|called|i am|i'm|this is)[\s,:]{1,3}$/i;
/** Cues after which the next word is a name even when it is also an ordinary word ("her maiden name is Key"). */
export const NAME_CUE =
  /(?:name is|name's|named|called|call me|calls me|maiden name is|surname is|i am|i'm|this is|signed|sent by|written by|regards|sincerely|cheers|thanks|dear|hi|hello|hey)[\s,:-]{1,3}$/i;
/**
 * NAME_CUE's longest match ("maiden name is" and three separators). The pattern has no start
 * anchor, so it matches the last NAME_CUE_REACH characters exactly when it matches the whole context.
 */
export const NAME_CUE_REACH = 17;
/** What NAME_CUE and GREETING's cues end with, read off their alternatives. */
export const NAME_CUE_ENDING = new CueEnding('deimorsy', isSpaceCommaColonHyphen, 3);
export const GREETING_ENDING = new CueEnding('acdeghiklmnorstuy', isSpaceCommaColon, 3);
export const PLACE_CUE =
  /(?:^|\s)(?:in|at|to|from|near|into|across|around|visited|visit|visiting|flew|fly|flying|moved|move|based|located|lives|living|live|born|headquartered|hq|office|offices|city of|town of|state of|province of|region of|trip to|travel to|travelled to|traveled to|relocated to|outside|downtown|north of|south of|east of|west of)\s{1,2}$/i;

const TOKEN = /\p{L}[\p{L}\-]{0,40}(?:'\p{L}{1,20})?/gu;

/**
 * Text written all in lower case (chat, transcripts) has no capitals to go by: there, words that
 * are not common English words, and given names that are not words, are treated as capitalised.
 */
function treatCaseless(tokens: Token[]): void {
  let capitalised = 0;
  for (const token of tokens) if (token.capitalised) capitalised += 1;
  if (tokens.length < 3 || capitalised > Math.max(1, tokens.length * 0.02)) return;
  for (const token of tokens) {
    if (token.capitalised || token.end - token.start < 2 || isNotName(token)) continue;
    if (!isCommonToken(token) || (isGivenToken(token) && !commonWords.has(token.lower)))
      token.capitalised = true;
  }
}

function isAsciiLetterCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * The end of the word starting at the letter text[start] in ASCII text: the match of
 * `/[A-Za-z][A-Za-z-]{0,40}(?:'[A-Za-z]{1,20})?/y` there, scanned by hand (the pattern never
 * backtracks, so a character loop finds exactly its match).
 */
function asciiWordEnd(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && end - start <= 40) {
    const code = text.charCodeAt(end);
    if (!isAsciiLetterCode(code) && code !== 45) break;
    end += 1;
  }
  if (text.charCodeAt(end) === 39 && isAsciiLetterCode(text.charCodeAt(end + 1))) {
    const apostrophe = end;
    end += 1;
    while (end < text.length && end - apostrophe <= 20 && isAsciiLetterCode(text.charCodeAt(end))) end += 1;
  }
  return end;
}

/** For ASCII text: text[start, end) has at least two characters, some upper case and none lower case. */
function isAsciiAllCaps(text: string, start: number, end: number): boolean {
  let upper = false;
  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 97 && code <= 122) return false;
    if (code >= 65 && code <= 90) upper = true;
  }
  return upper && end - start > 1;
}

/** Characters after which a word starts a sentence (or a list item, quote or line): .!?\n\r"“”([{>*•:;- */
function opensSentence(code: number): boolean {
  switch (code) {
    case 46: // .
    case 33: // !
    case 63: // ?
    case 10:
    case 13:
    case 34: // "
    case 0x201c: // “
    case 0x201d: // ”
    case 40: // (
    case 91: // [
    case 123: // {
    case 62: // >
    case 42: // *
    case 0x2022: // •
    case 58: // :
    case 59: // ;
    case 45: // -
      return true;
    default:
      return false;
  }
}

/** Whether the word at `start` is the first of a sentence (looking back over spaces and tabs). */
function startsSentence(source: string, start: number): boolean {
  let back = start - 1;
  while (back >= 0 && (source.charCodeAt(back) === 32 || source.charCodeAt(back) === 9)) back -= 1;
  return back < 0 || opensSentence(source.charCodeAt(back));
}

/** The end of the word source[start, end) without a possessive "'s" and trailing hyphens. */
function wordEnd(source: string, start: number, end: number): number {
  if (end - start >= 2 && source.charCodeAt(end - 2) === 39) {
    const last = source.charCodeAt(end - 1);
    if (last === 115 || last === 83) end -= 2;
  }
  while (end > start && source.charCodeAt(end - 1) === 45) end -= 1;
  return end;
}

function asciiToken(view: FoldedText, start: number, end: number): Token {
  const source = view.text;
  const firstCode = source.charCodeAt(start);
  let bits = 0;
  if (firstCode >= 65 && firstCode <= 90) {
    bits |= CAPITALISED;
    if (isAsciiAllCaps(source, start, end)) bits |= ALL_CAPS;
  }
  // ASCII lower-casing maps each character alone, so the view's lower case can be sliced.
  return new Token(start, end, bits, view.lower, undefined, wordHash(view.lower, start, end));
}

function unicodeToken(view: FoldedText, start: number, end: number): Token {
  const source = view.text;
  const firstCode = source.charCodeAt(start);
  const text = source.slice(start, end);
  const lower = text.toLowerCase();
  const capitalised =
    firstCode < 128 ? firstCode >= 65 && firstCode <= 90 : text[0] !== text[0]!.toLowerCase();
  const allCaps = end - start > 1 && text === text.toUpperCase() && text !== lower;
  const bits =
    OWN_LOWER |
    (capitalised ? CAPITALISED : 0) |
    (allCaps ? ALL_CAPS : 0) |
    (startsSentence(source, start) ? SENTENCE_START_KNOWN | SENTENCE_START : SENTENCE_START_KNOWN);
  return new Token(start, end, bits, lower, lower, wordHash(lower, 0, lower.length));
}

/**
 * The words of ASCII text (cut as `TOKEN` cuts them), or null as soon as a character outside ASCII
 * shows up. Every character is looked at, either here or in `asciiWordEnd`.
 */
export function asciiTokens(view: FoldedText): Token[] | null {
  const source = view.text;
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const code = source.charCodeAt(index);
    if (isAsciiLetterCode(code)) {
      const end = asciiWordEnd(source, index);
      addToken(view, tokens, index, end, asciiToken);
      index = end;
    } else if (code > 0x7f) return null;
    else index += 1;
  }
  return tokens;
}

export function unicodeTokens(view: FoldedText): Token[] {
  const tokens: Token[] = [];
  for (const match of view.text.matchAll(TOKEN))
    addToken(view, tokens, match.index, match.index + match[0].length, unicodeToken);
  return tokens;
}

/** Adds the word source[start, end) as a token unless it is glued to digits. */
function addToken(
  view: FoldedText,
  tokens: Token[],
  start: number,
  matchEnd: number,
  make: (view: FoldedText, start: number, end: number) => Token,
): void {
  const source = view.text;
  const end = wordEnd(source, start, matchEnd);
  if (end === start) return;
  // Letters glued to digits belong to codes and tokens ("9fK2xQ7"), not to names.
  if (isDigit(source.charCodeAt(end)) || isDigit(source.charCodeAt(start - 1))) return;
  tokens.push(make(view, start, end));
}

/** The view's words, and whether its text is all ASCII. */
function tokenise(view: FoldedText): { tokens: Token[]; ascii: boolean } {
  const ascii = asciiTokens(view);
  const tokens = ascii ?? unicodeTokens(view);
  treatCaseless(tokens);
  return { tokens, ascii: ascii !== null };
}

function isCommon(lower: string): boolean {
  if (commonWords.has(lower)) return true;
  // Hyphenated compounds of common words ("well-known"), plurals and simple inflections.
  if (lower.includes('-')) return lower.split('-').every((part) => !part || commonWords.has(part));
  return (
    (lower.endsWith('s') && commonWords.has(lower.slice(0, -1))) ||
    (lower.endsWith('es') && commonWords.has(lower.slice(0, -2))) ||
    (lower.endsWith('ed') && commonWords.has(lower.slice(0, -2))) ||
    (lower.endsWith('ing') && commonWords.has(lower.slice(0, -3)))
  );
}

function isCommonToken(token: Token): boolean {
  return token.recalled(COMMON_KNOWN, COMMON) ?? token.remember(COMMON_KNOWN, COMMON, isCommon(token.lower));
}

function isGivenToken(token: Token): boolean {
  return (
    token.recalled(GIVEN_KNOWN, GIVEN) ??
    token.remember(GIVEN_KNOWN, GIVEN, token.lowerLength >= 2 && token.isIn(givenNames, GIVEN_SHAPES))
  );
}

function isNotName(token: Token): boolean {
  return (
    token.recalled(NOT_NAME_KNOWN, NOT_NAME) ??
    token.remember(NOT_NAME_KNOWN, NOT_NAME, token.isIn(NOT_NAMES, NOT_NAME_SHAPES))
  );
}

/** A capitalised word that on its own looks like a name. */
function strongCandidate(token: Token): boolean {
  if (!token.capitalised || isNotName(token)) return false;
  if (token.allCaps && token.end - token.start <= 3 && !isGivenToken(token)) return false;
  if (!isCommonToken(token)) return true;
  // A given name that is also a word ("Will", "Mark") counts mid-sentence.
  return isGivenToken(token) && !token.sentenceStart;
}

function gapBetween(view: FoldedText, left: Token, right: Token): string {
  return view.text.slice(left.end, right.start);
}

/** Whether [from, to) is one or two spaces or tabs. */
function isShortBlank(text: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > 2) return false;
  for (let i = from; i < to; i += 1) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

/** Words joined into one name: one or two blanks (after an optional "'s" or "."), or a hyphen. */
function adjacent(view: FoldedText, left: Token, right: Token): boolean {
  const text = view.text;
  const from = left.end;
  const to = right.start;
  if (to - from === 1 && text.charCodeAt(from) === 45) return true;
  if (isShortBlank(text, from, to)) return true;
  if (text.charCodeAt(from) === 46) return isShortBlank(text, from + 1, to);
  return to - from >= 3 && text.startsWith("'s", from) && isShortBlank(text, from + 2, to);
}

function isInitial(view: FoldedText, token: Token): boolean {
  return (
    token.end - token.start === 1 &&
    token.capitalised &&
    /^\.?[ \t]/.test(view.text.slice(token.end, token.end + 2))
  );
}

/** Words before a name that mark it as a person. */
function honorificBefore(view: FoldedText, tokens: Token[], index: number): boolean {
  const previous = tokens[index - 1];
  // The filter first: it rules out nearly every word without looking at the gap.
  if (!previous || !previous.mayBeIn(HONORIFIC_SHAPES) || !adjacent(view, previous, tokens[index]!))
    return false;
  return previous.isIn(HONORIFICS, HONORIFIC_SHAPES);
}

function contextBefore(view: FoldedText, token: Token, reach = 40): string {
  return view.text.slice(Math.max(0, token.start - reach), token.start);
}

interface NameSpan {
  first: number;
  last: number;
  type: PlaceholderType;
}

function classify(view: FoldedText, tokens: Token[], span: NameSpan, honorific: boolean): PlaceholderType {
  if (honorific) return 'PERSON';
  const words = tokens.slice(span.first, span.last + 1);
  const lastWord = words[words.length - 1]!.lower;
  if (FUND_SUFFIX.test(lastWord) && words.length > 1) return 'FUND';
  if (ORG_SUFFIX.has(lastWord.replace(/\.$/, '')) && words.length > 1) return 'ORG';
  if (ORG_PREFIX.has(words[0]!.lower)) return 'ORG';
  if (isGivenToken(words[0]!)) return 'PERSON';
  const first = words[0]!;
  if (
    PLACE_CUE_ENDING.mayEnd(view.text, Math.max(0, first.start - 40), first.start) &&
    PLACE_CUE.test(contextBefore(view, first))
  )
    return 'LOC';
  return 'PERSON';
}

/** Extends a name to the right over capitalised words, initials and particles. */
function extendRight(view: FoldedText, tokens: Token[], index: number, claims: Claims): number {
  let last = index;
  for (let next = index + 1; next < tokens.length && next - index <= 5; next += 1) {
    const token = tokens[next]!;
    if (!adjacent(view, tokens[next - 1]!, token) || !claims.isFree(token.start, token.end)) break;
    if (token.capitalised && !isNotName(token)) {
      last = next;
      continue;
    }
    if (
      NAME_PARTICLES.has(token.lower) &&
      tokens[next + 1]?.capitalised &&
      adjacent(view, token, tokens[next + 1]!)
    )
      continue;
    if (
      (token.is('and') || token.is('&') || token.is('of')) &&
      tokens[next + 1] &&
      ORG_SUFFIX.has(tokens[next + 1]!.lower)
    )
      continue;
    break;
  }
  return last;
}

function findNames(view: FoldedText, tokens: Token[], claims: Claims): NameSpan[] {
  const spans: NameSpan[] = [];
  let index = 0;
  while (index < tokens.length) {
    const token = tokens[index]!;
    // A word in lower case is a name only after an honorific or when it is a given name.
    const honorific = honorificBefore(view, tokens, index);
    if (
      (!token.capitalised && !honorific && !isGivenToken(token)) ||
      !claims.isFree(token.start, token.end) ||
      isNotName(token)
    ) {
      index += 1;
      continue;
    }
    const strong = strongCandidate(token);
    const next = tokens[index + 1];
    const startsPair =
      token.capitalised &&
      isGivenToken(token) &&
      next !== undefined &&
      adjacent(view, token, next) &&
      next.capitalised &&
      !isNotName(next);
    const lowerName =
      !token.capitalised &&
      next !== undefined &&
      !next.capitalised &&
      next.lowerLength >= 2 &&
      isGivenToken(token) &&
      adjacent(view, token, next) &&
      !isCommonToken(token) &&
      !isCommonToken(next);
    const askContext =
      token.start > 0 &&
      !(honorific || strong || startsPair || lowerName || (!token.capitalised && !isGivenToken(token)));
    const cued =
      askContext &&
      token.capitalised &&
      NAME_CUE_ENDING.mayEnd(view.text, Math.max(0, token.start - NAME_CUE_REACH), token.start) &&
      NAME_CUE.test(contextBefore(view, token, NAME_CUE_REACH));
    const greeted =
      askContext &&
      (isGivenToken(token) || !isCommonToken(token)) &&
      GREETING_ENDING.mayEnd(view.text, Math.max(0, token.start - 40), token.start) &&
      GREETING.test(contextBefore(view, token));
    if (!(honorific || cued || greeted || lowerName || startsPair || strong)) {
      index += 1;
      continue;
    }
    let last = lowerName ? index + 1 : extendRight(view, tokens, index, claims);
    // "Dr. Jones" / "Maria P. Okafor": initials inside are covered by the span.
    if (isInitial(view, token) && last === index && !honorific) {
      index += 1;
      continue;
    }
    last = Math.max(last, index);
    spans.push({
      first: index,
      last,
      type: classify(view, tokens, { first: index, last, type: 'PERSON' }, honorific || cued),
    });
    index = last + 1;
  }
  return spans;
}

/** "Rapid Cycle Solutions", "Bank of Lisbon": organisations built from ordinary capitalised words. */
function findOrganisations(view: FoldedText, tokens: Token[], claims: Claims): NameSpan[] {
  const spans: NameSpan[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (!token.capitalised || !claims.isFree(token.start, token.end)) continue;
    if (index > 0 && token.isIn(ORG_SUFFIX, ORG_SUFFIX_SHAPES)) {
      let first = index;
      while (first > 0) {
        const previous = tokens[first - 1]!;
        const joined =
          adjacent(view, previous, tokens[first]!) ||
          /^\s?&\s?$/.test(gapBetween(view, previous, tokens[first]!));
        if (!joined || !claims.isFree(previous.start, previous.end) || index - first >= 5) break;
        if (previous.capitalised && !isNotName(previous)) first -= 1;
        else break;
      }
      if (first < index) {
        let last = index;
        while (
          tokens[last + 1] &&
          ORG_SUFFIX.has(tokens[last + 1]!.lower) &&
          adjacent(view, tokens[last]!, tokens[last + 1]!)
        )
          last += 1;
        const type = FUND_SUFFIX.test(tokens[last]!.lower) ? 'FUND' : 'ORG';
        spans.push({ first, last, type });
        index = last;
      }
    } else if (
      token.isIn(ORG_PREFIX, ORG_PREFIX_SHAPES) &&
      tokens[index + 1]?.is('of') &&
      tokens[index + 2]?.capitalised
    ) {
      const last = extendRight(view, tokens, index + 2, claims);
      spans.push({ first: index, last, type: 'ORG' });
      index = last;
    }
  }
  return spans;
}

/** Line labels that are not speakers. */
const LABELS = new Set(
  'name address phone mobile desk fax email e-mail website web tel note notes subject date time re from to cc bcc summary agenda action actions question answer q a title company position role status location city country zip total amount price ref reference id account attendees participants update next steps todo warning error info details personal'.split(
    ' ',
  ),
);

export const ORG_CUE =
  /(?:work for|works for|worked for|working for|work at|works at|worked at|working at|joined|employed by|employer is|employer:|company is|company:|client|customer|partner|vendor|supplier|investor in|invested in|portfolio company|acquired by|acquired|spent a year at|year at|became)\s{1,2}(?:the\s)?$/i;
/** What ORG_CUE and PLACE_CUE's cues end with, read off their alternatives. */
export const ORG_CUE_ENDING = new CueEnding(':denrsty', isRegexSpace, 2, true);
export const PLACE_CUE_ENDING = new CueEnding('defgmnoqrstwy', isRegexSpace, 2);

/**
 * Title-case runs of ordinary words ("Walk Score", "Social Health Insights Orchestra") are names
 * of organisations; so is a capitalised word right after an employer cue ("I work for Mint").
 */
function findTitleCaseRuns(view: FoldedText, tokens: Token[], claims: Claims): NameSpan[] {
  const spans: NameSpan[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (!token.capitalised || isNotName(token) || !claims.isFree(token.start, token.end)) continue;
    let last = index;
    while (
      last - index < 5 &&
      tokens[last + 1] &&
      adjacent(view, tokens[last]!, tokens[last + 1]!) &&
      claims.isFree(tokens[last + 1]!.start, tokens[last + 1]!.end) &&
      ((tokens[last + 1]!.capitalised && !isNotName(tokens[last + 1]!)) ||
        ((tokens[last + 1]!.is('and') || tokens[last + 1]!.is('of') || tokens[last + 1]!.is('&')) &&
          tokens[last + 2]?.capitalised))
    )
      last += 1;
    while (last > index && !tokens[last]!.capitalised) last -= 1;
    const cued =
      last === index &&
      ORG_CUE_ENDING.mayEnd(view.text, Math.max(0, token.start - 40), token.start) &&
      ORG_CUE.test(contextBefore(view, token));
    const allCapsHeading = allAllCaps(tokens, index, last);
    if ((last > index && !allCapsHeading) || cued) spans.push({ first: index, last, type: 'ORG' });
    index = last;
  }
  return spans;
}

/** Space, tab, '>', '*' or '-': what may stand before a speaker label on its line. */
function isSpeakerIndent(code: number): boolean {
  return code === 32 || code === 9 || code === 62 || code === 42 || code === 45;
}

/** Whether tokens[first … last] are all in capitals. */
function allAllCaps(tokens: Token[], first: number, last: number): boolean {
  for (let index = first; index <= last; index += 1) if (!tokens[index]!.allCaps) return false;
  return true;
}

/** Speaker labels at the start of a line: "Maria:", "MARIA OKAFOR:", "Koppány:" */
function findSpeakers(view: FoldedText, tokens: Token[]): NameSpan[] {
  const candidates: { span: NameSpan; sure: boolean }[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (!token.capitalised) continue;
    let back = token.start - 1;
    while (back >= 0 && token.start - back <= 5 && isSpeakerIndent(view.text.charCodeAt(back))) back -= 1;
    if ((back >= 0 && view.text[back] !== '\n') || isNotName(token)) continue;
    let last = index;
    while (
      last - index < 3 &&
      tokens[last + 1] &&
      adjacent(view, tokens[last]!, tokens[last + 1]!) &&
      tokens[last + 1]!.capitalised
    )
      last += 1;
    if (
      !/^\s{0,2}:/.test(view.text.slice(tokens[last]!.end, tokens[last]!.end + 3)) ||
      LABELS.has(token.lower)
    )
      continue;
    candidates.push({
      span: { first: index, last, type: 'PERSON' },
      sure: isGivenToken(token) || !isCommonToken(token),
    });
  }
  // In a dialogue (two or more speaker lines, one of them a clear name) every speaker label counts.
  const dialogue = candidates.length >= 2 && candidates.some((candidate) => candidate.sure);
  return candidates.filter((candidate) => candidate.sure || dialogue).map((candidate) => candidate.span);
}

/** What may join names in a list: ", ", " and ", " or ", " & ", " / ". */
const LIST_GAP =
  /^(?:,[ \t]{1,2}|,?[ \t]{1,2}(?:and|or|&)[ \t]{1,2}|[ \t]{0,2}&[ \t]{0,2}|[ \t]{0,2}\/[ \t]{0,2})$/;

/** "Monjeau, Graves and Reed": capitalised words listed together with a found name are names too. */
function findCoordinated(view: FoldedText, tokens: Token[], claims: Claims, names: Set<number>): NameSpan[] {
  const spans: NameSpan[] = [];
  // Only words next to a name, or one word away, can be listed with it.
  if (names.size === 0) return spans;
  const nearName = (index: number): boolean =>
    names.has(index - 1) || names.has(index + 1) || names.has(index - 2) || names.has(index + 2);
  const isConnector = (at: number): boolean =>
    tokens[at]?.is('and') === true || tokens[at]?.is('or') === true;
  /** Whether the name at `other` and the word at `index` are listed together. */
  const listedWith = (index: number, other: number): boolean => {
    if (!names.has(other)) return false;
    const [left, right] = other < index ? [tokens[other]!, tokens[index]!] : [tokens[index]!, tokens[other]!];
    return LIST_GAP.test(view.text.slice(left.end, right.start));
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index]!;
      if (
        !token.capitalised ||
        names.has(index) ||
        !nearName(index) ||
        isNotName(token) ||
        !claims.isFree(token.start, token.end)
      )
        continue;
      const linked =
        listedWith(index, index - 1) ||
        listedWith(index, index + 1) ||
        (isConnector(index - 1) && listedWith(index, index - 2)) ||
        (isConnector(index + 1) && listedWith(index, index + 2));
      if (!linked) continue;
      spans.push({ first: index, last: index, type: 'PERSON' });
      names.add(index);
      changed = true;
    }
  }
  return spans;
}

/** lower[start, end) with every run of white space made one space (sliced as it is when nothing changes). */
export function collapseSpaces(lower: string, start: number, end: number): string {
  const text = lower.slice(start, end);
  for (let i = start; i < end; i += 1) {
    const code = lower.charCodeAt(i);
    if (isRegexSpace(code) && (code !== 32 || (i + 1 < end && isRegexSpace(lower.charCodeAt(i + 1)))))
      return text.replace(/\s+/g, ' ');
  }
  return text;
}

export const detectNames: Detector = (view, claims) => {
  const { tokens, ascii } = tokenise(view);
  const found: Record<'persons' | 'orgs' | 'funds' | 'locations', string[]> = {
    persons: [],
    orgs: [],
    funds: [],
    locations: [],
  };
  const take = (spans: NameSpan[]): void => {
    for (const span of spans) {
      const start = tokens[span.first]!.start;
      const end = tokens[span.last]!.end;
      const canonical = collapseSpaces(view.lower, start, end);
      if (!claims.claim({ start, end, action: 'token', type: span.type, canonical, detector: 'names' }))
        continue;
      const value = view.text.slice(start, end);
      if (span.type === 'PERSON') found.persons.push(value);
      else if (span.type === 'ORG') found.orgs.push(value);
      else if (span.type === 'FUND') found.funds.push(value);
      else found.locations.push(value);
    }
  };
  take(findSpeakers(view, tokens));
  take(findOrganisations(view, tokens, claims));
  const named = findNames(view, tokens, claims);
  take(named);
  const personTokens = new Set<number>();
  for (const span of named)
    if (span.type === 'PERSON') for (let i = span.first; i <= span.last; i += 1) personTokens.add(i);
  take(findCoordinated(view, tokens, claims, personTokens));
  take(findTitleCaseRuns(view, tokens, claims));
  // Propagation: other mentions of every name found (and of a person's first name and surname).
  // The lower case of ASCII text is ASCII.
  claimEntities(view, claims, found, 'propagate', ascii);
};
