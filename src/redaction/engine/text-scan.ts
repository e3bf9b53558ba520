/** Small character helpers shared by the detectors (hand-written scanners avoid regex backtracking). */

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function isAsciiAlnum(code: number): boolean {
  return isDigit(code) || isAsciiLetter(code);
}

const LETTER = /\p{L}/u;

/** Whether the character at `index` is a letter or digit of any script. */
export function isWordChar(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  if (code < 128) return isAsciiAlnum(code) || code === 95;
  return LETTER.test(text[index]!);
}

/** True when no word character touches [start, end) on either side. */
export function atWordBoundary(text: string, start: number, end: number): boolean {
  return !isWordChar(text, start - 1) && !isWordChar(text, end);
}

/** Separators tolerated inside numbers and identifiers. */
export function isNumberSeparator(code: number): boolean {
  return code === 32 || code === 46 || code === 45 || code === 47 || code === 44 || code === 95;
}

export function digitsOf(text: string): string {
  let digits = '';
  for (let i = 0; i < text.length; i += 1) if (isDigit(text.charCodeAt(i))) digits += text[i];
  return digits;
}

/**
 * Reads an identifier made of letter/digit groups joined by single separators (space, dot, dash,
 * slash, comma, underscore), starting at `start`. Groups after the first must contain a digit
 * (so a following word ends it), except a short letter group glued by a non-space separator.
 * Returns the end offset and digit count, or null when nothing identifier-like starts there.
 */
export function readGroupedIdentifier(
  text: string,
  start: number,
  maxLength = 64,
): { end: number; digits: number } | null {
  if (!isAsciiAlnum(text.charCodeAt(start)) || isWordChar(text, start - 1)) return null;
  let index = start;
  let end = start;
  let digits = 0;
  let groups = 0;
  const limit = Math.min(text.length, start + maxLength);
  while (index < limit) {
    let groupEnd = index;
    let groupDigits = 0;
    while (groupEnd < limit && isAsciiAlnum(text.charCodeAt(groupEnd))) {
      if (isDigit(text.charCodeAt(groupEnd))) groupDigits += 1;
      groupEnd += 1;
    }
    if (groupEnd === index) break;
    if (groupEnd < text.length && isWordChar(text, groupEnd)) break; // runs into non-ASCII letters
    const separatorBefore = index > start ? text.charCodeAt(index - 1) : 0;
    if (groups > 0 && groupDigits === 0 && (separatorBefore === 32 || groupEnd - index > 4)) break;
    digits += groupDigits;
    groups += 1;
    end = groupEnd;
    const separator = text.charCodeAt(groupEnd);
    if (!isNumberSeparator(separator) || !isAsciiAlnum(text.charCodeAt(groupEnd + 1))) break;
    index = groupEnd + 1;
  }
  return end > start ? { end, digits } : null;
}

const digitStartsCache = new WeakMap<object, number[]>();

/** Offsets where a run of digits begins (cached per text holder). */
export function digitRunStarts(holder: object, text: string): number[] {
  const cached = digitStartsCache.get(holder);
  if (cached) return cached;
  const starts: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    if (!isDigit(text.charCodeAt(i)) || isDigit(text.charCodeAt(i - 1))) continue;
    // ".5" and ",75" start at their separator.
    const before = text.charCodeAt(i - 1);
    if ((before === 46 || before === 44) && !isDigit(text.charCodeAt(i - 2))) starts.push(i - 1);
    starts.push(i);
  }
  digitStartsCache.set(holder, starts);
  return starts;
}

/**
 * Matches of a sticky pattern tried only at the given offsets (in order, never overlapping), so a
 * pattern that starts with a digit is not attempted at every position of the text.
 */
export function matchesAt(text: string, offsets: readonly number[], sticky: RegExp): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  let after = 0;
  for (const offset of offsets) {
    if (offset < after) continue;
    sticky.lastIndex = offset;
    const match = sticky.exec(text);
    if (match) {
      after = offset + Math.max(1, match[0].length);
      matches.push(match);
    }
  }
  return matches;
}

/**
 * Where `/[class]{min,max}/g` would match, with the class given as a predicate: maximal runs cut
 * into pieces of at most `max` (the last piece only when it still has `min` characters). A plain
 * character loop instead of a regex that is retried at every position of every short word.
 */
export function classRuns(
  text: string,
  accepts: (code: number) => boolean,
  min: number,
  max: number,
): { start: number; end: number }[] {
  const runs: { start: number; end: number }[] = [];
  let index = 0;
  while (index < text.length) {
    if (!accepts(text.charCodeAt(index))) {
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < text.length && accepts(text.charCodeAt(end))) end += 1;
    for (let piece = index; end - piece >= min; piece += max)
      runs.push({ start: piece, end: Math.min(end, piece + max) });
    index = end;
  }
  return runs;
}

/** Whether some run of at least `min` characters accepted by `accepts` occurs. */
export function hasRun(text: string, accepts: (code: number) => boolean, min: number): boolean {
  let length = 0;
  for (let i = 0; i < text.length; i += 1) {
    length = accepts(text.charCodeAt(i)) ? length + 1 : 0;
    if (length >= min) return true;
  }
  return false;
}

/**
 * Pre-filters. Each one is a necessary condition for some pattern to match (stated where it is
 * used), so skipping the pattern when it fails changes no result, only the cost.
 */

/** Whether `haystack` contains any of `needles`. */
export function containsAny(haystack: string, needles: readonly string[]): boolean {
  for (const needle of needles) if (haystack.includes(needle)) return true;
  return false;
}

/** The characters of a regex `\s`. */
export function isRegexSpace(code: number): boolean {
  return (
    (code >= 9 && code <= 13) ||
    code === 32 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Whether some ASCII digit starts a regex word (`\b\d`: nothing of `[A-Za-z0-9_]` before it). */
export function hasBoundaryDigit(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    if (!isDigit(text.charCodeAt(i))) continue;
    const before = text.charCodeAt(i - 1);
    if (!(isAsciiAlnum(before) || before === 95)) return true;
  }
  return false;
}

/** Every offset at most `reach` characters before one of `starts` (ascending, no repeats). */
export function offsetsBefore(starts: readonly number[], reach: number): number[] {
  const offsets: number[] = [];
  let next = 0;
  for (const start of starts) {
    for (let offset = Math.max(next, start - reach); offset < start; offset += 1) offsets.push(offset);
    next = Math.max(next, start);
  }
  return offsets;
}
