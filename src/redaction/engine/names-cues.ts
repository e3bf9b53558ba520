import { isRegexSpace } from './text-scan';

/**
 * A necessary condition for a cue pattern of the form `(?:cue|cue|…)[separators]{1,3}$` (case
 * ignored): the text ends in one to three separators right after a letter that ends some cue.
 * Before most capitalised words of running text stands a full stop or a line break, so the
 * pattern (tried at every position of the context) rarely needs to run.
 */
export class CueEnding {
  private readonly endsCue = new Uint8Array(128);

  /** `lastLetters`: the lower-case letters the cues end with. */
  constructor(
    lastLetters: string,
    private readonly isSeparator: (code: number) => boolean,
  ) {
    for (const letter of lastLetters) {
      this.endsCue[letter.charCodeAt(0)] = 1;
      this.endsCue[letter.toUpperCase().charCodeAt(0)] = 1;
    }
  }

  /** False when text[from, end) certainly does not match the pattern; true when it may. */
  mayEnd(text: string, from: number, end: number): boolean {
    for (let at = end - 1; at >= from && end - at <= 3 && this.isSeparator(text.charCodeAt(at)); at -= 1) {
      const before = text.charCodeAt(at - 1);
      if (at - 1 >= from && before < 128 && this.endsCue[before] === 1) return true;
    }
    return false;
  }
}

/** `[\s,:]` */
export function isSpaceCommaColon(code: number): boolean {
  return isRegexSpace(code) || code === 44 || code === 58;
}

/** `[\s,:-]` */
export function isSpaceCommaColonHyphen(code: number): boolean {
  return isSpaceCommaColon(code) || code === 45;
}
