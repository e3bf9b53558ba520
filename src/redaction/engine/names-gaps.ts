import { isRegexSpace } from './text-scan';

/** Hand-written tests of the text between and after words, each equal to the pattern it names. */

/** Space or tab. */
function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** Whether text[from, to) is `/^\s?&\s?$/`: an ampersand, maybe with one white space on either side. */
export function isAmpersandGap(text: string, from: number, to: number): boolean {
  if (from < to && isRegexSpace(text.charCodeAt(from))) from += 1;
  if (to > from && isRegexSpace(text.charCodeAt(to - 1))) to -= 1;
  return to - from === 1 && text.charCodeAt(from) === 38;
}

/** Whether the two characters at `at` start with `/^\.?[ \t]/` (what follows an initial). */
export function initialGapAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return isBlank(code) || (code === 46 && isBlank(text.charCodeAt(at + 1)));
}

/** Whether the three characters at `at` start with `/^\s{0,2}:/` (what follows a speaker label). */
export function colonFollows(text: string, at: number): boolean {
  for (let i = at; i < at + 3 && i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 58) return true;
    if (!isRegexSpace(code)) return false;
  }
  return false;
}

/** `isRegexSpace`, deciding the ASCII characters by itself (most characters asked are letters). */
export function isWhiteSpace(code: number): boolean {
  if (code < 0xa0) return code === 32 || (code >= 9 && code <= 13);
  return isRegexSpace(code);
}
