import { utils } from 'ssh2';

/**
 * A fresh ed25519 key pair in OpenSSH format. ssh2's generator now and then (about 1 in 250)
 * writes a public key that lost a leading zero byte, which its own parser then rejects; such a
 * pair is simply drawn again.
 */
export function generateEd25519KeyPair(comment?: string): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const pair = utils.generateKeyPairSync('ed25519', comment === undefined ? {} : { comment });
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) {
      return pair;
    }
  }
  throw new Error('could not generate a valid ed25519 key pair');
}
