import { Client } from 'ssh2';
import type { NodeConfig } from '../config/config';
import { SshError } from './node-shell';

/**
 * The host key a node presents now, read from the SSH handshake alone: the connection is refused
 * right after the key exchange, so no login happens and no pin is consulted.
 */
export function probeHostKey(node: NodeConfig, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let presented: Buffer | null = null;
    const finish = () => {
      client.destroy();
      if (presented) resolve(presented);
      else
        reject(
          new SshError(
            'unreachable',
            node.id,
            `${node.id} (${node.host}:${node.sshPort}) did not present a host key`,
          ),
        );
    };
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (presented) return finish();
      client.destroy();
      const timedOut = error.level === 'client-timeout';
      reject(
        new SshError(
          timedOut ? 'connect_timeout' : 'unreachable',
          node.id,
          `${node.id} (${node.host}:${node.sshPort}) is unreachable over SSH (${error.code ?? error.message})`,
        ),
      );
    });
    client.on('close', finish);
    client.connect({
      host: node.host,
      port: node.sshPort,
      username: node.user,
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        presented = Buffer.from(key);
        return false;
      },
    });
  });
}
