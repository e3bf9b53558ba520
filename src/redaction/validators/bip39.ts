import { createHash } from 'node:crypto';
import { BIP39_ENGLISH } from '../engine/wordlists/bip39-english';

const WORDS = BIP39_ENGLISH.split(' ');
const INDEX = new Map(WORDS.map((word, index) => [word, index]));

export function isBip39Word(word: string): boolean {
  return INDEX.has(word);
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
