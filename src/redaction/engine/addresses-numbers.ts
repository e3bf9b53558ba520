import { isDigit, isRegexSpace } from './text-scan';
import { isAsciiWordChar } from './scan-offsets';

/**
 * Where NUMBER_FIRST and NUMBER_NAME_NUMBER (addresses.ts) can begin: at a run of at most six
 * digits after no ASCII `[\w.,/-]` (the `/iu` NUMBER_FIRST also refuses "ſ" and the Kelvin sign
 * there, left to the pattern as NUMBER_NAME_NUMBER takes them).
 * NUMBER_NAME_NUMBER then needs, after an optional a–z letter and an optional `\s\d{1,5}`, one or
 * two spaces and a capital.
 */

/** ASCII `[\w.,/-]` */
function isNumberFirstBlocker(code: number): boolean {
  return isAsciiWordChar(code) || code === 46 || code === 44 || code === 47 || code === 45;
}

/** Digit run starts of at most six digits after no `[\w.,/-]`. */
export function houseNumberStarts(text: string, starts: readonly number[]): number[] {
  const offsets: number[] = [];
  for (const start of starts) {
    if (!isDigit(text.charCodeAt(start)) || isNumberFirstBlocker(text.charCodeAt(start - 1))) continue;
    let end = start + 1;
    while (isDigit(text.charCodeAt(end))) end += 1;
    if (end - start <= 6) offsets.push(start);
  }
  return offsets;
}

/** `\p{Lu}` may begin here: an A–Z, or any non-ASCII character (left to the pattern). */
function mayBeCapital(code: number): boolean {
  return (code >= 65 && code <= 90) || code > 127;
}

/** `\s{1,2}\p{Lu}` from `at`. */
function spacesThenCapital(text: string, at: number): boolean {
  if (!isRegexSpace(text.charCodeAt(at))) return false;
  const next = text.charCodeAt(at + 1);
  return mayBeCapital(next) || (isRegexSpace(next) && mayBeCapital(text.charCodeAt(at + 2)));
}

/** Of the house numbers, those followed by `[a-z]?(?:\s\d{1,5})?\s{1,2}\p{Lu}`. */
export function numberNameStarts(text: string, houseNumbers: readonly number[]): number[] {
  return houseNumbers.filter((start) => {
    let at = start + 1;
    while (isDigit(text.charCodeAt(at))) at += 1;
    const letter = text.charCodeAt(at);
    if (letter >= 97 && letter <= 122) at += 1;
    if (spacesThenCapital(text, at)) return true;
    if (!isRegexSpace(text.charCodeAt(at)) || !isDigit(text.charCodeAt(at + 1))) return false;
    let end = at + 2;
    while (isDigit(text.charCodeAt(end))) end += 1;
    return end - at - 1 <= 5 && spacesThenCapital(text, end);
  });
}

/** `(?=\s{0,3}(?:$|\n|[.,]))` at `at`. */
function endsLine(text: string, at: number): boolean {
  for (let i = 0; i <= 3; i += 1) {
    if (at + i === text.length) return true;
    const code = text.charCodeAt(at + i);
    if (code === 10 || code === 46 || code === 44) return true;
    if (!isRegexSpace(code)) return false;
  }
  return false;
}

/**
 * Whether TRAILING_POSTCODE's number can be the run of `length` digits at `start`: three to six
 * digits, maybe `[ -]` and two to four more, then the end of a line or a "." or ",".
 */
export function endsTrailingPostcode(text: string, start: number, length: number): boolean {
  if (length < 3 || length > 6) return false;
  const end = start + length;
  if (endsLine(text, end)) return true;
  const separator = text.charCodeAt(end);
  if (separator !== 32 && separator !== 45) return false;
  let group = end + 1;
  while (isDigit(text.charCodeAt(group))) group += 1;
  return group - end - 1 >= 2 && group - end - 1 <= 4 && endsLine(text, group);
}
