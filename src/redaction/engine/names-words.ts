import type { FoldedText } from './fold';
import type { WordTable } from './names-shapes';

/** What a word knows about itself, as bits of `Words.bits`. */
export const CAPITALISED = 1;
export const ALL_CAPS = 2;
const SENTENCE_START_KNOWN = 4;
const SENTENCE_START = 8;
/** The lowest bit the caller may use for answers of its own (`recalled` / `remember`). */
export const FIRST_FREE_BIT = 16;

/**
 * The words of one text, held in typed arrays (one entry per word) that are reused from text to
 * text: running text has many words, and an object per word costs more than the facts it holds.
 * A word's lower case is cut out of the text only when asked for.
 */
export class Words {
  count = 0;
  /** How many words start with a capital (kept up to date by `capitalise`). */
  capitalisedCount = 0;
  /** ASCII text: a word's lower case is `lower.slice(start, end)` (otherwise its own string). */
  ascii = true;
  text = '';
  /** The view's lower case. */
  lowerText = '';
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  /** CAPITALISED, ALL_CAPS, remembered answers. */
  bits = new Int32Array(256);
  /** The capitalised words' indices, in order (the first `capitalisedCount`), once `listCapitals` ran. */
  capitals = new Int32Array(64);
  /** `wordHash` of the word's lower case. */
  hashes = new Int32Array(256);
  /** What `shapesOf` said of the word's hash: which word sets it may belong to. */
  shapes = new Int32Array(256);
  private ownLowers: string[] = [];

  /** `shapesOf(hash)`: for a word's `wordHash`, bits for the word sets it may be in. */
  constructor(private readonly shapesOf: (hash: number) => number) {}

  /** Forgets the previous text's words. */
  reset(view: FoldedText, ascii: boolean): void {
    this.count = 0;
    this.capitalisedCount = 0;
    this.ascii = ascii;
    this.text = view.text;
    this.lowerText = view.lower;
    this.ownLowers.length = 0;
  }

  /** Adds text[start, end); `lower` is its lower case when that is not a stretch of the view's. */
  add(start: number, end: number, bits: number, hash: number, lower?: string): void {
    const index = this.count;
    if (index === this.starts.length) this.grow();
    this.starts[index] = start;
    this.ends[index] = end;
    this.bits[index] = bits;
    this.hashes[index] = hash;
    if (lower !== undefined) this.ownLowers[index] = lower;
    if (bits & CAPITALISED) this.capitalisedCount += 1;
    this.count = index + 1;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const larger = (array: Int32Array): Int32Array<ArrayBuffer> => {
      const copy = new Int32Array(size);
      copy.set(array);
      return copy;
    };
    this.starts = larger(this.starts);
    this.ends = larger(this.ends);
    this.bits = larger(this.bits);
    this.hashes = larger(this.hashes);
    this.shapes = larger(this.shapes);
  }

  /** Asks `shapesOf` about every word (once all are added: a loop of its own runs faster). */
  lookUpShapes(): void {
    for (let index = 0; index < this.count; index += 1)
      this.shapes[index] = this.shapesOf(this.hashes[index]!);
  }

  /** Lists the capitalised words in `capitals` (after the last `capitalise`). */
  listCapitals(): void {
    if (this.capitals.length < this.capitalisedCount) this.capitals = new Int32Array(this.count);
    let listed = 0;
    for (let index = 0; index < this.count; index += 1)
      if (this.bits[index]! & CAPITALISED) this.capitals[listed++] = index;
  }

  capitalised(index: number): boolean {
    return (this.bits[index]! & CAPITALISED) !== 0;
  }

  capitalise(index: number): void {
    if (this.capitalised(index)) return;
    this.bits[index]! |= CAPITALISED;
    this.capitalisedCount += 1;
  }

  allCaps(index: number): boolean {
    return (this.bits[index]! & ALL_CAPS) !== 0;
  }

  /** Characters of the word in the text. */
  length(index: number): number {
    return this.ends[index]! - this.starts[index]!;
  }

  lowerLength(index: number): number {
    return this.ascii ? this.length(index) : this.ownLowers[index]!.length;
  }

  lower(index: number): string {
    return this.ascii ? this.lowerText.slice(this.starts[index], this.ends[index]) : this.ownLowers[index]!;
  }

  /** Whether the word in lower case is `word` (compared in place, without cutting it out). */
  is(index: number, word: string): boolean {
    if (!this.ascii) return this.ownLowers[index] === word;
    return this.length(index) === word.length && this.lowerText.startsWith(word, this.starts[index]);
  }

  /** False when the word is certainly not in the set whose shape bit is `shape`. */
  mayBeIn(index: number, shape: number): boolean {
    return (this.shapes[index]! & shape) !== 0;
  }

  /** Whether the word (lower case) is in `table`, whose shape bit is `shape` (compared in place). */
  isIn(index: number, table: WordTable, shape: number): boolean {
    if (!this.mayBeIn(index, shape)) return false;
    if (!this.ascii) {
      const own = this.ownLowers[index]!;
      return table.hasAt(this.hashes[index]!, own, 0, own.length);
    }
    return table.hasAt(this.hashes[index]!, this.lowerText, this.starts[index]!, this.ends[index]!);
  }

  /** Whether the word is the first of a sentence (looking back over spaces and tabs). */
  sentenceStart(index: number): boolean {
    return (
      this.recalled(index, SENTENCE_START_KNOWN, SENTENCE_START) ??
      this.remember(
        index,
        SENTENCE_START_KNOWN,
        SENTENCE_START,
        startsSentence(this.text, this.starts[index]!),
      )
    );
  }

  /** The answer remembered under `known` / `answer`, or undefined. */
  recalled(index: number, known: number, answer: number): boolean | undefined {
    const bits = this.bits[index]!;
    return bits & known ? (bits & answer) !== 0 : undefined;
  }

