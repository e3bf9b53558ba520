import { createHash } from 'node:crypto';
import { BIP39_ENGLISH } from '../engine/wordlists/bip39-english';

const WORDS = BIP39_ENGLISH.split(' ');
const INDEX = new Map(WORDS.map((word, index) => [word, index]));

export function isBip39Word(word: string): boolean {
  return INDEX.has(word);
}

/**
 * Every word-list word is told apart by its first four letters, so a hash table keyed by those
 * letters (a–z as 1–26, missing letters as 0, in base 27) names the only word a text word can be.
 * 4096 slots for 2048 words keep it small enough to stay in cache.
 */
const SLOT_BITS = 12;
const SLOT_MASK = (1 << SLOT_BITS) - 1;

function prefixKey(text: string, start: number, end: number): number {
  let key = 0;
  for (let i = start; i < start + 4; i += 1) key = key * 27 + (i < end ? text.charCodeAt(i) - 96 : 0);
  return key;
}

function firstSlot(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> (32 - SLOT_BITS);
}

/** Prefix key + 1 per slot (0: empty), and the word index there. */
const SLOT_KEYS = new Int32Array(1 << SLOT_BITS);
const SLOT_WORDS = new Uint16Array(1 << SLOT_BITS);
WORDS.forEach((word, index) => {
  const key = prefixKey(word, 0, word.length);
  let slot = firstSlot(key);
  while (SLOT_KEYS[slot] !== 0) slot = (slot + 1) & SLOT_MASK;
  SLOT_KEYS[slot] = key + 1;
  SLOT_WORDS[slot] = index;
});

/** The index of the only word that could be text[start, end), or -1. */
function candidate(text: string, start: number, end: number): number {
  const key = prefixKey(text, start, end) + 1;
  for (let slot = firstSlot(key - 1); SLOT_KEYS[slot] !== 0; slot = (slot + 1) & SLOT_MASK)
    if (SLOT_KEYS[slot] === key) return SLOT_WORDS[slot]!;
  return -1;
}

function sameText(text: string, start: number, word: string): boolean {
  for (let i = 0; i < word.length; i += 1)
    if (text.charCodeAt(start + i) !== word.charCodeAt(i)) return false;
  return true;
}

/** Whether `text[start, end)`, lower-case a–z letters, is a word-list word. */
export function isBip39WordAt(text: string, start: number, end: number): boolean {
  if (end - start < 3 || end - start > 8) return false;
  const index = candidate(text, start, end);
  if (index < 0) return false;
  const word = WORDS[index]!;
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
