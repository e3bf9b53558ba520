import { decodeBase58Check } from './base58check';
import { decodeBech32, fiveBitToBytes } from './bech32';

export type BitcoinKind = 'p2pkh' | 'p2sh' | 'segwit' | 'wif';

export interface BitcoinIdentifier {
  kind: BitcoinKind;
  network: 'main' | 'test' | 'regtest';
}

const ADDRESS_VERSIONS = new Map<number, BitcoinIdentifier>([
  [0x00, { kind: 'p2pkh', network: 'main' }],
  [0x05, { kind: 'p2sh', network: 'main' }],
  [0x6f, { kind: 'p2pkh', network: 'test' }],
  [0xc4, { kind: 'p2sh', network: 'test' }],
]);
const WIF_VERSIONS = new Map<number, BitcoinIdentifier['network']>([
  [0x80, 'main'],
  [0xef, 'test'],
]);
const SEGWIT_HRPS = new Map<string, BitcoinIdentifier['network']>([
  ['bc', 'main'],
  ['tb', 'test'],
  ['bcrt', 'regtest'],
]);

function segwit(text: string): BitcoinIdentifier | null {
  const decoded = decodeBech32(text);
  if (!decoded) return null;
  const network = SEGWIT_HRPS.get(decoded.hrp);
  const [version, ...words] = decoded.data;
  if (!network || version === undefined || version > 16) return null;
  const program = fiveBitToBytes(words);
  if (!program || program.length < 2 || program.length > 40) return null;
  if (version === 0 && (decoded.encoding !== 'bech32' || (program.length !== 20 && program.length !== 32)))
    return null;
  if (version !== 0 && decoded.encoding !== 'bech32m') return null;
  return { kind: 'segwit', network };
}

function base58(text: string): BitcoinIdentifier | null {
  const payload = decodeBase58Check(text);
  if (!payload) return null;
  const version = payload[0]!;
  const address = ADDRESS_VERSIONS.get(version);
  if (address && payload.length === 21) return address;
  const network = WIF_VERSIONS.get(version);
  const compressed = payload.length === 34 && payload[33] === 0x01;
  if (network && (payload.length === 33 || compressed)) return { kind: 'wif', network };
  return null;
}

/**
 * What a string is as a Bitcoin identifier (a P2PKH/P2SH address, a segwit address, a WIF private
 * key) when its checksum, version and length all hold; null otherwise.
 */
export function bitcoinIdentifier(text: string): BitcoinIdentifier | null {
  return segwit(text) ?? base58(text);
}
