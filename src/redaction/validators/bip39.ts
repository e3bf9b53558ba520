import { createHash } from 'node:crypto';
import { BIP39_ENGLISH } from '../engine/wordlists/bip39-english';

const WORDS = BIP39_ENGLISH.split(' ');
const INDEX = new Map(WORDS.map((word, index) => [word, index]));

export function isBip39Word(word: string): boolean {
  return INDEX.has(word);
}

/**
 * Every word-list word is told apart by its first four letters, so a table indexed by those
 * letters (a–z as 1–26, missing letters as 0) names the only word a text word can be.
 */
const PREFIX_SLOTS = 27 ** 4;

function prefixSlot(text: string, start: number, end: number): number {
  let slot = 0;
  for (let i = start; i < start + 4; i += 1) slot = slot * 27 + (i < end ? text.charCodeAt(i) - 96 : 0);
  return slot;
}

/** Word index + 1 by prefix slot (0: no word has that prefix). */
const BY_PREFIX = new Uint16Array(PREFIX_SLOTS);
WORDS.forEach((word, index) => {
  BY_PREFIX[prefixSlot(word, 0, word.length)] = index + 1;
});

function sameText(text: string, start: number, word: string): boolean {
  for (let i = 0; i < word.length; i += 1)
    if (text.charCodeAt(start + i) !== word.charCodeAt(i)) return false;
  return true;
}

/** Whether `text[start, end)`, lower-case a–z letters, is a word-list word. */
export function isBip39WordAt(text: string, start: number, end: number): boolean {
  if (end - start < 3 || end - start > 8) return false;
  const slot = prefixSlot(text, start, end);
  const entry = slot >= 0 && slot < PREFIX_SLOTS ? BY_PREFIX[slot]! : 0;
  if (entry === 0) return false;
  const word = WORDS[entry - 1]!;
  return word.length === end - start && sameText(text, start, word);
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
