import type { DetectContext } from './detector';
import { detect } from './detect';
import { foldLower } from './fold';
import type { Finding } from './span';
import { isAsciiAlnum, isWordChar } from './text-scan';

/** What the scrubbed output may still contain: only what this map issued and cut-out markers. */
export interface Residue {
  kinds: string[];
}

/**
 * The second pass: every detector runs again over the scrubbed text (issued placeholders are
 * kept), and no replaced value may appear anywhere in it. Returns what was found, or null when clean.
 * `sameAsRescan` may be given only when it is exactly what `detect(scrubbed, context)` returns.
 */
export function verify(
  scrubbed: string,
  replacedValues: readonly string[],
  context: DetectContext,
  sameAsRescan?: readonly Finding[],
): Residue | null {
  const kinds = new Set<string>();
  let folded: string | undefined;
  let findings = sameAsRescan;
  if (!findings) {
    const rescan = detect(scrubbed, context);
    findings = rescan.findings;
    folded = rescan.view.lower;
  }
  for (const finding of findings) {
    if (finding.action === 'keep') continue;
    kinds.add(
      finding.action === 'token' ? finding.type : finding.action === 'tier1' ? finding.kind : 'bucket',
    );
  }
  if (valueSurvives(scrubbed, folded ?? foldLower(scrubbed), replacedValues)) kinds.add('value');
  return kinds.size > 0 ? { kinds: [...kinds].sort() } : null;
}

const WORD = /[\p{L}\p{N}_]+/gu;
/** What the shortest placeholder masks to. */
const MASKED_PLACEHOLDER = ' '.repeat('[XX_1]'.length);
const NON_ASCII = /[^\x00-\x7f]/;

function isAsciiWordCode(code: number): boolean {
  return isAsciiAlnum(code) || code === 95;
}

/** The runs of WORD in `text` (at most `limit`); ASCII text is scanned without the Unicode regex. */
function wordsIn(text: string, limit = Infinity): string[] {
  if (NON_ASCII.test(text)) return (text.match(WORD) ?? []).slice(0, limit);
  const words: string[] = [];
  let index = 0;
  while (index < text.length && words.length < limit) {
    if (!isAsciiWordCode(text.charCodeAt(index))) {
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < text.length && isAsciiWordCode(text.charCodeAt(end))) end += 1;
    words.push(text.slice(index, end));
    index = end;
  }
  return words;
}

/**
 * Whether any replaced value still appears, word-bounded and folded, outside placeholders, with
 * its first word also a word of the output. With many distinct values, values are first screened
 * by that first word, so the check stays linear in practice; with few, searching each value is
 * cheaper than cutting the output into words, which is then done only for a value that occurs.
 *
 * `folded` is the folded, lower-cased output before masking. Masking turns each placeholder (ASCII
 * characters folding to themselves one for one) into a run of at least six spaces, so a needle
 * with no such run (every needle is trimmed) can occur in the masked text only where it occurs in
 * `folded`, and so can a value's first word: most values are passed over without building the
 * masked text.
 */
function valueSurvives(scrubbed: string, folded: string, replacedValues: readonly string[]): boolean {
  if (replacedValues.length === 0) return false;
  let maskedText: string | undefined;
  const masked = (): string =>
    (maskedText ??= foldLower(
      scrubbed.replace(/\[[A-Z]{2,6}_\d{1,9}\]/g, (token) => ' '.repeat(token.length)),
    ));
  let words: Set<string> | undefined;
  const isOutputWord = (word: string): boolean => (words ??= new Set(wordsIn(masked()))).has(word);
  const screenFirst = replacedValues.length > 32;
  const checked = new Set<string>();
  for (const value of replacedValues) {
    const needle = foldLower(value).trim();
    if (needle.length < 3 || checked.has(needle)) continue;
    checked.add(needle);
    if (!folded.includes(needle) && !needle.includes(MASKED_PLACEHOLDER)) continue;
    const first = wordsIn(needle, 1)[0];
    if (first === undefined || !folded.includes(first)) continue;
    if (screenFirst && !isOutputWord(first)) continue;
    if (occursWordBounded(masked(), needle) && isOutputWord(first)) return true;
  }
  return false;
}

function occursWordBounded(text: string, needle: string): boolean {
  let at = text.indexOf(needle);
  while (at >= 0) {
    if (!isWordChar(text, at - 1) && !isWordChar(text, at + needle.length)) return true;
    at = text.indexOf(needle, at + 1);
  }
  return false;
}
