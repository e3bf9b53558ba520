import type { FoldedText } from './fold';

/**
 * A pre-filter for keyword patterns: the set of word beginnings of a text, built in one pass and
 * shared by every detector. A word is a regex word (`[a-z0-9_]` run, as `\b` sees it) of the
 * lower-cased view; its beginning is its first three characters, or the whole word when shorter.
 *
 * A pattern whose keyword must start a word (after `\b`, `\s` or another non-word character) can
 * only match when the keyword's beginning is among them, so the pattern is skipped otherwise.
 * A hint shorter than three characters stands for that exact word ("dl", "a" of "a/c").
 */
const cache = new WeakMap<FoldedText, Set<number>>();

function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95 || (code >= 65 && code <= 90);
}

/** Up to three ASCII word characters packed into one number (0 pads a shorter beginning). */
function beginningKey(text: string, from: number, to: number): number {
  let key = 0;
  for (let i = from; i < from + 3; i += 1) key = key * 128 + (i < to ? text.charCodeAt(i) : 0);
  return key;
}

function wordStartsOf(view: FoldedText): Set<number> {
  let starts = cache.get(view);
  if (starts) return starts;
  starts = new Set();
  const lower = view.lower;
  let index = 0;
  while (index < lower.length) {
    if (!isWordCode(lower.charCodeAt(index))) {
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < lower.length && isWordCode(lower.charCodeAt(end))) end += 1;
    starts.add(beginningKey(lower, index, end));
    index = end;
  }
  cache.set(view, starts);
  return starts;
}

/** Whether some word of the view begins as one of `hints` (lower case, at most three characters). */
export function someWordStarts(view: FoldedText, hints: readonly string[]): boolean {
  const starts = wordStartsOf(view);
  for (const hint of hints) if (starts.has(beginningKey(hint, 0, hint.length))) return true;
  return false;
}
