/**
 * A folded view of text for matching: compatibility forms decomposed (ligatures, full-width),
 * accents and zero-width characters removed, case kept. Every folded character remembers the
 * original range it came from, so spans found in the folded view cut the original text exactly.
 */
export interface FoldedText {
  /** The text as submitted. */
  original: string;
  /** The folded text (case kept). */
  text: string;
  /** `lower[i]` is `text[i]` lower-cased; always the same length as `text`. */
  lower: string;
  /** Original start offset of folded character i (read-only: may be shared between views). */
  starts: Int32Array;
  /** Original end offset (exclusive) of folded character i (read-only: may be shared). */
  ends: Int32Array;
}

const INVISIBLE =
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/;
const MARK = /\p{M}/u;
const cache = new Map<string, string>();

/** The folded form of one code point ('' when it disappears). */
function foldCodePoint(char: string): string {
  const cached = cache.get(char);
  if (cached !== undefined) return cached;
  let folded: string;
  if (INVISIBLE.test(char) || MARK.test(char)) folded = '';
  else {
    folded = '';
    for (const part of char.normalize('NFKD')) if (!MARK.test(part) && !INVISIBLE.test(part)) folded += part;
    // Odd whitespace (no-break, thin, ideographic) becomes a plain space so separators still match.
    folded = folded.replace(/[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g, ' ');
    // Dash and quote look-alikes become their ASCII forms.
    folded = folded
      .replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g, '-')
      .replace(/[\u2018\u2019\u02bc\uff07]/g, "'");
  }
  if (cache.size < 50_000) cache.set(char, folded);
  return folded;
}

function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const char of text) {
    const l = char.toLowerCase();
    out += l.length === char.length ? l : char;
  }
  return out;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** 0, 1, 2, … shared by every identity view (read-only), grown on demand. */
let counting = new Int32Array(0);

const SHARED_COUNTING_LIMIT = 1 << 16;

function countingUpTo(length: number): Int32Array {
  if (counting.length > length) return counting;
  // Rare huge texts get their own array, so the shared one stays small.
  const size = length < SHARED_COUNTING_LIMIT ? Math.max(length + 1, counting.length * 2, 1024) : length + 1;
  const array = new Int32Array(size);
  for (let i = 0; i < size; i += 1) array[i] = i;
  if (length < SHARED_COUNTING_LIMIT) counting = array;
  return array;
}

/** ASCII text folds to itself: offset maps are windows on one shared counting array. */
function identity(original: string): FoldedText {
  const offsets = countingUpTo(original.length);
  return {
    original,
    text: original,
    lower: original.toLowerCase(),
    starts: offsets.subarray(0, original.length),
    ends: offsets.subarray(1, original.length + 1),
  };
}

/** Offset maps that grow as folding writes past their end (folding can expand: ligatures). */
class OffsetMaps {
  starts: Int32Array;
  ends: Int32Array;

  constructor(capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  reserve(length: number): void {
    if (length <= this.starts.length) return;
    const size = Math.max(length, this.starts.length * 2);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}

export function fold(original: string): FoldedText {
  if (!NON_ASCII.test(original)) return identity(original);
  const maps = new OffsetMaps(original.length + 16);
  const parts: string[] = [];
  let length = 0;
  let i = 0;
  while (i < original.length) {
    if (original.charCodeAt(i) < 0x80) {
      // A run of ASCII characters folds to itself, one character each.
      let end = i + 1;
      while (end < original.length && original.charCodeAt(end) < 0x80) end += 1;
      maps.reserve(length + end - i);
      for (let k = i; k < end; k += 1) {
        maps.starts[length] = k;
        maps.ends[length] = k + 1;
        length += 1;
      }
      parts.push(original.slice(i, end));
      i = end;
      continue;
    }
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const folded = foldCodePoint(original.slice(i, i + width));
    if (folded.length === 0) {
      // Combining marks and invisibles join the previous folded character's range, so a span
      // ending there removes them too.
      if (length > 0 && maps.ends[length - 1] === i) maps.ends[length - 1] = i + width;
    } else {
      maps.reserve(length + folded.length);
      for (let k = 0; k < folded.length; k += 1) {
        maps.starts[length] = i;
        maps.ends[length] = i + width;
        length += 1;
      }
      parts.push(folded);
    }
    i += width;
  }
  const text = parts.join('');
  return {
    original,
    text,
    lower: lowerSameLength(text),
    starts: maps.starts.subarray(0, length),
    ends: maps.ends.subarray(0, length),
  };
}

/** `fold(text).lower`, without offset maps for ASCII text. */
export function foldLower(text: string): string {
  return NON_ASCII.test(text) ? fold(text).lower : text.toLowerCase();
}
