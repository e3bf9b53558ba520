import { isRegexSpace } from './text-scan';

/** Offset helpers shared by the scanners of the amount, date, address and age layers. */

/** `\w` without the `u` flag: `[A-Za-z0-9_]`. */
export function isAsciiWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  );
}

/** Where the `\s{1,2}` right before `end` begins, or -1 when there is none or a longer run. */
export function spacesBefore(text: string, end: number): number {
  if (!isRegexSpace(text.charCodeAt(end - 1))) return -1;
  const start = isRegexSpace(text.charCodeAt(end - 2)) ? end - 2 : end - 1;
  return start > 0 && isRegexSpace(text.charCodeAt(start - 1)) ? -1 : start;
}

/** The offsets sorted, without repeats (most lists are short and sorted already). */
export function ascendingUnique(offsets: number[]): number[] {
  let ascending = true;
  for (let i = 1; i < offsets.length && ascending; i += 1) ascending = offsets[i - 1]! < offsets[i]!;
  if (ascending) return offsets;
  offsets.sort((a, b) => a - b);
  return offsets.filter((offset, i) => i === 0 || offsets[i - 1] !== offset);
}
