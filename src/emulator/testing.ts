import { Client } from 'ssh2';
import { request } from 'undici';

/** Small clients for exercising the emulated cluster from tests. */

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** Expected host key (OpenSSH public key); the connection fails when the host offers another. */
  hostPublicKey?: string;
  timeoutMs?: number;
}

/** Runs one command over a fresh SSH connection and collects its output and exit status. */
export function sshExec(target: SshTarget, command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    const timeoutMs = target.timeoutMs ?? 5_000;
    const timer = setTimeout(() => {
      client.end();
      reject(new Error(`ssh exec timed out after ${timeoutMs} ms: ${command}`));
    }, timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      client.end();
      reject(error);
    };
    client.once('error', fail);
    client.once('ready', () => {
      client.exec(command, (error, channel) => {
        if (error) return fail(error);
        let stdout = '';
        let stderr = '';
        let code: number | null = null;
        channel.on('data', (data: Buffer) => (stdout += data.toString('utf8')));
        channel.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
        channel.on('exit', (status: number | null) => (code = status));
        channel.once('close', () => {
          clearTimeout(timer);
          client.end();
          resolve({ code, stdout, stderr });
        });
      });
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      privateKey: target.privateKey,
      readyTimeout: timeoutMs,
      hostVerifier: target.hostPublicKey
        ? (key: Buffer) => key.equals(Buffer.from(target.hostPublicKey?.split(' ')[1] ?? '', 'base64'))
        : undefined,
    });
  });
}

/** True when nothing listens at `baseUrl` (the TCP connection is refused). */
export async function isRefused(baseUrl: string, path = '/'): Promise<boolean> {
  try {
    const res = await request(new URL(path, baseUrl), { headersTimeout: 2_000, bodyTimeout: 2_000 });
    await res.body.dump();
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ECONNREFUSED';
  }
}
