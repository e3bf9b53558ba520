import { createHash } from 'node:crypto';

/** A public key's fingerprint as OpenSSH prints it: `SHA256:` and unpadded base64 of the key blob's digest. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name a wire-format public key blob starts with (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  if (length > keyBlob.length - 4 || length > 64) return 'unknown';
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}
