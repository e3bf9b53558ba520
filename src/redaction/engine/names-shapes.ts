/**
 * A cheap necessary test for membership in a word set, read from character codes without cutting
 * the word out of its text: a word can be in the set only when its hash is the hash of some word
 * of the set (a Bloom filter with one hash). Most words of running text fail it, so the word is
 * sliced and looked up for certain only when it might be there.
 */
export class ShapeFilter {
  private readonly bits: Uint8Array;
  private readonly mask: number;

  constructor(words: Iterable<string>) {
    const list = [...words];
    // About 32 bits per word: roughly one word in thirty outside the set gets through.
    let size = 1024;
    while (size < list.length * 32) size *= 2;
    this.bits = new Uint8Array(size / 8);
    this.mask = size - 1;
    for (const word of list) {
      const key = wordHash(word, 0, word.length) & this.mask;
      this.bits[key >>> 3]! |= 1 << (key & 7);
    }
  }

  /** False when the word whose `wordHash` is `hash` is certainly none of the words. */
  mayHave(hash: number): boolean {
    const key = hash & this.mask;
    return (this.bits[key >>> 3]! & (1 << (key & 7))) !== 0;
  }
}

/** A hash of text[start, end) (FNV-1a over the UTF-16 code units, mixed). */
export function wordHash(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash ^ (hash >>> 16)) >>> 0;
}
