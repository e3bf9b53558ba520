/**
 * Long runs of one ASCII character class, found by probing every `min`-th character: a run of
 * `min` or more characters must cover a probe, so most characters of ordinary prose (short words
 * between spaces) are never read. Each character is read at most twice, so the scan stays linear.
 */

/** A character class as a table over char codes below 128; codes from 128 up are never in it. */
export function asciiClass(accepts: (code: number) => boolean): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code += 1) table[code] = accepts(code) ? 1 : 0;
  return table;
}

function inClass(table: Uint8Array, text: string, index: number): boolean {
  return table[text.charCodeAt(index)] === 1;
}

/**
 * Maximal runs of class characters at least `min` long, as start, end, start, end, … offsets;
 * with `first`, stops after the first one.
 */
export function longRuns(text: string, table: Uint8Array, min: number, first = false): number[] {
  const runs: number[] = [];
  let settled = -1; // text[settled] is known to be outside the class (or is before the text)
  let probe = min - 1;
  while (probe < text.length) {
    if (!inClass(table, text, probe)) {
      settled = probe;
      probe += min;
      continue;
    }
    let start = probe;
    while (start > settled + 1 && inClass(table, text, start - 1)) start -= 1;
    let end = probe + 1;
    while (end < text.length && inClass(table, text, end)) end += 1;
    if (end - start >= min) {
      runs.push(start, end);
      if (first) return runs;
    }
    settled = end;
    probe = end + min;
  }
  return runs;
}

/** Whether a run of at least `min` class characters occurs. */
export function hasLongRun(text: string, table: Uint8Array, min: number): boolean {
  return longRuns(text, table, min, true).length > 0;
}
