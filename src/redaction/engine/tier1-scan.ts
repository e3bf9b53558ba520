import { isAsciiLetter } from './text-scan';

/**
 * Candidate offsets for Tier-1 keyword patterns, found in one pass over the lower-case view. A
 * keyword pattern `\b(?:…)` can only match where a word begins whose shape (first three characters
 * and length) is the shape of one of its hint words, so the pattern is tried there alone.
 */

/** A regex word character, as `\b` sees it: `[A-Za-z0-9_]`. */
export function isAsciiWordCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95 || (code >= 65 && code <= 90)
  );
}

/** A word's first three characters and its length packed into one small integer. */
export function wordShape(text: string, start: number, end: number): number {
  let key = 0;
  for (let i = start; i < start + 3; i += 1) key = key * 128 + (i < end ? text.charCodeAt(i) & 127 : 0);
  return key * 32 + Math.min(end - start, 31);
}

/** Maps each hint word's shape to a bit mask of the hint lists (by position) that hold it. */
export function shapeMasks(hintLists: readonly (readonly string[])[]): Map<number, number> {
  const masks = new Map<number, number>();
  hintLists.forEach((hints, list) => {
    for (const hint of hints) {
      const shape = wordShape(hint, 0, hint.length);
      masks.set(shape, (masks.get(shape) ?? 0) | (1 << list));
    }
  });
  return masks;
}

/**
 * Per hint list, the ascending offsets where a word beginning with a letter starts (`\b[a-z]`) whose
 * shape is that of one of the list's hints.
 */
export function hintedWordStarts(
  lower: string,
  masks: ReadonlyMap<number, number>,
  lists: number,
): number[][] {
  const starts: number[][] = [];
  for (let list = 0; list < lists; list += 1) starts.push([]);
  let at = 0;
  while (at < lower.length) {
    const code = lower.charCodeAt(at);
    if (!isAsciiWordCode(code)) {
      at += 1;
      continue;
    }
    let end = at + 1;
    while (end < lower.length && isAsciiWordCode(lower.charCodeAt(end))) end += 1;
    const mask = isAsciiLetter(code) ? (masks.get(wordShape(lower, at, end)) ?? 0) : 0;
    for (let list = 0; mask !== 0 && list < lists; list += 1) if (mask & (1 << list)) starts[list]!.push(at);
    at = end;
  }
  return starts;
}
