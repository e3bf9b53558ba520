/**
 * Candidate offsets for Tier-1 keyword patterns. Every match of a keyword pattern `\b(?:…)` begins
 * with one of its hint words as a whole word, so one native pass finds the hint words of all the
 * patterns, and each pattern is tried only where one of its own hints begins.
 */

export interface HintIndex {
  /** `\b(?:hint|…)\b` over every list's hints. */
  pattern: RegExp;
  /** Per hint word, a bit mask of the lists (by position) that hold it. */
  masks: Map<string, number>;
  lists: number;
}

export function hintIndex(hintLists: readonly (readonly string[])[]): HintIndex {
  const masks = new Map<string, number>();
  hintLists.forEach((hints, list) => {
    for (const hint of hints) masks.set(hint, (masks.get(hint) ?? 0) | (1 << list));
  });
  const words = [...masks.keys()].sort((a, b) => b.length - a.length);
  return { pattern: new RegExp(`\\b(?:${words.join('|')})\\b`, 'g'), masks, lists: hintLists.length };
}

/** Per hint list, the ascending offsets in `lower` where one of the list's hint words stands. */
export function hintedWordStarts(lower: string, index: HintIndex): number[][] {
  const starts: number[][] = [];
  for (let list = 0; list < index.lists; list += 1) starts.push([]);
  const pattern = index.pattern;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(lower); match; match = pattern.exec(lower)) {
    const mask = index.masks.get(match[0])!;
    for (let list = 0; list < index.lists; list += 1) if (mask & (1 << list)) starts[list]!.push(match.index);
  }
  return starts;
}
