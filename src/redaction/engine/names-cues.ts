import { isRegexSpace } from './text-scan';

/**
 * A necessary condition for a cue pattern of the form `(?:cue|cue|…)[separators]{1,max}$`, case
 * ignored, optionally followed by `(?:the\s)?` before the end: the text ends in one to `max`
 * separators (and maybe "the ") right after a character that ends some cue. Before most
 * capitalised words of running text stands a full stop or a line break, so the pattern (tried at
 * every position of the context) rarely needs to run.
 */
export class CueEnding {
  private readonly endsCue = new Uint8Array(128);
  /** `isSeparator` of the ASCII characters, read from a table (the test itself is asked only beyond). */
  private readonly asciiSeparators = new Uint8Array(128);

  /** `lastChars`: the characters the cues end with (letters in lower case). */
  constructor(
    lastChars: string,
    private readonly isSeparator: (code: number) => boolean,
    private readonly maxSeparators: number,
    private readonly theMayFollow = false,
  ) {
    for (let code = 0; code < 128; code += 1) this.asciiSeparators[code] = isSeparator(code) ? 1 : 0;
    for (const char of lastChars) {
      this.endsCue[char.charCodeAt(0)] = 1;
      this.endsCue[char.toUpperCase().charCodeAt(0)] = 1;
    }
  }

  /** False when text[from, end) certainly does not match the pattern; true when it may. */
  mayEnd(text: string, from: number, end: number): boolean {
    if (this.cueThenSeparators(text, from, end)) return true;
    return this.theMayFollow && endsWithThe(text, from, end) && this.cueThenSeparators(text, from, end - 4);
  }

  private cueThenSeparators(text: string, from: number, end: number): boolean {
    for (
      let at = end - 1;
      at >= from && end - at <= this.maxSeparators && this.separates(text.charCodeAt(at));
      at -= 1
    ) {
      const before = text.charCodeAt(at - 1);
      if (at - 1 >= from && before < 128 && this.endsCue[before] === 1) return true;
    }
    return false;
  }

  private separates(code: number): boolean {
    return code < 128 ? this.asciiSeparators[code] === 1 : this.isSeparator(code);
  }
}

/** Whether text[from, end) ends in "the" (any case) and one `\s`. */
function endsWithThe(text: string, from: number, end: number): boolean {
  return (
    end - 4 >= from &&
    (text.charCodeAt(end - 4) | 0x20) === 116 &&
    (text.charCodeAt(end - 3) | 0x20) === 104 &&
    (text.charCodeAt(end - 2) | 0x20) === 101 &&
    isRegexSpace(text.charCodeAt(end - 1))
  );
}

/** `[\s,:]` */
export function isSpaceCommaColon(code: number): boolean {
  return isRegexSpace(code) || code === 44 || code === 58;
}

/** `[\s,:-]` */
export function isSpaceCommaColonHyphen(code: number): boolean {
  return isSpaceCommaColon(code) || code === 45;
}
