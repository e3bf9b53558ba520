/**
 * Candidate offsets for Tier-1 keyword patterns. Every match of a keyword pattern `\b(?:…)` begins
 * with one of its hints: a literal whose first word stands as a whole regex word in the text
 * ("bank", "custody account", "a/c"). One native pass finds the hints of all the patterns, and
 * each pattern is tried only where one of its own hints stands.
 */

export interface HintIndex {
  /** `\b(?:hint|…)`, longest first (a hint of one word is then checked to end a word). */
  pattern: RegExp;
  /** Per hint, a bit mask of the lists (by position) holding it or a hint standing wherever it does. */
  masks: Map<string, number>;
  lists: number;
  longest: number;
}

/** `[A-Za-z0-9_]`: the characters of a regex word. */
function isWordCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95 || (code >= 65 && code <= 90)
  );
}

function isOneWord(hint: string): boolean {
  for (let i = 0; i < hint.length; i += 1) if (!isWordCode(hint.charCodeAt(i))) return false;
  return true;
}

/** Whether `hint` stands wherever `other` does: `other` begins with it, a whole word if it is one. */
function standsWithin(hint: string, other: string): boolean {
  return other.startsWith(hint) && !(isOneWord(hint) && isWordCode(other.charCodeAt(hint.length)));
}

function escaped(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function hintIndex(hintLists: readonly (readonly string[])[]): HintIndex {
  const own = new Map<string, number>();
  hintLists.forEach((hints, list) => {
    for (const hint of hints) {
      if (!isWordCode(hint.charCodeAt(0))) throw new Error(`hint "${hint}" does not begin with a word`);
      own.set(hint, (own.get(hint) ?? 0) | (1 << list));
    }
  });
  const masks = new Map<string, number>();
  for (const other of own.keys()) {
    let mask = 0;
    for (const [hint, lists] of own) if (standsWithin(hint, other)) mask |= lists;
    masks.set(other, mask);
  }
  // A `\b` after each one-word hint would make the pattern much slower to run: it is checked by hand.
  const alternatives = [...own.keys()].sort((a, b) => b.length - a.length).map(escaped);
  return {
    pattern: new RegExp(`\\b(?:${alternatives.join('|')})`, 'g'),
    masks,
    lists: hintLists.length,
    longest: Math.max(...[...own.keys()].map((hint) => hint.length)),
  };
}

/**
 * Hints standing at offsets in [from, to), as ascending offset, lists, offset, lists, … The pattern
 * runs over a slice that ends past the last hint that can start before `to` (and the character
 * after it); a hint the slice shows at its very beginning counts only if no word character comes
 * before it in `lower`.
 */
function hintsIn(lower: string, index: HintIndex, from: number, to: number): number[] {
  const found: number[] = [];
  if (from >= to) return found;
  const slice = lower.slice(from, Math.min(lower.length, to + index.longest + 1));
  const pattern = index.pattern;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(slice); match && match.index < to - from; match = pattern.exec(slice)) {
    const at = from + match.index;
    const hint = match[0];
    // The longest hint standing at an offset comes first: when it does not end a word, neither
    // does any shorter one-word hint there.
    const whole = !isOneWord(hint) || !isWordCode(lower.charCodeAt(at + hint.length));
    if (whole && (match.index > 0 || !isWordCode(lower.charCodeAt(from - 1))))
      found.push(at, index.masks.get(hint)!);
    // Hints may overlap ("tax id number" holds "tax id" and "id number"): go on right after this one.
    pattern.lastIndex = match.index + 1;
  }
  return found;
}

/**
 * Per hint list, the ascending offsets in `lower` where one of the list's hints stands, within the
 * given [start, end) windows (ascending, not overlapping; by default the whole text), and before
 * them. A match of up to `overlap` characters starting before an offset could cover it and so
 * decide whether a sticky scan skips it: hints are taken from that far before each window, and
 * again before the earliest one found, until none stands that close before the earliest.
 */
export function hintedWordStarts(
  lower: string,
  index: HintIndex,
  windows: readonly number[] = [0, lower.length],
  overlap = 0,
): number[][] {
  const starts: number[][] = [];
  for (let list = 0; list < index.lists; list += 1) starts.push([]);
  const stretch = Math.max(0, overlap - 1);
  let scanned = 0;
  for (let k = 0; k < windows.length; k += 2) {
    let from = Math.max(scanned, windows[k]! - stretch);
    let found = hintsIn(lower, index, from, windows[k + 1]!);
    while (found.length > 0) {
      const earliest = Math.max(scanned, found[0]! - stretch);
      if (earliest >= from) break;
      const before = hintsIn(lower, index, earliest, from);
      from = earliest;
      if (before.length === 0) break;
      found = before.concat(found);
    }
    for (let f = 0; f < found.length; f += 2)
      for (let list = 0; list < index.lists; list += 1)
        if (found[f + 1]! & (1 << list)) starts[list]!.push(found[f]!);
    scanned = Math.max(scanned, windows[k + 1]!);
  }
  return starts;
}

/**
 * Windows [offset - reach, offset + 1) before ascending offsets, merged, as start, end, … pairs:
 * where something must begin that needs one of the offsets within `reach` characters after it.
 */
export function windowsBefore(offsets: readonly number[], reach: number): number[] {
  const windows: number[] = [];
  for (const offset of offsets) {
    const start = Math.max(0, offset - reach);
    if (windows.length > 0 && start <= windows[windows.length - 1]!) windows[windows.length - 1] = offset + 1;
    else windows.push(start, offset + 1);
  }
  return windows;
}
