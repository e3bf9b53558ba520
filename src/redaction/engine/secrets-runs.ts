/**
 * Long runs of one ASCII character class, found by probing every `min`-th character: a run of
 * `min` or more characters must cover a probe, and must reach `min` characters past its start, so
 * most characters of ordinary prose (short words between spaces) are never read. Each character
 * is read at most twice, so the scan stays linear.
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
  // text[settled] is outside the class (or before the text), and every long run starting before
  // it is found; a long run starting after it must cover settled + min.
  let settled = -1;
  while (settled + min < text.length) {
    const probe = settled + min;
    if (!inClass(table, text, probe)) {
      settled = probe;
      continue;
    }
    let start = probe;
    while (start > settled + 1 && inClass(table, text, start - 1)) start -= 1;
    // The run around the probe is long only if every character up to start + min - 1 is in the class.
    const last = start + min - 1;
    if (last >= text.length) break;
    if (!inClass(table, text, last)) {
      settled = last;
      continue;
    }
    let gap = probe + 1;
    while (gap < last && inClass(table, text, gap)) gap += 1;
    if (gap < last) {
      settled = gap;
      continue;
    }
    let end = last + 1;
    while (end < text.length && inClass(table, text, end)) end += 1;
    runs.push(start, end);
    if (first) break;
    settled = end;
  }
  return runs;
}

/** Whether a run of at least `min` class characters occurs. */
export function hasLongRun(text: string, table: Uint8Array, min: number): boolean {
  return longRuns(text, table, min, true).length > 0;
}
