import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The master key of the redaction maps, in the data directory next to the database. */
export const KEY_FILE = 'redaction.key';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Reads the master key, creating it (0600, in a 0700 directory) on first use. Creation is exclusive,
 * so two processes starting together cannot end up with different keys for one database.
 */
export function loadOrCreateMasterKey(dataDir: string): Buffer {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  const file = path.join(dataDir, KEY_FILE);
  try {
    fs.writeFileSync(file, randomBytes(KEY_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  fs.chmodSync(file, 0o600);
  const key = fs.readFileSync(file);
  if (key.length !== KEY_BYTES) {
    throw new Error(`${file} must hold exactly ${KEY_BYTES} bytes; refusing to use it`);
  }
  return key;
}

/**
 * The two keys derived from the master key: one encrypts values (AES-256-GCM), the other makes
 * the lookup digests that find a value's placeholder without storing the value in the clear.
 */
export class MapKeys {
  private readonly valueKey: Buffer;
  private readonly lookupKey: Buffer;

  constructor(masterKey: Buffer) {
    this.valueKey = Buffer.from(
      hkdfSync('sha256', masterKey, Buffer.alloc(0), 'redaction values', KEY_BYTES),
    );
    this.lookupKey = Buffer.from(
      hkdfSync('sha256', masterKey, Buffer.alloc(0), 'redaction lookup', KEY_BYTES),
    );
  }

  /** A digest of a canonical value, unique to one map (the salt), so maps cannot be linked. */
  lookup(salt: Buffer, type: string, canonical: string): Buffer {
    return createHmac('sha256', this.lookupKey)
      .update(salt)
      .update('\0')
      .update(type)
      .update('\0')
      .update(canonical, 'utf8')
      .digest();
  }

  /** `iv ‖ ciphertext ‖ tag`; `slot` (map salt and placeholder) is authenticated so a value cannot be moved. */
  encrypt(slot: Buffer, value: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.valueKey, iv);
    cipher.setAAD(slot);
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  }

  decrypt(slot: Buffer, sealed: Buffer): string {
    const iv = sealed.subarray(0, IV_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.valueKey, iv);
    decipher.setAAD(slot);
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}

/** The authenticated data binding a sealed value to its map and placeholder. */
export function slotOf(salt: Buffer, placeholder: string): Buffer {
  return Buffer.concat([salt, Buffer.from(placeholder, 'utf8')]);
}
