import type { Detector } from './detector';
import { fold } from './fold';
import type { FoldedText } from './fold';
import type { Claims } from './span';
import type { KnownEntities, PlaceholderType } from './types';
import { commonWords, HONORIFICS, NAME_PARTICLES } from './vocabulary';
import { isWordChar } from './text-scan';

export interface Variant {
  /** Folded, lower-cased words. */
  words: string[];
  type: PlaceholderType;
  /** Only match where the original starts with a capital (parts that are also common words). */
  capitalisedOnly: boolean;
}

const NON_ASCII = /[^\x00-\x7f]/;
const ENTITY_WORD = /[\p{L}\p{N}][\p{L}\p{N}'&.@+\-]*/gu;

function foldedWords(value: string): string[] {
  if (!NON_ASCII.test(value)) {
    const lower = value.toLowerCase();
    const words: string[] = [];
    forEachAsciiWord(lower, (start, end) => words.push(lower.slice(start, end)));
    return words;
  }
  const words: string[] = [];
  for (const match of fold(value).lower.matchAll(ENTITY_WORD)) {
    const word = trimWord(match[0]);
    if (word) words.push(word);
  }
  return words;
}

/** Trailing dots, apostrophes and hyphens and a possessive "'s" are not part of a word. */
function trimWord(word: string): string {
  return word.slice(0, trimmedEnd(word, 0, word.length));
}

/** The end of the word text[start, end) once trimmed as `trimWord` trims. */
function trimmedEnd(text: string, start: number, end: number): number {
  while (end > start) {
    const last = text.charCodeAt(end - 1);
    if (last !== 46 && last !== 39 && last !== 45) break;
    end -= 1;
  }
  if (end - start >= 2 && text.charCodeAt(end - 2) === 39 && text.charCodeAt(end - 1) === 115) end -= 2;
  return end;
}

const ORG_SUFFIXES = new Set(
  'inc incorporated llc llp lp ltd limited plc gmbh ag sa sas sarl bv nv co corp corporation company group holdings partners capital fund ventures management advisors advisers associates'.split(
    ' ',
  ),
);

function withoutFinalDot(word: string): string {
  return word.endsWith('.') ? word.slice(0, -1) : word;
}

function lettersBesidesDots(word: string): number {
  let count = 0;
  for (let i = 0; i < word.length; i += 1) if (word.charCodeAt(i) !== 46) count += 1;
  return count;
}

function personVariants(name: string): Variant[] {
  const words = foldedWords(name).filter((word) => !HONORIFICS.has(withoutFinalDot(word)));
  const variants: Variant[] = [{ words, type: 'PERSON', capitalisedOnly: false }];
  const significant = words.filter((word) => lettersBesidesDots(word) >= 2 && !NAME_PARTICLES.has(word));
  if (significant.length >= 2) {
    variants.push({
      words: [significant[0]!, significant[significant.length - 1]!],
      type: 'PERSON',
      capitalisedOnly: false,
    });
    variants.push({
      words: [significant[significant.length - 1]!, significant[0]!],
      type: 'PERSON',
      capitalisedOnly: false,
    });
    // "M. Okafor"
    variants.push({
      words: [significant[0]![0]!, significant[significant.length - 1]!],
      type: 'PERSON',
      capitalisedOnly: false,
    });
    const particleStart = words.findIndex((word, index) => index > 0 && NAME_PARTICLES.has(word));
    if (particleStart > 0)
      variants.push({ words: words.slice(particleStart), type: 'PERSON', capitalisedOnly: false });
  }
  for (const part of significant) {
    if (part.includes('.')) continue;
    variants.push({ words: [part], type: 'PERSON', capitalisedOnly: commonWords.has(part) });
    for (const piece of part.split('-')) {
      if (piece !== part && piece.length >= 2)
        variants.push({ words: [piece], type: 'PERSON', capitalisedOnly: commonWords.has(piece) });
    }
  }
  return variants;
}

function organisationVariants(name: string, type: PlaceholderType): Variant[] {
  const words = foldedWords(name);
  const variants: Variant[] = [{ words, type, capitalisedOnly: false }];
  let core = [...words];
  while (
    core.length > 1 &&
    (ORG_SUFFIXES.has(core[core.length - 1]!.replace(/\./g, '')) ||
      /^(?:[ivx]+|\d+)$/.test(core[core.length - 1]!))
  )
    core = core.slice(0, -1);
  if (core.length < words.length) {
    const single = core.length === 1 ? core[0]! : '';
    if (core.length > 1 || (single.length >= 3 && !commonWords.has(single)))
      variants.push({ words: core, type, capitalisedOnly: false });
    else if (single.length >= 3) variants.push({ words: core, type, capitalisedOnly: true });
  }
  return variants;
}

function isEmpty(list: readonly string[] | undefined): boolean {
  return list === undefined || list === null || (Array.isArray(list) && list.length === 0);
}

function hasNoEntities({ persons, orgs, funds, locations, emails }: KnownEntities): boolean {
  return isEmpty(persons) && isEmpty(orgs) && isEmpty(funds) && isEmpty(locations) && isEmpty(emails);
}

export function allVariants(entities: KnownEntities): Variant[] {
  if (hasNoEntities(entities)) return [];
  const variants: Variant[] = [];
  const distinct = (list: readonly string[] | undefined): string[] => [...new Set(list ?? [])];
  for (const person of distinct(entities.persons)) variants.push(...personVariants(person));
  for (const org of distinct(entities.orgs)) variants.push(...organisationVariants(org, 'ORG'));
  for (const fund of distinct(entities.funds)) variants.push(...organisationVariants(fund, 'FUND'));
  for (const location of distinct(entities.locations))
    variants.push({ words: foldedWords(location), type: 'LOC', capitalisedOnly: false });
  for (const email of distinct(entities.emails))
    variants.push({ words: foldedWords(email), type: 'EMAIL', capitalisedOnly: false });
  const unique = new Map<string, Variant>();
  for (const variant of variants) {
    if (variant.words.length === 0 || variant.words.join('').length < 2) continue;
    const key = `${variant.type}\u0000${variant.capitalisedOnly}\u0000${variant.words.join(' ')}`;
    if (!unique.has(key)) unique.set(key, variant);
  }
  return [...unique.values()];
}

/**
 * The words of a text, two numbers each: word i is `lower.slice(bounds[2 * i], bounds[2 * i + 1])`
 * of the text it was cut from (sliced only when needed).
 */
type WordBounds = number[];

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'&.@+\-]*/gu;
const wordCache = new WeakMap<FoldedText, WordBounds>();

/** The folded text's words (lower case), cut like `foldedWords` cuts entity names. */
function wordsOf(view: FoldedText): WordBounds {
  const cached = wordCache.get(view);
  if (cached) return cached;
  const bounds = NON_ASCII.test(view.lower) ? unicodeWords(view.lower) : asciiWords(view.lower);
  wordCache.set(view, bounds);
  return bounds;
}

function unicodeWords(lower: string): WordBounds {
  const bounds: WordBounds = [];
  for (const match of lower.matchAll(WORD)) {
    const end = trimmedEnd(lower, match.index, match.index + match[0].length);
    if (end > match.index) bounds.push(match.index, end);
  }
  return bounds;
}

/** `[A-Za-z0-9][A-Za-z0-9'&.@+-]*` words of ASCII text, scanned by hand. */
function asciiWords(lower: string): WordBounds {
  const bounds: WordBounds = [];
  forEachAsciiWord(lower, (start, end) => bounds.push(start, end));
  return bounds;
}

/**
 * Calls `visit` with the start and (trimmed) end of every `asciiWords` word of lower[from, to) (cut
 * as if that stretch were the whole text), in order.
 */
function forEachAsciiWord(
  lower: string,
  visit: (start: number, end: number) => void,
  from = 0,
  to = lower.length,
): void {
  let index = from;
  while (index < to) {
    if (!isAlnum(lower.charCodeAt(index))) {
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < to && isAsciiWordPart(lower.charCodeAt(end))) end += 1;
    const trimmed = trimmedEnd(lower, index, end);
    if (trimmed > index) visit(index, trimmed);
    index = end;
  }
}

/** An ASCII letter or digit (`isAsciiAlnum`, kept here: it is asked for every character of the text). */
function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isAsciiWordPart(code: number): boolean {
  // ' & . @ + -
  return (
    isAlnum(code) || code === 39 || code === 38 || code === 46 || code === 64 || code === 43 || code === 45
  );
}

/** A word's length and first character. */
function shapeOf(text: string, start: number, end: number): number {
  return (end - start) * 65536 + text.charCodeAt(start);
}

/** Whether word `index` of `bounds` is `word`. */
function isWord(lower: string, bounds: WordBounds, index: number, word: string): boolean {
  const start = bounds[2 * index]!;
  return bounds[2 * index + 1]! - start === word.length && lower.startsWith(word, start);
}

/** Words of a variant may be joined by up to three spaces or commas. */
function joinedBySpace(view: FoldedText, left: number, right: number): boolean {
  const gap = right - left;
  if (gap < 1 || gap > 3) return false;
  for (let i = left; i < right; i += 1) {
    const char = view.lower[i]!;
    if (char !== ' ' && char !== ',' && char !== '.' && char !== '\t' && char !== '\n') return false;
  }
  return true;
}

export function canonicalName(view: FoldedText, start: number, end: number): string {
  return view.lower
    .slice(start, end)
    .replace(/[\s,]+/g, ' ')
    .trim();
}

/** Hyphenated extensions ("Okafor-Smith") belong to the name. */
function extendHyphenated(view: FoldedText, start: number, end: number): [number, number] {
  const text = view.text;
  while (text[end] === '-' && isWordChar(text, end + 1)) {
    end += 1;
    while (isWordChar(text, end)) end += 1;
  }
  while (text[start - 1] === '-' && isWordChar(text, start - 2) && /\p{Lu}/u.test(text[start] ?? '')) {
    start -= 1;
    while (isWordChar(text, start - 1)) start -= 1;
  }
  return [start, end];
}

/**
 * Claims every mention of the entities' variants: words compared after folding, longest variant
 * first at each position, linear in the text (no pattern built per call).
 */
export function claimEntities(
  view: FoldedText,
  claims: Claims,
  entities: KnownEntities,
  detector: string,
  /** True when the caller knows `view.lower` to be all ASCII (spares looking). */
  lowerIsAscii = false,
  /** `entityWords(entities)`, when the caller has them. */
  known?: ReadonlySet<string>,
): void {
  if (hasNoEntities(entities)) return;
  const words = known ?? entityWords(entities);
  // No words, no variants (allVariants would drop every one).
  if (words.size === 0) return;
  const ascii = lowerIsAscii || !NON_ASCII.test(view.lower);
  if (ascii && !mentionsAnyWord(view, claims, words)) return;
  claimVariants(view, claims, allVariants(entities), detector);
}

/** Claims every mention of the variants (the whole scan, without pre-filter). */
export function claimVariants(
  view: FoldedText,
  claims: Claims,
  variants: readonly Variant[],
  detector: string,
): void {
  if (variants.length === 0) return;
  const byFirstWord = new Map<string, Variant[]>();
  for (const variant of variants) {
    const list = byFirstWord.get(variant.words[0]!) ?? [];
    list.push(variant);
    byFirstWord.set(variant.words[0]!, list);
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);
  const firstShapes = new Set<number>();
  for (const word of byFirstWord.keys()) firstShapes.add(shapeOf(word, 0, word.length));
  const lower = view.lower;
  const bounds = wordsOf(view);
  const count = bounds.length / 2;
  for (let index = 0; index < count; index += 1) {
    const start = bounds[2 * index]!;
    const end = bounds[2 * index + 1]!;
    // Most words cannot be a first word: skip them without slicing.
    if (!firstShapes.has(shapeOf(lower, start, end))) continue;
    const candidates = byFirstWord.get(lower.slice(start, end));
    if (!candidates) continue;
    for (const variant of candidates) {
      let matched = true;
      for (let k = 1; k < variant.words.length && matched; k += 1) {
        const at = index + k;
        matched =
          at < count &&
          isWord(lower, bounds, at, variant.words[k]!) &&
          joinedBySpace(view, bounds[2 * at - 1]!, bounds[2 * at]!);
      }
      if (!matched) continue;
      const firstStart = start;
      if (variant.capitalisedOnly && !/\p{Lu}/u.test(view.text[firstStart] ?? '')) continue;
      const plainEnd = bounds[2 * (index + variant.words.length - 1) + 1]!;
      const [claimStart, claimEnd] = extendHyphenated(view, firstStart, plainEnd);
      const claimed =
        claims.claim({
          start: claimStart,
          end: claimEnd,
          action: 'token',
          type: variant.type,
          canonical: canonicalName(view, claimStart, claimEnd),
          detector,
        }) ||
        claims.claim({
          start: firstStart,
          end: plainEnd,
          action: 'token',
          type: variant.type,
          canonical: canonicalName(view, firstStart, plainEnd),
          detector,
        });
      if (claimed) {
        index += variant.words.length - 1;
        break;
      }
    }
  }
}

/**
 * The words of the entities and their hyphen-separated pieces. Every word of every variant is one
 * of them, except an initial, which comes only before a surname that is one of them.
 */
export function entityWords(entities: KnownEntities): Set<string> {
  const words = new Set<string>();
  for (const list of [entities.persons, entities.orgs, entities.funds, entities.locations, entities.emails])
    for (const value of list ?? []) for (const word of foldedWords(value)) addEntityWord(words, word);
  return words;
}

function addEntityWord(words: Set<string>, word: string): void {
  words.add(word);
  if (word.includes('-')) for (const piece of word.split('-')) if (piece) words.add(piece);
}

/**
 * `entityWords` of entities whose every name is a stretch of ASCII `lower` (the lower case of the
 * text they were found in): [stretches[0], stretches[1]), [stretches[2], stretches[3]), … Cut in
 * place, as `foldedWords` cuts the name's own lower case.
 */
export function entityWordsIn(lower: string, stretches: readonly number[]): Set<string> {
  const words = new Set<string>();
  const visit = (start: number, end: number): void => addEntityWord(words, lower.slice(start, end));
  for (let k = 0; k < stretches.length; k += 2)
    forEachAsciiWord(lower, visit, stretches[k], stretches[k + 1]);
  return words;
}

/**
 * For ASCII text: whether some word that `wordsOf` would cut, starting on unclaimed text, is one
 * of the entities' words. When none is, `claimEntities` can claim nothing (a claim covers every
 * word of the variant it matched, and those words were unclaimed), so the variants need not be
 * built nor the text cut into words.
 */
export function mentionsAnyWord(view: FoldedText, claims: Claims, words: ReadonlySet<string>): boolean {
  for (const word of words) if (hasUnclaimedWord(view.lower, claims, word)) return true;
  return false;
}

/** Whether `word` is a whole `asciiWords` word of `lower` somewhere, starting on unclaimed text. */
export function hasUnclaimedWord(lower: string, claims: Claims, word: string): boolean {
  for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1)) {
    if (claims.isClaimed(at) || !isAsciiWordStart(lower, at)) continue;
    let end = at + 1;
    while (end < lower.length && isAsciiWordPart(lower.charCodeAt(end))) end += 1;
    if (trimmedEnd(lower, at, end) === at + word.length) return true;
  }
  return false;
}

/** Whether `asciiWords` starts a word at `at`: a letter or digit after no other in the same run. */
function isAsciiWordStart(lower: string, at: number): boolean {
  if (!isAlnum(lower.charCodeAt(at))) return false;
  for (let back = at - 1; back >= 0 && isAsciiWordPart(lower.charCodeAt(back)); back -= 1)
    if (isAlnum(lower.charCodeAt(back))) return false;
  return true;
}

/** Layer 3: the caller's known entities and the NER backstop's findings, every mention. */
export const detectKnownEntities: Detector = (view, claims, context) => {
  claimEntities(view, claims, context.entities, 'known');
};
