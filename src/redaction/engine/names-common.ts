import { WordTable } from './names-shapes';
import { commonWords } from './vocabulary';

/** The common words, looked up in place. */
const COMMON_TABLE = new WordTable(commonWords);

/** Whether `lower` is a common word, a hyphenated compound of them, or a plural or simple inflection of one. */
export function isCommon(lower: string): boolean {
  if (commonWords.has(lower)) return true;
  // Hyphenated compounds of common words ("well-known"), plurals and simple inflections.
  if (lower.includes('-')) return lower.split('-').every((part) => !part || commonWords.has(part));
  return (
    (lower.endsWith('s') && commonWords.has(lower.slice(0, -1))) ||
    (lower.endsWith('es') && commonWords.has(lower.slice(0, -2))) ||
    (lower.endsWith('ed') && commonWords.has(lower.slice(0, -2))) ||
    (lower.endsWith('ing') && commonWords.has(lower.slice(0, -3)))
  );
}

/** `isCommon(lower.slice(start, end))` without cutting the word out; `hash` is its `wordHash`. */
export function isCommonAt(lower: string, start: number, end: number, hash: number): boolean {
  if (COMMON_TABLE.hasAt(hash, lower, start, end)) return true;
  const hyphen = lower.indexOf('-', start);
  if (hyphen >= 0 && hyphen < end) return allPartsCommon(lower, start, end);
  return (
    (endsWith(lower, start, end, 's') && COMMON_TABLE.has(lower, start, end - 1)) ||
    (endsWith(lower, start, end, 'es') && COMMON_TABLE.has(lower, start, end - 2)) ||
    (endsWith(lower, start, end, 'ed') && COMMON_TABLE.has(lower, start, end - 2)) ||
    (endsWith(lower, start, end, 'ing') && COMMON_TABLE.has(lower, start, end - 3))
  );
}

function endsWith(text: string, start: number, end: number, suffix: string): boolean {
  return end - start >= suffix.length && text.startsWith(suffix, end - suffix.length);
}

/** Whether every non-empty part of text[start, end) between hyphens is a common word. */
function allPartsCommon(text: string, start: number, end: number): boolean {
  let partStart = start;
  for (let at = start; at <= end; at += 1) {
    if (at < end && text.charCodeAt(at) !== 45) continue;
    if (at > partStart && !COMMON_TABLE.has(text, partStart, at)) return false;
    partStart = at + 1;
  }
  return true;
}
