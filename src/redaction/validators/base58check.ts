import { createHash } from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const VALUES = new Map([...ALPHABET].map((char, index) => [char, index]));

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Decodes Base58 text; null when it holds a character outside the alphabet. */
export function decodeBase58(text: string): Buffer | null {
  let value = 0n;
  for (const char of text) {
    const digit = VALUES.get(char);
    if (digit === undefined) return null;
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  let leadingZeros = 0;
  while (leadingZeros < text.length && text[leadingZeros] === '1') leadingZeros += 1;
  return Buffer.from([...new Array<number>(leadingZeros).fill(0), ...bytes]);
}

/** The payload of Base58Check text (version byte included), or null when the checksum fails. */
export function decodeBase58Check(text: string): Buffer | null {
  if (text.length === 0 || text.length > 120) return null;
  const raw = decodeBase58(text);
  if (!raw || raw.length < 5) return null;
  const payload = raw.subarray(0, raw.length - 4);
  const checksum = sha256(sha256(payload)).subarray(0, 4);
  return checksum.equals(raw.subarray(raw.length - 4)) ? payload : null;
}
