/**
 * Where a URL can begin, found from the `:` and `.` characters (native `indexOf`) instead of
 * trying the URL patterns at every offset.
 */

function isAsciiAlnumCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isAsciiWordCode(code: number): boolean {
  return isAsciiAlnumCode(code) || code === 95;
}

const LONGEST_SCHEME = 9; // "lightning"
const LONGEST_LABEL = 63;

/**
 * Ascending offsets where `\b(?:scheme):` may begin: a scheme is a whole regex word of 2 to 9
 * characters right before a `:`.
 */
export function schemeStarts(text: string): number[] {
  const starts: number[] = [];
  for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    let start = colon;
    while (start > 0 && colon - start <= LONGEST_SCHEME && isAsciiWordCode(text.charCodeAt(start - 1)))
      start -= 1;
    if (colon - start >= 2 && colon - start <= LONGEST_SCHEME) starts.push(start);
  }
  return starts;
}

/** A character that rules out a host starting right after it: `[\w@.\-]`. */
function isHostBefore(code: number): boolean {
  return isAsciiWordCode(code) || code === 64 || code === 46 || code === 45;
}

/**
 * Ascending offsets where a scheme-less host may begin: the start of a label (`[A-Za-z0-9-]` of up
 * to 63 characters, after nothing of `[\w@.\-]`) ending at a dot between two letters or digits.
 */
export function hostStarts(text: string): number[] {
  const starts: number[] = [];
  for (let dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', dot + 1)) {
    if (!isAsciiAlnumCode(text.charCodeAt(dot - 1)) || !isAsciiAlnumCode(text.charCodeAt(dot + 1))) continue;
    let start = dot - 1;
    while (start > 0 && dot - start <= LONGEST_LABEL) {
      const code = text.charCodeAt(start - 1);
      if (!isAsciiAlnumCode(code) && code !== 45) break;
      start -= 1;
    }
    if (dot - start <= LONGEST_LABEL && !isHostBefore(text.charCodeAt(start - 1))) starts.push(start);
  }
  return starts;
}
