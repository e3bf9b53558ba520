/** Where an IP address can begin, found from `.` and `:` characters (native `indexOf`). */

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isHexCode(code: number): boolean {
  return isDigitCode(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/**
 * Ascending offsets where a dotted IPv4 address may begin: a run of 1–3 digits right before a dot,
 * after neither a digit nor a dot.
 */
export function ipv4Starts(text: string): number[] {
  const starts: number[] = [];
  for (let dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', dot + 1)) {
    let start = dot;
    while (start > 0 && dot - start <= 3 && isDigitCode(text.charCodeAt(start - 1))) start -= 1;
    const before = text.charCodeAt(start - 1);
    if (start < dot && dot - start <= 3 && !isDigitCode(before) && before !== 46) starts.push(start);
  }
  return starts;
}

/**
 * Whether two colons follow each other with at most four hex digits between them, as the first
 * two groups of every IPv6 address do.
 */
export function mayHoldIpv6(text: string): boolean {
  let previous = text.indexOf(':');
  for (let colon = text.indexOf(':', previous + 1); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    if (colon - previous <= 5 && allHex(text, previous + 1, colon)) return true;
    previous = colon;
  }
  return false;
}

function allHex(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) if (!isHexCode(text.charCodeAt(i))) return false;
  return true;
}
