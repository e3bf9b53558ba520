import type { FoldedText } from './fold';

/**
 * A pre-filter for keyword patterns, built in one pass over a text and shared by every detector.
 * A word is a regex word (`[a-z0-9_]` run, as `\b` sees it) of the lower-cased view; its
 * beginning is its first three characters, or the whole word when shorter.
 *
 * - `someWordStarts`: a pattern whose keyword must start a word (after `\b`, `\s` or another
 *   non-word character) can only match when the keyword's beginning is among the words'. A hint
 *   shorter than three characters stands for that exact word ("dl", "a" of "a/c").
 * - `someWordIs`: when the keyword must also end the word (`\b` after it), a word with the same
 *   beginning and the same length must occur; this is much more selective.
 *
 * Beginnings and shapes (beginning and length) are hashed into two fixed tables stamped with the
 * current text's number, so building and asking allocate nothing and clear nothing. Two keys
 * sharing a slot only make the answer "maybe" more often, never "no" for a word that is there.
 * Shapes are stamped only when a text is first asked `someWordIs`.
 */
const SLOTS = 1 << 16;
const beginnings = new Uint32Array(SLOTS);
const shapes = new Uint32Array(SLOTS);
let stamp = 0;
let stampOf = new WeakMap<FoldedText, number>();
/** The stamp under which the shapes table holds the stamped view's words (filled on first ask). */
let shapesStamp = 0;

/** `[A-Za-z0-9_]` as a table over char codes below 128. */
const WORD_CODES = new Uint8Array(128);
for (let code = 0; code < 128; code += 1)
  WORD_CODES[code] =
    (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95 || (code >= 65 && code <= 90)
      ? 1
      : 0;

function isWordAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code < 128 && WORD_CODES[code] === 1;
}

/** Up to three ASCII word characters packed into one number (0 pads a shorter beginning). */
function beginningKey(text: string, from: number, to: number): number {
  let key = 0;
  for (let i = from; i < from + 3; i += 1) key = key * 128 + (i < to ? text.charCodeAt(i) : 0);
  return key;
}

/** Multiplicative hashing: the top 16 bits of a 32-bit product. */
function beginningSlot(beginning: number): number {
  return Math.imul(beginning, 0x9e3779b1) >>> 16;
}

function shapeSlot(beginning: number, length: number): number {
  return Math.imul(Math.imul(beginning, 0x9e3779b1) ^ Math.min(length, 255), 0x85ebca6b) >>> 16;
}

/** Where the word running through `from - 1` ends. */
function wordEnd(lower: string, from: number): number {
  let end = from;
  while (end < lower.length && isWordAt(lower, end)) end += 1;
  return end;
}

function stampBeginnings(lower: string): void {
  let at = 0;
  while (at < lower.length) {
    if (!isWordAt(lower, at)) {
      at += 1;
      continue;
    }
    // The beginning is read as the word is: its first three characters, 0 for each one missing.
    let key = lower.charCodeAt(at);
    let end = at + 1;
    for (; end < at + 3; end += 1) {
      if (end >= lower.length || !isWordAt(lower, end)) break;
      key = key * 128 + lower.charCodeAt(end);
    }
    for (let missing = end; missing < at + 3; missing += 1) key *= 128;
    beginnings[beginningSlot(key)] = stamp;
    at = wordEnd(lower, end) + 1; // the character after a word starts none
  }
}

function stampShapes(lower: string): void {
  let at = 0;
  while (at < lower.length) {
    if (!isWordAt(lower, at)) {
      at += 1;
      continue;
    }
    const end = wordEnd(lower, at + 1);
    shapes[shapeSlot(beginningKey(lower, at, end), end - at)] = stamp;
    at = end + 1; // the character after a word starts none
  }
}

/** Stamps the view's word beginnings into their table (again, when another text was stamped since). */
function index(view: FoldedText): number {
  const current = stampOf.get(view);
  if (current !== undefined && current === stamp) return current;
  stamp = stamp === 0xffffffff ? 1 : stamp + 1;
  if (stamp === 1) {
    // Wrapped around: forget every earlier stamp.
    beginnings.fill(0);
    shapes.fill(0);
    shapesStamp = 0;
    stampOf = new WeakMap();
  }
  stampBeginnings(view.lower);
  stampOf.set(view, stamp);
  return stamp;
}

/** index(), with the shapes of the view's words stamped too (only views asked about whole words pay). */
function indexShapes(view: FoldedText): number {
  const current = index(view);
  if (shapesStamp !== current) {
    stampShapes(view.lower);
    shapesStamp = current;
  }
  return current;
}

/** Whether some word of the view begins as one of `hints` (lower case, at most three characters). */
export function someWordStarts(view: FoldedText, hints: readonly string[]): boolean {
  const current = index(view);
  for (const hint of hints)
    if (beginnings[beginningSlot(beginningKey(hint, 0, hint.length))] === current) return true;
  return false;
}

/** Whether some word of the view may be one of `words` (same beginning and length; lower case). */
export function someWordIs(view: FoldedText, words: readonly string[]): boolean {
  const current = indexShapes(view);
  for (const word of words)
    if (shapes[shapeSlot(beginningKey(word, 0, word.length), word.length)] === current) return true;
  return false;
}
