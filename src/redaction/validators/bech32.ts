const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const VALUES = new Map([...CHARSET].map((char, index) => [char, index]));
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

export type Bech32Encoding = 'bech32' | 'bech32m';
const CONSTANTS: Record<Bech32Encoding, number> = { bech32: 1, bech32m: 0x2bc830a3 };

function polymod(values: number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (let i = 0; i < 5; i += 1) if ((top >>> i) & 1) checksum ^= GENERATORS[i]!;
  }
  return checksum >>> 0;
}

function expandHrp(hrp: string): number[] {
  const codes = [...hrp].map((char) => char.charCodeAt(0));
  return [...codes.map((code) => code >> 5), 0, ...codes.map((code) => code & 31)];
}

/** Decodes bech32 or bech32m text (BIP-173, BIP-350); null when the text or its checksum is invalid. */
export function decodeBech32(
  text: string,
  maxLength = 90,
): { hrp: string; data: number[]; encoding: Bech32Encoding } | null {
  if (text.length > maxLength || text.length < 8) return null;
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return null;
  const lower = text.toLowerCase();
  const separator = lower.lastIndexOf('1');
  if (separator < 1 || separator + 7 > lower.length) return null;
  const hrp = lower.slice(0, separator);
  if ([...hrp].some((char) => char.charCodeAt(0) < 33 || char.charCodeAt(0) > 126)) return null;
  const data: number[] = [];
  for (const char of lower.slice(separator + 1)) {
    const value = VALUES.get(char);
    if (value === undefined) return null;
    data.push(value);
  }
  const check = polymod([...expandHrp(hrp), ...data]);
  const encoding = (Object.keys(CONSTANTS) as Bech32Encoding[]).find((name) => CONSTANTS[name] === check);
  return encoding ? { hrp, data: data.slice(0, -6), encoding } : null;
}

/** Regroups 5-bit words into bytes, refusing non-zero or oversized padding. */
export function fiveBitToBytes(words: number[]): number[] | null {
  let accumulator = 0;
  let bits = 0;
  const bytes: number[] = [];
  for (const word of words) {
    accumulator = (accumulator << 5) | word;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      bytes.push((accumulator >> bits) & 0xff);
    }
  }
  if (bits >= 5 || ((accumulator << (8 - bits)) & 0xff) !== 0) return null;
  return bytes;
}
