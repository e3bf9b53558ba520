/**
 * Where a placeholder look-alike can begin, found with native `indexOf` instead of trying the
 * look-alike pattern at every offset: at an opening bracket (`[`, `<`, `(`, `{`), or at a word of
 * 2–6 ASCII letters (the length of every placeholder type) right before `_`, `\` or `-`.
 */

const OPENERS = ['[', '<', '(', '{'];
const TYPE_ENDS = ['_', '\\', '-'];
const SHORTEST_TYPE = 2;
const LONGEST_TYPE = 6;

function isAsciiLetterCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isAsciiWordCode(code: number): boolean {
  return isAsciiLetterCode(code) || (code >= 48 && code <= 57) || code === 95;
}

function pushAll(text: string, needle: string, into: number[]): void {
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) into.push(at);
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

/** Ascending offsets where a placeholder look-alike may begin. */
export function lookalikeStarts(text: string): number[] {
  const starts: number[] = [];
  for (const opener of OPENERS) pushAll(text, opener, starts);
  const ends: number[] = [];
  for (const typeEnd of TYPE_ENDS) pushAll(text, typeEnd, ends);
  for (const end of ends) {
    const start = typeWordBefore(text, end);
    if (start >= 0) starts.push(start);
  }
  return starts.sort((a, b) => a - b);
}
