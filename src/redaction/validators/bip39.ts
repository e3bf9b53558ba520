import { createHash } from 'node:crypto';
import { BIP39_ENGLISH } from '../engine/wordlists/bip39-english';

const WORDS = BIP39_ENGLISH.split(' ');
const INDEX = new Map(WORDS.map((word, index) => [word, index]));

export function isBip39Word(word: string): boolean {
  return INDEX.has(word);
}

/** a–z words of up to 8 letters as base-27 numbers (exact below 2^53), so look-ups need no substring. */
function letterKey(text: string, start: number, end: number): number {
  let key = 0;
  for (let i = start; i < end; i += 1) key = key * 27 + (text.charCodeAt(i) - 96);
  return key;
}
const KEYS = new Set(WORDS.map((word) => letterKey(word, 0, word.length)));

/** Whether `text[start, end)`, lower-case a–z letters, is a word-list word. */
export function isBip39WordAt(text: string, start: number, end: number): boolean {
  return end - start >= 3 && end - start <= 8 && KEYS.has(letterKey(text, start, end));
}

/** Whether words form a BIP-39 mnemonic: 12–24 words (multiple of 3) whose checksum bits match. */
export function isBip39Mnemonic(words: readonly string[]): boolean {
  if (words.length < 12 || words.length > 24 || words.length % 3 !== 0) return false;
  let bits = '';
  for (const word of words) {
    const index = INDEX.get(word);
    if (index === undefined) return false;
    bits += index.toString(2).padStart(11, '0');
  }
  const checksumLength = words.length / 3;
  const entropyBits = bits.slice(0, bits.length - checksumLength);
  const entropy = Buffer.from(entropyBits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const hash = createHash('sha256').update(entropy).digest();
  const expected = [...hash]
    .map((byte) => byte.toString(2).padStart(8, '0'))
    .join('')
    .slice(0, checksumLength);
  return expected === bits.slice(bits.length - checksumLength);
}
