import { expect } from '@jest/globals';
import fc from 'fast-check';
import { matchesAt } from '../../src/redaction/engine/text-scan';

/**
 * Helpers of the property tests that check a scanner (offsets where a sticky pattern is tried)
 * against a scan of the whole text with the same pattern. Used by tests only.
 */

/** Texts of up to `maxLength` words, each followed by a separator. */
export function wordsWithSeparators(
  words: fc.Arbitrary<string>,
  separators: fc.Arbitrary<string>,
  maxLength: number,
): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(words, separators), { maxLength })
    .map((parts) => parts.map(([word, separator]) => word + separator).join(''));
}

/** Texts of up to `maxLength` of the pieces, joined as they are. */
export function joinedPieces(pieces: readonly string[], maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...pieces), { maxLength }).map((parts) => parts.join(''));
}

/** [start, end] of each match. */
export function spans(matches: Iterable<RegExpExecArray>): number[][] {
  return [...matches].map((match) => [match.index, match.index + match[0].length]);
}

/** The spans a sticky pattern matches when tried at `offsets` only. */
export function spansAt(text: string, offsets: readonly number[], sticky: RegExp): number[][] {
  return spans(matchesAt(text, offsets, sticky));
}

/** The spans the pattern matches in a scan of the whole text (its flags but global instead of sticky). */
export function spansEverywhere(text: string, sticky: RegExp): number[][] {
  return spans(text.matchAll(new RegExp(sticky.source, `${sticky.flags.replace('y', '')}g`)));
}

/** Separators every scanner test mixes in: one or two spaces, none, and common punctuation. */
export const SEPARATORS = [' ', ' ', ' ', '  ', '', '', ',', '.', '-', '\n', '\u00a0'];

/** A pattern and the offsets, derived from a scan of the text, that it is tried at. */
export interface AnchoredPattern<Scan> {
  pattern: RegExp;
  at: (scan: Scan) => readonly number[];
}

/** Every pattern finds the same matches at its offsets as over the whole text. */
export function expectAnchoredLikeEverywhere<Scan>(
  value: string,
  scan: Scan,
  patterns: readonly AnchoredPattern<Scan>[],
): void {
  for (const { pattern, at } of patterns)
    expect(spansAt(value, at(scan), pattern)).toEqual(spansEverywhere(value, pattern));
}