  remember(index: number, known: number, answer: number, value: boolean): boolean {
    this.bits[index]! |= value ? known | answer : known;
    return value;
  }
}

/** A hash of text[start, end) (FNV-1a over the UTF-16 code units, mixed). */
export function wordHash(text: string, start: number, end: number): number {
  let hash = HASH_SEED;
  for (let i = start; i < end; i += 1) hash = hashStep(hash, text.charCodeAt(i));
  return hashEnd(hash);
}

/** `wordHash` one code unit at a time: HASH_SEED, then `hashStep` per code unit, then `hashEnd`. */
const HASH_SEED = 0x811c9dc5;

function hashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

function hashEnd(hash: number): number {
  return (hash ^ (hash >>> 16)) >>> 0;
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

function isAsciiLetterCode(code: number): boolean {
  // Setting bit 5 makes A-Z a-z and no other code a-z: one unsigned comparison.
  return ((code | 32) - 97) >>> 0 < 26;
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

/** The end of the word source[start, end) without a possessive "'s" and trailing hyphens. */
function wordEnd(source: string, start: number, end: number): number {
  if (end - start >= 2 && source.charCodeAt(end - 2) === 39) {
    const last = source.charCodeAt(end - 1);
    if (last === 115 || last === 83) end -= 2;
  }
  while (end > start && source.charCodeAt(end - 1) === 45) end -= 1;
  return end;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Letters glued to digits belong to codes and tokens ("9fK2xQ7"), not to names. */
function gluedToDigits(source: string, start: number, end: number): boolean {
  return isDigit(source.charCodeAt(end)) || isDigit(source.charCodeAt(start - 1));
}

const TOKEN = /\p{L}[\p{L}\-]{0,40}(?:'\p{L}{1,20})?/gu;

/**
 * Cuts ASCII text into `words` (as `TOKEN` cuts it, without words glued to digits); false, with
 * `words` unusable, as soon as a character outside ASCII shows up. Every character is looked at,
 * either here or in `cutAsciiWord`.
 */
export function cutAsciiWords(view: FoldedText, words: Words): boolean {
  const text = view.text;
  words.reset(view, true);
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (isAsciiLetterCode(code)) index = cutAsciiWord(text, index, words);
    else if (code > 0x7f) return false;
    else index += 1;
  }
  return true;
}

/**
 * Reads the match of `/[A-Za-z][A-Za-z-]{0,40}(?:'[A-Za-z]{1,20})?/y` at the letter text[start]
 * (the pattern never backtracks, so a character loop finds exactly its match) and returns its end.
 * The word is the match without a possessive "'s" and trailing hyphens; it is added to `words`
 * unless glued to digits, with the `wordHash` of its lower case, computed on the way: ASCII
 * lower-casing maps each character alone (`code | 32` for a letter, hyphen and apostrophe as they are).
 */
function cutAsciiWord(text: string, start: number, words: Words): number {
  let hash = HASH_SEED;
  // The end of the last letter before the apostrophe, and the hash up to there.
  let lettersEnd = start;
  let lettersHash = hash;
  let end = start;
  while (end < text.length && end - start <= 40) {
    const code = text.charCodeAt(end);
    if (isAsciiLetterCode(code)) {
      hash = hashStep(hash, code | 32);
      lettersEnd = end + 1;
      lettersHash = hash;
    } else if (code === 45) hash = hashStep(hash, code);
    else break;
    end += 1;
  }
  let wordEnd = lettersEnd;
  let wordHash = lettersHash;
  if (text.charCodeAt(end) === 39 && isAsciiLetterCode(text.charCodeAt(end + 1))) {
    const apostrophe = end;
    hash = hashStep(hash, 39);
    end += 1;
    while (end < text.length && end - apostrophe <= 20) {
      const code = text.charCodeAt(end);
      if (!isAsciiLetterCode(code)) break;
      hash = hashStep(hash, code | 32);
      end += 1;
    }
    const possessive = end - apostrophe === 2 && (text.charCodeAt(apostrophe + 1) | 32) === 115;
    if (!possessive) {
      wordEnd = end;
      wordHash = hash;
    }
  }
  if (!gluedToDigits(text, start, wordEnd)) {
    const first = text.charCodeAt(start);
    const bits = first <= 90 ? CAPITALISED | (isAsciiAllCaps(text, start, wordEnd) ? ALL_CAPS : 0) : 0;
    words.add(start, wordEnd, bits, hashEnd(wordHash));
  }
  return end;
}

/** Cuts any text into `words` with the `TOKEN` pattern (without words glued to digits). */
export function cutUnicodeWords(view: FoldedText, words: Words): void {
  const source = view.text;
  words.reset(view, false);
  for (const match of source.matchAll(TOKEN)) {
    const start = match.index;
    const end = wordEnd(source, start, start + match[0].length);
    if (end === start || gluedToDigits(source, start, end)) continue;
    const firstCode = source.charCodeAt(start);
    const text = source.slice(start, end);
    const lower = text.toLowerCase();
    const capitalised =
      firstCode < 128 ? firstCode >= 65 && firstCode <= 90 : text[0] !== text[0]!.toLowerCase();
    const allCaps = end - start > 1 && text === text.toUpperCase() && text !== lower;
    const bits = (capitalised ? CAPITALISED : 0) | (allCaps ? ALL_CAPS : 0);
    words.add(start, end, bits, wordHash(lower, 0, lower.length), lower);
  }
}

/** Cuts the view's text into `words`. */
export function cutWords(view: FoldedText, words: Words): void {
  if (!cutAsciiWords(view, words)) cutUnicodeWords(view, words);
  words.lookUpShapes();
}
