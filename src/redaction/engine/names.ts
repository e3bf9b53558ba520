import type { Detector } from './detector';
import type { FoldedText } from './fold';
import type { Claims } from './span';
import type { PlaceholderType } from './types';
import { commonWords, givenNames, HONORIFICS, NAME_PARTICLES } from './vocabulary';
import { allVariants, claimEntities, claimVariants, entityWordsIn } from './known-entities';
import { mayMentionAny } from './names-mentions';
import { isRegexSpace } from './text-scan';
import { ShapeFilter, ShapeMasks, WordTable } from './names-shapes';
import { isCommon, isCommonAt } from './names-common';
import { CueEnding, isSpaceCommaColon, isSpaceCommaColonHyphen } from './names-cues';
import { cutWords, FIRST_FREE_BIT, Words } from './names-words';
import { colonFollows, initialGapAt, isAmpersandGap, isWhiteSpace } from './names-gaps';

/**
 * Layer 6 (rules_only NER): person, organisation and place names from capitalisation, given-name
 * knowledge, honorifics, greetings and signatures, organisation suffixes and place prepositions.
 * Every name found is then propagated to its other mentions (and a person's surname and first
 * name to theirs).
 */

/** Capitalised words that are not names of people, organisations or places worth hiding. */
const NOT_NAMES = new Set(
  (
    "i i'm i've i'd i'll im ive id ill the a an this that these those it its he she we they you my your our their his her " +
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

const ORG_SUFFIX = new Set(
  (
    'inc incorporated llc llp lp ltd limited plc gmbh ag kg sa sas sarl srl spa bv nv oy ab as asa aps corp corporation company co ' +
    'group holdings holding partners capital ventures fund funds management advisors advisers associates solutions technologies ' +
    'technology systems labs bank bancorp trust foundation institute university college school hospital clinic agency studios media ' +
    'networks industries enterprises consulting international global pharmaceuticals therapeutics energy resources logistics ' +
    'insurance securities investments investment equity assets wealth family office'
  ).split(' '),
);
const FUND_SUFFIX = /^(?:fund|funds|lp|l\.p|spv|trust)$/;
const ORG_PREFIX = new Set(
  'university bank institute college school hospital bank department ministry office church'.split(' '),
);
/** Line labels that are not speakers. */
const LABELS = new Set(
  'name address phone mobile desk fax email e-mail website web tel note notes subject date time re from to cc bcc summary agenda action actions question answer q a title company position role status location city country zip total amount price ref reference id account attendees participants update next steps todo warning error info details personal'.split(
    ' ',
  ),
);

/** Bits of `Words.shapes`: the word sets a word may be in (a word whose bit is clear is not). */
const NOT_NAME_SHAPE = 1;
const HONORIFIC_SHAPE = 2;
const ORG_SUFFIX_SHAPE = 4;
const ORG_PREFIX_SHAPE = 8;
const PARTICLE_SHAPE = 16;
const LABEL_SHAPE = 32;
const GIVEN_SHAPE = 64;
const SMALL_SET_SHAPES = new ShapeMasks([
  NOT_NAMES,
  HONORIFICS,
  ORG_SUFFIX,
  ORG_PREFIX,
  NAME_PARTICLES,
  LABELS,
]);
const GIVEN_SHAPES = new ShapeFilter(givenNames);
/** The word sets looked up in place (`Words.isIn`). */
const GIVEN_NAMES = new WordTable(givenNames);
const NOT_NAME_TABLE = new WordTable(NOT_NAMES);
const HONORIFIC_TABLE = new WordTable(HONORIFICS);
const ORG_SUFFIX_TABLE = new WordTable(ORG_SUFFIX);
const ORG_PREFIX_TABLE = new WordTable(ORG_PREFIX);
const PARTICLE_TABLE = new WordTable(NAME_PARTICLES);
const LABEL_TABLE = new WordTable(LABELS);

function shapesOf(hash: number): number {
  return SMALL_SET_SHAPES.masksOf(hash) | (GIVEN_SHAPES.mayHave(hash) ? GIVEN_SHAPE : 0);
}

/** Answers remembered per word (`Words.recalled`): each counts only with its KNOWN bit. */
const COMMON_KNOWN = FIRST_FREE_BIT;
const COMMON = FIRST_FREE_BIT << 1;
const GIVEN_KNOWN = FIRST_FREE_BIT << 2;
const GIVEN = FIRST_FREE_BIT << 3;
const NOT_NAME_KNOWN = FIRST_FREE_BIT << 4;
const NOT_NAME = FIRST_FREE_BIT << 5;

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

/**
 * Text written all in lower case (chat, transcripts) has no capitals to go by: there, words that
 * are not common English words, and given names that are not words, are treated as capitalised.
 */
function treatCaseless(words: Words): void {
  const count = words.count;
  if (count < 3 || words.capitalisedCount > Math.max(1, count * 0.02)) return;
  for (let index = 0; index < count; index += 1) {
    if (words.capitalised(index) || words.length(index) < 2 || isNotName(words, index)) continue;
    if (!isCommonWord(words, index) || (isGivenName(words, index) && !commonWords.has(words.lower(index))))
      words.capitalise(index);
  }
}

/** The words of the view, in the store shared by every call (detections never overlap in time). */
const shared = new Words(shapesOf);

/** Cuts the view's text into the shared word store. */
function tokenise(view: FoldedText): Words {
  cutWords(view, shared);
  treatCaseless(shared);
  shared.listCapitals();
  return shared;
}

function isCommonWord(words: Words, index: number): boolean {
  return (
    words.recalled(index, COMMON_KNOWN, COMMON) ??
    words.remember(
      index,
      COMMON_KNOWN,
      COMMON,
      words.ascii
        ? isCommonAt(words.lowerText, words.starts[index]!, words.ends[index]!, words.hashes[index]!)
        : isCommon(words.lower(index)),
    )
  );
}

function isGivenName(words: Words, index: number): boolean {
  return (
    words.recalled(index, GIVEN_KNOWN, GIVEN) ??
    words.remember(
      index,
      GIVEN_KNOWN,
      GIVEN,
      words.lowerLength(index) >= 2 && words.isIn(index, GIVEN_NAMES, GIVEN_SHAPE),
    )
  );
}

function isNotName(words: Words, index: number): boolean {
  return (
    words.recalled(index, NOT_NAME_KNOWN, NOT_NAME) ??
    words.remember(index, NOT_NAME_KNOWN, NOT_NAME, words.isIn(index, NOT_NAME_TABLE, NOT_NAME_SHAPE))
  );
}

/** A capitalised word that is not one of the stop words. */
function isCapitalisedName(words: Words, index: number): boolean {
  return words.capitalised(index) && !isNotName(words, index);
}

/** A capitalised word that on its own looks like a name. */
function strongCandidate(words: Words, index: number): boolean {
  if (!isCapitalisedName(words, index)) return false;
  if (words.allCaps(index) && words.length(index) <= 3 && !isGivenName(words, index)) return false;
  if (!isCommonWord(words, index)) return true;
  // A given name that is also a word ("Will", "Mark") counts mid-sentence.
  return isGivenName(words, index) && !words.sentenceStart(index);
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
function adjacent(words: Words, left: number, right: number): boolean {
  const text = words.text;
  const from = words.ends[left]!;
  const to = words.starts[right]!;
  if (to - from === 1 && text.charCodeAt(from) === 45) return true;
  if (isShortBlank(text, from, to)) return true;
  if (text.charCodeAt(from) === 46) return isShortBlank(text, from + 1, to);
  return to - from >= 3 && text.startsWith("'s", from) && isShortBlank(text, from + 2, to);
}

/** A capital letter alone followed by a blank or by a full stop and a blank. */
function isInitial(words: Words, index: number): boolean {
  return (
    words.length(index) === 1 && words.capitalised(index) && initialGapAt(words.text, words.ends[index]!)
  );
}

function isFree(words: Words, index: number, claims: Claims): boolean {
  return claims.isFree(words.starts[index]!, words.ends[index]!);
}

/** Words before a name that mark it as a person. */
function honorificBefore(words: Words, index: number): boolean {
  // The shape first: it rules out nearly every word without looking at the gap.
  if (index === 0 || !words.mayBeIn(index - 1, HONORIFIC_SHAPE) || !adjacent(words, index - 1, index))
    return false;
  return words.isIn(index - 1, HONORIFIC_TABLE, HONORIFIC_SHAPE);
}

function contextBefore(words: Words, index: number, reach = 40): string {
  const start = words.starts[index]!;
  return words.text.slice(Math.max(0, start - reach), start);
}

interface NameSpan {
  first: number;
  last: number;
  type: PlaceholderType;
}

function classify(words: Words, first: number, last: number, honorific: boolean): PlaceholderType {
  if (honorific) return 'PERSON';
  const lastWord = words.lower(last);
  if (FUND_SUFFIX.test(lastWord) && last > first) return 'FUND';
  if (ORG_SUFFIX.has(lastWord.replace(/\.$/, '')) && last > first) return 'ORG';
  if (ORG_PREFIX.has(words.lower(first))) return 'ORG';
  if (isGivenName(words, first)) return 'PERSON';
  const start = words.starts[first]!;
  if (
    PLACE_CUE_ENDING.mayEnd(words.text, Math.max(0, start - 40), start) &&
    PLACE_CUE.test(contextBefore(words, first))
  )
    return 'LOC';
  return 'PERSON';
}

/** "and", "&" or "of" */
function isJoiner(words: Words, index: number): boolean {
  return words.is(index, 'and') || words.is(index, '&') || words.is(index, 'of');
}

/** Extends a name to the right over capitalised words, initials and particles. */
function extendRight(words: Words, index: number, claims: Claims): number {
  let last = index;
  for (let next = index + 1; next < words.count && next - index <= 5; next += 1) {
    if (!adjacent(words, next - 1, next) || !isFree(words, next, claims)) break;
    if (isCapitalisedName(words, next)) {
      last = next;
      continue;
    }
    const after = next + 1 < words.count ? next + 1 : -1;
    if (
      words.isIn(next, PARTICLE_TABLE, PARTICLE_SHAPE) &&
      after >= 0 &&
      words.capitalised(after) &&
      adjacent(words, next, after)
    )
      continue;
    if (isJoiner(words, next) && after >= 0 && words.isIn(after, ORG_SUFFIX_TABLE, ORG_SUFFIX_SHAPE))
      continue;
    break;
  }
  return last;
}

/**
 * False for most words in lower case, from their bits alone: a word in lower case starts a name
 * only after an honorific or when it is a given name.
 */
function mayStartName(words: Words, index: number): boolean {
  return (
    words.capitalised(index) ||
    words.mayBeIn(index, GIVEN_SHAPE) ||
    (index > 0 && words.mayBeIn(index - 1, HONORIFIC_SHAPE))
  );
}

function findNames(words: Words, claims: Claims): NameSpan[] {
  const spans: NameSpan[] = [];
  const text = words.text;
  let index = 0;
  while (index < words.count) {
    if (!mayStartName(words, index)) {
      index += 1;
      continue;
    }
    // A word in lower case is a name only after an honorific or when it is a given name.
    const honorific = honorificBefore(words, index);
    const capitalised = words.capitalised(index);
    if (
      (!capitalised && !honorific && !isGivenName(words, index)) ||
      isNotName(words, index) ||
      !isFree(words, index, claims)
    ) {
      index += 1;
      continue;
    }
    const strong = strongCandidate(words, index);
    const next = index + 1 < words.count ? index + 1 : -1;
    const startsPair =
      capitalised &&
      isGivenName(words, index) &&
      next >= 0 &&
      adjacent(words, index, next) &&
      isCapitalisedName(words, next);
    const lowerName =
      !capitalised &&
      next >= 0 &&
      !words.capitalised(next) &&
      words.lowerLength(next) >= 2 &&
      isGivenName(words, index) &&
      adjacent(words, index, next) &&
      !isCommonWord(words, index) &&
      !isCommonWord(words, next);
    const start = words.starts[index]!;
    const askContext =
      start > 0 &&
      !(honorific || strong || startsPair || lowerName || (!capitalised && !isGivenName(words, index)));
    const cued =
      askContext &&
      capitalised &&
      NAME_CUE_ENDING.mayEnd(text, Math.max(0, start - NAME_CUE_REACH), start) &&
      NAME_CUE.test(contextBefore(words, index, NAME_CUE_REACH));
    const greeted =
      askContext &&
      (isGivenName(words, index) || !isCommonWord(words, index)) &&
      GREETING_ENDING.mayEnd(text, Math.max(0, start - 40), start) &&
      GREETING.test(contextBefore(words, index));
    if (!(honorific || cued || greeted || lowerName || startsPair || strong)) {
      index += 1;
      continue;
    }
    let last = lowerName ? index + 1 : extendRight(words, index, claims);
    // "Dr. Jones" / "Maria P. Okafor": initials inside are covered by the span.
    if (isInitial(words, index) && last === index && !honorific) {
      index += 1;
      continue;
    }
    last = Math.max(last, index);
    spans.push({ first: index, last, type: classify(words, index, last, honorific || cued) });
    index = last + 1;
  }
  return spans;
}

/** "Rapid Cycle Solutions", "Bank of Lisbon": organisations built from ordinary capitalised words. */
function findOrganisations(words: Words, claims: Claims): NameSpan[] {
  const spans: NameSpan[] = [];
  // Only capitalised words start an organisation; `next` is the first word not in a span yet.
  let next = 0;
  for (let capital = 0; capital < words.capitalisedCount; capital += 1) {
    const index = words.capitals[capital]!;
    // Neither a suffix nor a prefix: the shape bits tell most words apart before anything else.
    if (index < next || !words.mayBeIn(index, ORG_SUFFIX_SHAPE | ORG_PREFIX_SHAPE)) continue;
    if (!isFree(words, index, claims)) continue;
    if (index > 0 && words.isIn(index, ORG_SUFFIX_TABLE, ORG_SUFFIX_SHAPE)) {
      let first = index;
      while (first > 0) {
        const previous = first - 1;
        const joined =
          adjacent(words, previous, first) ||
          isAmpersandGap(words.text, words.ends[previous]!, words.starts[first]!);
        if (!joined || !isFree(words, previous, claims) || index - first >= 5) break;
        if (isCapitalisedName(words, previous)) first -= 1;
        else break;
      }
      if (first < index) {
        let last = index;
        while (
          last + 1 < words.count &&
          words.isIn(last + 1, ORG_SUFFIX_TABLE, ORG_SUFFIX_SHAPE) &&
          adjacent(words, last, last + 1)
        )
          last += 1;
        const type = FUND_SUFFIX.test(words.lower(last)) ? 'FUND' : 'ORG';
        spans.push({ first, last, type });
        next = last + 1;
      }
    } else if (
      words.isIn(index, ORG_PREFIX_TABLE, ORG_PREFIX_SHAPE) &&
      index + 2 < words.count &&
      words.is(index + 1, 'of') &&
      words.capitalised(index + 2)
    ) {
      const last = extendRight(words, index + 2, claims);
      spans.push({ first: index, last, type: 'ORG' });
      next = last + 1;
    }
  }
  return spans;
}

export const ORG_CUE =
  /(?:work for|works for|worked for|working for|work at|works at|worked at|working at|joined|employed by|employer is|employer:|company is|company:|client|customer|partner|vendor|supplier|investor in|invested in|portfolio company|acquired by|acquired|spent a year at|year at|became)\s{1,2}(?:the\s)?$/i;
/** What ORG_CUE and PLACE_CUE's cues end with, read off their alternatives. */
export const ORG_CUE_ENDING = new CueEnding(':denrsty', isRegexSpace, 2, true);
export const PLACE_CUE_ENDING = new CueEnding('defgmnoqrstwy', isRegexSpace, 2);

/** Whether the word after `index` continues a title-case run. */
function continuesTitleCase(words: Words, index: number, claims: Claims): boolean {
  const next = index + 1;
  if (next >= words.count || !adjacent(words, index, next) || !isFree(words, next, claims)) return false;
  if (isCapitalisedName(words, next)) return true;
  return isJoiner(words, next) && next + 1 < words.count && words.capitalised(next + 1);
}

/**
 * Title-case runs of ordinary words ("Walk Score", "Social Health Insights Orchestra") are names
 * of organisations; so is a capitalised word right after an employer cue ("I work for Mint").
 */
function findTitleCaseRuns(words: Words, claims: Claims): NameSpan[] {
  const spans: NameSpan[] = [];
  const text = words.text;
  // Only capitalised words start a run; `next` is the first word not in a run yet.
  let next = 0;
  for (let capital = 0; capital < words.capitalisedCount; capital += 1) {
    const index = words.capitals[capital]!;
    if (index < next || isNotName(words, index) || !isFree(words, index, claims)) continue;
    let last = index;
    while (last - index < 5 && continuesTitleCase(words, last, claims)) last += 1;
    while (last > index && !words.capitalised(last)) last -= 1;
    const start = words.starts[index]!;
    const cued =
      last === index &&
      ORG_CUE_ENDING.mayEnd(text, Math.max(0, start - 40), start) &&
      ORG_CUE.test(contextBefore(words, index));
    const allCapsHeading = allAllCaps(words, index, last);
    if ((last > index && !allCapsHeading) || cued) spans.push({ first: index, last, type: 'ORG' });
    next = last + 1;
  }
  return spans;
}

/** Space, tab, '>', '*' or '-': what may stand before a speaker label on its line. */
function isSpeakerIndent(code: number): boolean {
  return code === 32 || code === 9 || code === 62 || code === 42 || code === 45;
}

/** Whether words first … last are all in capitals. */
function allAllCaps(words: Words, first: number, last: number): boolean {
  for (let index = first; index <= last; index += 1) if (!words.allCaps(index)) return false;
  return true;
}

/** Whether the word starts its line, after at most five indenting characters. */
function startsLine(words: Words, index: number): boolean {
  const text = words.text;
  const start = words.starts[index]!;
  let back = start - 1;
  while (back >= 0 && start - back <= 5 && isSpeakerIndent(text.charCodeAt(back))) back -= 1;
  return back < 0 || text.charCodeAt(back) === 10;
}

/** Speaker labels at the start of a line: "Maria:", "MARIA OKAFOR:", "Koppány:" */
function findSpeakers(words: Words): NameSpan[] {
  const candidates: { span: NameSpan; sure: boolean }[] = [];
  for (let capital = 0; capital < words.capitalisedCount; capital += 1) {
    const index = words.capitals[capital]!;
    if (!startsLine(words, index) || isNotName(words, index)) continue;
    let last = index;
    while (
      last - index < 3 &&
      last + 1 < words.count &&
      adjacent(words, last, last + 1) &&
      words.capitalised(last + 1)
    )
      last += 1;
    if (!colonFollows(words.text, words.ends[last]!) || words.isIn(index, LABEL_TABLE, LABEL_SHAPE)) continue;
    candidates.push({
      span: { first: index, last, type: 'PERSON' },
      sure: isGivenName(words, index) || !isCommonWord(words, index),
    });
  }
  // In a dialogue (two or more speaker lines, one of them a clear name) every speaker label counts.
  const dialogue = candidates.length >= 2 && candidates.some((candidate) => candidate.sure);
  return candidates.filter((candidate) => candidate.sure || dialogue).map((candidate) => candidate.span);
}

/** What may join names in a list: ", ", " and ", " or ", " & ", " / ". */
const LIST_GAP =
  /^(?:,[ \t]{1,2}|,?[ \t]{1,2}(?:and|or|&)[ \t]{1,2}|[ \t]{0,2}&[ \t]{0,2}|[ \t]{0,2}\/[ \t]{0,2})$/;

/** Marks of the words that are names, two spare on either side: `marks[index + 2]`. */
let nameMarks = new Uint8Array(1024);

/** The words of the person names among `spans`, marked in `nameMarks` (null when there are none). */
function markPersons(words: Words, spans: readonly NameSpan[]): Uint8Array | null {
  if (!spans.some((span) => span.type === 'PERSON')) return null;
  if (nameMarks.length < words.count + 4) nameMarks = new Uint8Array(words.count * 2 + 4);
  nameMarks.fill(0, 0, words.count + 4);
  for (const span of spans)
    if (span.type === 'PERSON')
      for (let index = span.first; index <= span.last; index += 1) nameMarks[index + 2] = 1;
  return nameMarks;
}

/** "Monjeau, Graves and Reed": capitalised words listed together with a found name are names too. */
function findCoordinated(words: Words, claims: Claims, marks: Uint8Array | null): NameSpan[] {
  const spans: NameSpan[] = [];
  // Only words next to a name, or one word away, can be listed with it.
  if (marks === null) return spans;
  const isName = (index: number): boolean => marks[index + 2] === 1;
  const nearName = (index: number): boolean =>
    isName(index - 1) || isName(index + 1) || isName(index - 2) || isName(index + 2);
  const isConnector = (at: number): boolean =>
    at >= 0 && at < words.count && (words.is(at, 'and') || words.is(at, 'or'));
  /** Whether the name at `other` and the word at `index` are listed together. */
  const listedWith = (index: number, other: number): boolean => {
    if (!isName(other)) return false;
    const [left, right] = other < index ? [other, index] : [index, other];
    return LIST_GAP.test(words.text.slice(words.ends[left], words.starts[right]));
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (let capital = 0; capital < words.capitalisedCount; capital += 1) {
      const index = words.capitals[capital]!;
      if (isName(index) || !nearName(index) || isNotName(words, index) || !isFree(words, index, claims))
        continue;
      const linked =
        listedWith(index, index - 1) ||
        listedWith(index, index + 1) ||
        (isConnector(index - 1) && listedWith(index, index - 2)) ||
        (isConnector(index + 1) && listedWith(index, index + 2));
      if (!linked) continue;
      spans.push({ first: index, last: index, type: 'PERSON' });
      marks[index + 2] = 1;
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
    if (isWhiteSpace(code) && (code !== 32 || (i + 1 < end && isWhiteSpace(lower.charCodeAt(i + 1)))))
      return text.replace(/\s+/g, ' ');
  }
  return text;
}

type Found = Record<'persons' | 'orgs' | 'funds' | 'locations', string[]>;

/** The names claimed, by kind: `stretches` holds start, end, start, end, … and `types` their types. */
function foundNames(
  view: FoldedText,
  stretches: readonly number[],
  types: readonly PlaceholderType[],
): Found {
  const found: Found = { persons: [], orgs: [], funds: [], locations: [] };
  types.forEach((type, k) => {
    const value = view.text.slice(stretches[2 * k], stretches[2 * k + 1]);
    if (type === 'PERSON') found.persons.push(value);
    else if (type === 'ORG') found.orgs.push(value);
    else if (type === 'FUND') found.funds.push(value);
    else found.locations.push(value);
  });
  return found;
}

export const detectNames: Detector = (view, claims) => {
  const words = tokenise(view);
  /** Where the names claimed stand (start, end, start, end, …), and their types. */
  const stretches: number[] = [];
  const types: PlaceholderType[] = [];
  const take = (spans: NameSpan[]): void => {
    for (const span of spans) {
      const start = words.starts[span.first]!;
      const end = words.ends[span.last]!;
      const canonical = collapseSpaces(view.lower, start, end);
      if (!claims.claim({ start, end, action: 'token', type: span.type, canonical, detector: 'names' }))
        continue;
      stretches.push(start, end);
      types.push(span.type);
    }
  };
  take(findSpeakers(words));
  take(findOrganisations(words, claims));
  const named = findNames(words, claims);
  take(named);
  take(findCoordinated(words, claims, markPersons(words, named)));
  take(findTitleCaseRuns(words, claims));
  // Propagation: other mentions of every name found (and of a person's first name and surname).
  if (types.length === 0) return;
  if (!words.ascii) {
    claimEntities(view, claims, foundNames(view, stretches, types), 'propagate');
    return;
  }
  // As `claimEntities` does, with the words of the names cut where they stand in the view's lower
  // case, and the mentions looked for among the words already cut.
  const known = entityWordsIn(view.lower, stretches);
  if (known.size === 0 || !mayMentionAny(words, claims, known)) return;
  claimVariants(view, claims, allVariants(foundNames(view, stretches, types)), 'propagate');
};
