/**
 * A cheap necessary test for membership in a word set, read from character codes without cutting
 * the word out of its text: a word can be in the set only when its shape (length, first, second
 * and last character) is the shape of some word of the set. Most words of running text fail it,
 * so the word is sliced and hashed for the exact lookup only when it might be there.
 */
export class ShapeFilter {
  private readonly bits = new Uint8Array(SHAPES / 8);

  constructor(words: Iterable<string>) {
    for (const word of words) {
      const key = shapeKey(word, 0, word.length);
      this.bits[key >>> 3]! |= 1 << (key & 7);
    }
  }

  /** False when text[start, end) is certainly none of the words; true when it may be one. */
  mayHave(text: string, start: number, end: number): boolean {
    const key = shapeKey(text, start, end);
    return (this.bits[key >>> 3]! & (1 << (key & 7))) !== 0;
  }
}

const SHAPES = 1 << 16;

/** text[start, end)'s shape hashed to 0 … SHAPES - 1 (the empty word has a shape too). */
export function shapeKey(text: string, start: number, end: number): number {
  const length = end - start;
  if (length <= 0) return 0;
  const first = text.charCodeAt(start);
  const second = length > 1 ? text.charCodeAt(start + 1) : 0;
  const last = text.charCodeAt(end - 1);
  const hash = Math.imul(Math.imul(Math.imul(length, 31) + first, 31) + second, 31) + last;
  return Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> 16;
}
