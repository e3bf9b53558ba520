import { decodeBase58Check } from './base58check';

/**
 * BIP-32 extended keys (xpub/xprv and the ypub/zpub/tpub… variants): Base58Check with a 78-byte
 * payload. The key data starts with 0x00 for a private key and 0x02/0x03 for a public key.
 */
export function extendedKeyKind(text: string): 'public' | 'private' | null {
  if (text.length < 100 || text.length > 120) return null;
  const payload = decodeBase58Check(text);
  if (!payload || payload.length !== 78) return null;
  const keyPrefix = payload[45];
  if (keyPrefix === 0x00) return 'private';
  if (keyPrefix === 0x02 || keyPrefix === 0x03) return 'public';
  return null;
}
