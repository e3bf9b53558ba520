import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { Server as SshServer, utils, type Connection, type ParsedKey, type ServerChannel } from 'ssh2';
import type { CommandRegistry } from './command-registry';
import { listen } from './listen';
import { generateEd25519KeyPair } from '../ssh/ed25519';

export interface SshHostOptions {
  /** Node id, e.g. `spark1`. */
  name: string;
  username: string;
  /** OpenSSH public keys (`ssh-ed25519 AAAA… comment`) allowed to log in as `username`. */
  authorizedKeys?: string[];
  /** Host private key (OpenSSH or PEM); a fresh ed25519 key when absent. */
  hostKey?: string;
  port?: number;
  commands: CommandRegistry;
}

/**
 * An SSH server on loopback that behaves like a node's sshd for the control plane: public-key login
 * for one user, and `exec` requests run by the node's command registry. No shell, no SFTP.
 */
export class SshHost {
  readonly host = '127.0.0.1';
  readonly name: string;
  readonly username: string;
  /** The host key in OpenSSH public-key format, for pinning. */
  readonly hostPublicKey: string;

  private readonly hostPrivateKey: string;
  private readonly authorized: ParsedKey[] = [];
  private readonly commands: CommandRegistry;
  private readonly sockets = new Set<Socket>();
  private readonly ssh: SshServer;
  private server: NetServer | null = null;
  private assignedPort: number;

  constructor(options: SshHostOptions) {
    this.name = options.name;
    this.username = options.username;
    this.commands = options.commands;
    this.assignedPort = options.port ?? 0;
    if (options.hostKey) {
      this.hostPrivateKey = options.hostKey;
    } else {
      this.hostPrivateKey = generateEd25519KeyPair().private;
    }
    const parsedHostKey = parseKeyOrThrow(this.hostPrivateKey, 'host key');
    this.hostPublicKey = `${parsedHostKey.type} ${parsedHostKey.getPublicSSH().toString('base64')}`;
    for (const key of options.authorizedKeys ?? []) this.authorize(key);
    this.ssh = new SshServer({ hostKeys: [this.hostPrivateKey] }, (client) => this.onClient(client));
  }

  get port(): number {
    if (this.assignedPort === 0) throw new Error(`emulated SSH host ${this.name} has not been started yet`);
    return this.assignedPort;
  }

  /** Adds an OpenSSH public key to the user's authorized keys. */
  authorize(publicKey: string): void {
    this.authorized.push(parseKeyOrThrow(publicKey, 'authorized key'));
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.ssh.injectSocket(socket);
    });
    this.assignedPort = await listen(server, this.assignedPort, this.host);
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  private onClient(client: Connection): void {
    // A client vanishing mid-handshake is normal; the socket is cleaned up with it.
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || ctx.username !== this.username) return ctx.reject(['publickey']);
      const key = this.authorized.find(
        (k) => k.type === ctx.key.algo && safeEqual(k.getPublicSSH(), ctx.key.data),
      );
      if (!key) return ctx.reject(['publickey']);
      // Without a signature the client only asks whether this key would be accepted.
      if (!ctx.signature || !ctx.blob) return ctx.accept();
      if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('pty', (acceptPty) => acceptPty?.());
        session.on('env', (acceptEnv) => acceptEnv?.());
        session.on('shell', (_, reject) => reject?.());
        session.on('subsystem', (_, reject) => reject?.());
        session.on('exec', (acceptExec, _, info) => {
          const channel = acceptExec();
          if (channel) void this.exec(info.command, channel);
        });
      });
    });
  }

  private async exec(command: string, channel: ServerChannel): Promise<void> {
    const aborter = new AbortController();
    channel.once('close', () => aborter.abort());
    // The client's stdin, whole, for programs that read it (`docker exec -i … tar -x`).
    const input: Buffer[] = [];
    const stdinClosed = new Promise<Buffer>((resolve) => {
      channel.on('data', (chunk: Buffer) => input.push(chunk));
      channel.once('end', () => resolve(Buffer.concat(input)));
      channel.once('close', () => resolve(Buffer.concat(input)));
    });
    const status = await this.commands.run(
      command,
      {
        stdout: (text) => {
          if (!aborter.signal.aborted) channel.write(text);
        },
        stderr: (text) => {
          if (!aborter.signal.aborted) channel.stderr.write(text);
        },
      },
      aborter.signal,
      () => stdinClosed,
    );
    if (aborter.signal.aborted) return;
    channel.exit(status);
    channel.end();
  }
}

function parseKeyOrThrow(text: string, what: string): ParsedKey {
  const parsed = utils.parseKey(text);
  if (parsed instanceof Error) throw new Error(`invalid ${what}: ${parsed.message}`);
  return parsed;
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
