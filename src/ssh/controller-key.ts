import fs from 'node:fs';
import path from 'node:path';
import { utils } from 'ssh2';
import { generateEd25519KeyPair } from './ed25519';
import { fingerprintOf } from './fingerprint';

/** The controller's own SSH identity: the key it logs in to every node with. */
export interface ControllerKey {
  /** OpenSSH private key text (kept in memory, never logged). */
  privateKey: string;
  /** The `authorized_keys` line. */
  publicKey: string;
  fingerprint: string;
  type: string;
  comment: string;
  file: string;
}

const DEFAULT_COMMENT = 'spark-control';

/**
 * Reads the controller's key from `file`, generating an ed25519 pair there on first start. The
 * private key is written 0600 in a 0700 directory (sshd and OpenSSH refuse looser keys); the
 * public key goes beside it as `<file>.pub`, rewritten when missing.
 */
export function loadOrCreateControllerKey(file: string): ControllerKey {
  const dir = path.dirname(file);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pair = generateEd25519KeyPair(DEFAULT_COMMENT);
    // `wx`: two gateways starting at once must not overwrite each other's fresh key.
    try {
      fs.writeFileSync(file, pair.private, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  fs.chmodSync(file, 0o600);
  const privateKey = fs.readFileSync(file, 'utf8');
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) {
    throw new Error(
      `the SSH key ${file} cannot be read (${parsed.message}); remove it to have a new one generated`,
    );
  }
  if (parsed.type !== 'ssh-ed25519') {
    throw new Error(`the SSH key ${file} is ${parsed.type}; spark-control uses an ed25519 key`);
  }
  const blob = parsed.getPublicSSH();
  const comment = parsed.comment || DEFAULT_COMMENT;
  const publicKey = `${parsed.type} ${blob.toString('base64')} ${comment}`;
  const publicFile = `${file}.pub`;
  if (!fs.existsSync(publicFile) || fs.readFileSync(publicFile, 'utf8').trim() !== publicKey) {
    fs.writeFileSync(publicFile, `${publicKey}\n`, { mode: 0o644 });
  }
  return { privateKey, publicKey, fingerprint: fingerprintOf(blob), type: parsed.type, comment, file };
}
