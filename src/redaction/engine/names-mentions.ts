import { hasUnclaimedWord } from './known-entities';
import type { Claims } from './span';
import { wordHash, type Words } from './names-words';

/**
 * For ASCII text: false only when `mentionsAnyWord` is false (no entity word is a whole word of the
 * text starting on unclaimed text), asked of the words already cut rather than by searching the
 * text once per entity word.
 *
 * A word of letters only is mentioned only where one of `words` starts, with the same lower case:
 * a mention starts at a letter with no letter or digit before it in its run of word characters, so
 * no word of `words` runs through that letter; and what may follow the mention (a possessive "'s",
 * full stops, apostrophes, hyphens) is trimmed off that word as well. Other entity words (with
 * hyphens, apostrophes, ampersands) are searched for in the text.
 */
export function mayMentionAny(words: Words, claims: Claims, entityWords: ReadonlySet<string>): boolean {
  const hashes = new Set<number>();
  // One bit per hash's last five bits: most words are ruled out by it alone.
  let hashBits = 0;
  for (const word of entityWords) {
    if (!isLetters(word)) {
      if (hasUnclaimedWord(words.lowerText, claims, word)) return true;
      continue;
    }
    const hash = wordHash(word, 0, word.length) | 0;
    hashes.add(hash);
    hashBits |= 1 << (hash & 31);
  }
  for (let index = 0; index < words.count; index += 1) {
    const hash = words.hashes[index]!;
    if (((hashBits >>> (hash & 31)) & 1) === 0 || !hashes.has(hash)) continue;
    if (!claims.isClaimed(words.starts[index]!) && entityWords.has(words.lower(index))) return true;
  }
  return false;
}

/** Whether the word is ASCII lower-case letters only. */
function isLetters(word: string): boolean {
  for (let i = 0; i < word.length; i += 1) {
    const code = word.charCodeAt(i);
    if (code < 97 || code > 122) return false;
  }
  return word.length > 0;
}
