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
