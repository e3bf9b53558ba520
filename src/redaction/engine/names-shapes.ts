import { wordHash } from './names-words';

/**
 * A cheap necessary test for membership in a word set, read from character codes without cutting
 * the word out of its text: a word can be in the set only when its hash is the hash of some word
 * of the set (a Bloom filter with one hash). Most words of running text fail it, so the word is
 * sliced and looked up for certain only when it might be there.
 */
export class ShapeFilter {
  /** 64-byte blocks of 512 bits; a word sets two bits in one block (one cache line per lookup). */
  private readonly bits: Uint8Array;
  private readonly blockMask: number;

  constructor(words: Iterable<string>) {
    const list = [...words];
    // About 16 bits per word, two per word: roughly one word in seventy outside the set gets through.
    let blocks = 2;
    while (blocks * 512 < list.length * 16) blocks *= 2;
    this.bits = new Uint8Array(blocks * 64);
    this.blockMask = blocks - 1;
    for (const word of list) {
      const hash = wordHash(word, 0, word.length);
      const block = this.blockOf(hash);
      this.bits[block + ((hash & 511) >>> 3)]! |= 1 << (hash & 7);
      this.bits[block + (((hash >>> 9) & 511) >>> 3)]! |= 1 << ((hash >>> 9) & 7);
    }
  }

  /** False when the word whose `wordHash` is `hash` is certainly none of the words. */
  mayHave(hash: number): boolean {
    const block = this.blockOf(hash);
    return (
      (this.bits[block + ((hash & 511) >>> 3)]! & (1 << (hash & 7))) !== 0 &&
      (this.bits[block + (((hash >>> 9) & 511) >>> 3)]! & (1 << ((hash >>> 9) & 7))) !== 0
    );
  }

  /** The first byte of the hash's block. */
  private blockOf(hash: number): number {
    return ((hash >>> 18) & this.blockMask) * 64;
  }
}

/**
 * Shape filters for several small word sets in one table: for a word's hash, one bit per set the
 * word may belong to (bit k for `sets[k]`), read with a single lookup.
 */
export class ShapeMasks {
  private readonly masks: Uint8Array;
  private readonly mask: number;

  constructor(sets: readonly Iterable<string>[]) {
    const lists = sets.map((set) => [...set]);
    const total = lists.reduce((sum, list) => sum + list.length, 0);
    // About 32 slots per word, as in `ShapeFilter`.
    let size = 1024;
    while (size < total * 32) size *= 2;
    this.masks = new Uint8Array(size);
    this.mask = size - 1;
    lists.forEach((list, set) => {
      for (const word of list) this.masks[wordHash(word, 0, word.length) & this.mask]! |= 1 << set;
    });
  }

  /** Bit k set when the word whose `wordHash` is `hash` may be in set k. */
  masksOf(hash: number): number {
    return this.masks[hash & this.mask]!;
  }
}

/**
 * A set of words looked up in place: a word of some text is found from its `wordHash` and compared
 * with the text where it stands, so asking neither cuts the word out nor hashes it again. Each slot
 * holds a hash and where its word stands in one string of all the words, so a lookup touches two
 * places in memory.
 */
export class WordTable {
  /** Per slot two numbers: the word's hash, and 1 + its offset in `chars` * 256 + its length (0: empty). */
  private readonly entries: Int32Array;
  private readonly chars: string;
  private readonly mask: number;

  constructor(words: Iterable<string>) {
    const distinct = [...new Set(words)];
    let size = 1024;
    while (size < distinct.length * 2) size *= 2;
    this.entries = new Int32Array(size * 2);
    this.mask = size - 1;
    let offset = 0;
    for (const word of distinct) {
      if (word.length > 255) throw new Error(`WordTable: word too long: ${word}`);
      const hash = wordHash(word, 0, word.length) | 0;
      let slot = hash & this.mask;
      while (this.entries[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
      this.entries[slot * 2] = hash;
      this.entries[slot * 2 + 1] = 1 + offset * 256 + word.length;
      offset += word.length;
    }
    this.chars = distinct.join('');
  }

  /** Whether text[start, end), whose `wordHash` is `hash`, is one of the words. */
  hasAt(hash: number, text: string, start: number, end: number): boolean {
    const key = hash | 0;
    for (let slot = key & this.mask; ; slot = (slot + 1) & this.mask) {
      const place = this.entries[slot * 2 + 1]! - 1;
      if (place < 0) return false;
      if (
        this.entries[slot * 2] === key &&
        (place & 255) === end - start &&
        this.sameAs(place >> 8, text, start, end)
      )
        return true;
    }
  }

  /** Whether text[start, end) is one of the words. */
  has(text: string, start: number, end: number): boolean {
    return this.hasAt(wordHash(text, start, end), text, start, end);
  }

  private sameAs(offset: number, text: string, start: number, end: number): boolean {
    for (let i = start; i < end; i += 1)
      if (text.charCodeAt(i) !== this.chars.charCodeAt(offset + i - start)) return false;
    return true;
  }
}
