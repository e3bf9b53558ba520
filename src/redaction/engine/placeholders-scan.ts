import { isRegexSpace } from './text-scan';

/**
 * Where a placeholder look-alike can begin, found by one native scan for marker characters instead
 * of trying the look-alike pattern at every offset: at an opening bracket (`[`, `<`, `(`, `{`), or
 * at a word of 2–6 ASCII letters (the length of every placeholder type) right before `_`, `\` or `-`.
 */

/** The characters a look-alike begins with or a type word ends at: `[`, `<`, `(`, `{`, `_`, `\`, `-`. */
const MARKERS = /[[<({_\\-]/g;
const SHORTEST_TYPE = 2;
const LONGEST_TYPE = 6;

function isAsciiLetterCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isAsciiWordCode(code: number): boolean {
  return isAsciiLetterCode(code) || (code >= 48 && code <= 57) || code === 95;
}

function isOpener(code: number): boolean {
  return code === 91 || code === 60 || code === 40 || code === 123;
}

/** The start of a type-length letter word ending at `end`, preceded by a regex word boundary; -1 if none. */
function typeWordBefore(text: string, end: number): number {
  let start = end;
  while (start > 0 && end - start <= LONGEST_TYPE && isAsciiLetterCode(text.charCodeAt(start - 1)))
    start -= 1;
  const length = end - start;
  if (length < SHORTEST_TYPE || length > LONGEST_TYPE) return -1;
  return isAsciiWordCode(text.charCodeAt(start - 1)) ? -1 : start;
}

/**
 * Ascending offsets where a placeholder look-alike may begin. A type word lies between the marker
 * before it and its own, so the offsets come out in order.
 */
export function lookalikeStarts(text: string): number[] {
  const starts: number[] = [];
  MARKERS.lastIndex = 0;
  for (let marker = MARKERS.exec(text); marker; marker = MARKERS.exec(text)) {
    const at = marker.index;
    const start = isOpener(text.charCodeAt(at)) ? at : typeWordBefore(text, at);
    if (start >= 0) starts.push(start);
  }
  return starts;
}

/** Upper-case placeholder types, and what a look-alike must find right after its opening bracket. */
export class PlaceholderShapes {
  private readonly types: readonly string[];
  private readonly initials = new Set<number>();

  constructor(types: readonly string[]) {
    this.types = types;
    for (const type of types) this.initials.add(type.charCodeAt(0) | 32);
  }

  /** Whether text[start, end) is a type, in any case. */
  isType(text: string, start: number, end: number): boolean {
    for (const type of this.types)
      if (type.length === end - start && sameLetters(text, start, type)) return true;
    return false;
  }

  /** The end of the exact placeholder `[TYPE_N]` (N from 1 to 999999999) at `start`, or -1. */
  exactEnd(text: string, start: number): number {
    if (text.charCodeAt(start) !== 91) return -1;
    let at = start + 1;
    while (at - start <= LONGEST_TYPE && isCapital(text.charCodeAt(at))) at += 1;
    if (text.charCodeAt(at) !== 95 || !this.isExactType(text, start + 1, at)) return -1;
    const digits = at + 1;
    if (!isNonZeroDigit(text.charCodeAt(digits))) return -1;
    let end = digits + 1;
    while (end - digits < 9 && isDigitCode(text.charCodeAt(end))) end += 1;
    return text.charCodeAt(end) === 93 ? end + 1 : -1;
  }

  /**
   * Whether the character after an opening bracket may continue a look-alike: whitespace, `\`, or
   * the first letter of a type in either case (under `/i` without `u` only ASCII letters match them).
   */
  mayFollowOpener(code: number): boolean {
    return isRegexSpace(code) || code === 92 || (isAsciiLetterCode(code) && this.initials.has(code | 32));
  }

  private isExactType(text: string, start: number, end: number): boolean {
    for (const type of this.types)
      if (type.length === end - start && text.startsWith(type, start)) return true;
    return false;
  }
}

function sameLetters(text: string, start: number, upper: string): boolean {
  for (let i = 0; i < upper.length; i += 1)
    if (
      (text.charCodeAt(start + i) & ~32) !== upper.charCodeAt(i) ||
      !isAsciiLetterCode(text.charCodeAt(start + i))
    )
      return false;
  return true;
}

function isCapital(code: number): boolean {
  return code >= 65 && code <= 90;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isNonZeroDigit(code: number): boolean {
  return code >= 49 && code <= 57;
}

/**
 * Every match of the look-alike pattern (`sticky`, anchored, case-insensitive), as start, end, …
 * offsets: what `matchesAt(text, lookalikeStarts(text), sticky)` finds. An exact placeholder is
 * read by hand, and the pattern is not tried where the character after a bracket or the word
 * before a marker already rules it out. Markers inside a match are passed over.
 */
export function lookalikeSpans(text: string, shapes: PlaceholderShapes, sticky: RegExp): number[] {
  const spans: number[] = [];
  let after = 0;
  MARKERS.lastIndex = 0;
  // `test` moves lastIndex past the marker without building a match array.
  while (MARKERS.test(text)) {
    const at = MARKERS.lastIndex - 1;
    const opener = isOpener(text.charCodeAt(at));
    const start = opener ? at : typeWordBefore(text, at);
    if (start < after) continue;
    let end = opener ? shapes.exactEnd(text, start) : -1;
    if (
      end < 0 &&
      (opener ? shapes.mayFollowOpener(text.charCodeAt(at + 1)) : shapes.isType(text, start, at))
    ) {
      sticky.lastIndex = start;
      const match = sticky.exec(text);
      if (match) end = start + match[0].length;
    }
    if (end < 0) continue;
    spans.push(start, end);
    after = Math.max(start + 1, end);
    MARKERS.lastIndex = after;
  }
  return spans;
}
