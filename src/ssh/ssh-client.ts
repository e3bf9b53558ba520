import { StringDecoder } from 'node:string_decoder';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { NodeConfig } from '../config/config';
import type { Logger } from '../observability/logger';
import type { HostKeyStore } from './host-keys';
import { SshError, type CommandResult, type NodeShell, type RunOptions } from './node-shell';
import { quoteArgv } from './quote';

export interface SshClientOptions {
  node: NodeConfig;
  /** The controller's private key (OpenSSH text). */
  privateKey: string;
  hostKeys: HostKeyStore;
  logger: Logger;
  /** Longest wait for TCP connect + SSH handshake + login. Default 10 s. */
  connectTimeoutMs?: number;
  /** SSH-level keep-alive period; a connection missing 3 in a row is dropped. Default 5 s. */
  keepaliveIntervalMs?: number;
  /** Applies to a command given neither `timeoutMs` nor `signal` (a forgotten timeout must not hang forever). Default 120 s. */
  defaultCommandTimeoutMs?: number;
}

/**
 * OpenSSH allows 10 sessions per connection by default (`MaxSessions`); staying under it keeps a
 * burst of probes from failing with "open failed" while long followers (`docker logs -f`) run.
 */
const MAX_CHANNELS = 8;

/**
 * A `NodeShell` over one reused SSH connection per node (ssh2). The connection is opened on the first
 * command, kept alive, and reopened on demand after a drop; every command is an `exec` channel of its
 * own. Host keys are pinned on first use and a changed key is refused. Command lines are built by
 * `quoteArgv` only; stdin and output are never logged.
 */
export class SshNodeShell implements NodeShell {
  readonly nodeId: string;
  private readonly node: NodeConfig;
  private readonly connectTimeoutMs: number;
  private readonly keepaliveIntervalMs: number;
  private readonly defaultCommandTimeoutMs: number;
  /** The connection in use or being opened; cleared when it closes. */
  private connecting: { client: Client; ready: Promise<Client> } | null = null;
  private readonly clients = new Set<Client>();
  /** Channels still open per connection, so a retired connection is ended once they are done. */
  private readonly openChannels = new Map<Client, number>();
  /** Connections no longer handed to new commands (one of their commands was abandoned). */
  private readonly retired = new Set<Client>();
  private activeChannels = 0;
  private readonly waitingForChannel: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: SshClientOptions) {
    this.node = options.node;
    this.nodeId = options.node.id;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.keepaliveIntervalMs = options.keepaliveIntervalMs ?? 5_000;
    this.defaultCommandTimeoutMs = options.defaultCommandTimeoutMs ?? 120_000;
  }

  /** `user@host:port`, for messages. */
  get address(): string {
    return `${this.node.user}@${this.node.host}:${this.node.sshPort}`;
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const command = quoteArgv(argv);
    if (this.closed)
      throw new SshError('disconnected', this.nodeId, `the SSH client for ${this.nodeId} is closed`);
    if (options.signal?.aborted) return { exitCode: null, signal: null, stdout: '', stderr: '' };
    await this.acquireChannel();
    let opened: OpenedChannel & { client: Client };
    try {
      opened = await this.openChannel(command);
    } catch (error) {
      this.releaseChannel();
      throw error;
    }
    this.openChannels.set(opened.client, (this.openChannels.get(opened.client) ?? 0) + 1);
    return this.collect(opened.client, opened, options, argv[0] ?? '');
  }

  /** Drops the current connection (after a re-pin, or to force a fresh login); the next command reconnects. */
  disconnect(): void {
    this.connecting = null;
    for (const client of this.clients) client.end();
  }

  /** Ends every connection for good (gateway shutdown). */
  close(): void {
    this.closed = true;
    this.disconnect();
    for (const client of this.clients) client.destroy();
    this.clients.clear();
  }

  private async openChannel(command: string): Promise<OpenedChannel & { client: Client }> {
    const client = await this.connection();
    try {
      return { client, ...(await execChannel(client, command)) };
    } catch (error) {
      // The connection died unnoticed (the node rebooted between keep-alives, its close event is
      // still queued) or refuses more sessions: nothing ran, so one fresh connection is tried.
      if (this.closed) throw this.channelError(error);
      this.retire(client);
      const fresh = await this.connection();
      try {
        return { client: fresh, ...(await execChannel(fresh, command)) };
      } catch (retryError) {
        throw this.channelError(retryError);
      }
    }
  }

  private channelError(error: unknown): SshError {
    const reason = error instanceof Error ? error.message : String(error);
    return new SshError(
      'disconnected',
      this.nodeId,
      `${this.nodeId} (${this.address}) could not run a command: ${reason}`,
    );
  }

  private connection(): Promise<Client> {
    if (this.closed) {
      return Promise.reject(
        new SshError('disconnected', this.nodeId, `the SSH client for ${this.nodeId} is closed`),
      );
    }
    if (!this.connecting) {
      const client = new Client();
      const attempt = { client, ready: this.connect(client) };
      this.connecting = attempt;
      attempt.ready.catch(() => {
        if (this.connecting === attempt) this.connecting = null;
      });
    }
    return this.connecting.ready;
  }

  private connect(client: Client): Promise<Client> {
    const node = this.node;
    const logger = this.options.logger;
    this.clients.add(client);
    let hostKeyProblem: SshError | null = null;
    const config: ConnectConfig = {
      host: node.host,
      port: node.sshPort,
      username: node.user,
      privateKey: this.options.privateKey,
      readyTimeout: this.connectTimeoutMs,
      keepaliveInterval: this.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        const check = this.options.hostKeys.check(node.id, node.host, key);
        if (check.outcome === 'pinned_now') {
          logger.info(
            { node: node.id, fingerprint: check.pinned.fingerprint },
            'pinned the SSH host key on first use',
          );
        }
        if (check.outcome !== 'changed') return true;
        hostKeyProblem = new SshError(
          'host_key_changed',
          node.id,
          `the SSH host key of ${node.id} (${node.host}:${node.sshPort}) changed: pinned ${check.pinned.fingerprint}, ` +
            `presented ${check.presentedFingerprint}. If the node was reinstalled, check the new key on the node ` +
            `(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and re-pin it (POST /api/ssh/known-hosts/${node.id}/repin).`,
        );
        return false;
      },
    };
    return new Promise<Client>((resolve, reject) => {
      let ready = false;
      client.on('ready', () => {
        ready = true;
        logger.debug({ node: node.id, address: this.address }, 'SSH connected');
        resolve(client);
      });
      client.on('error', (error: Error & { level?: string; code?: string }) => {
        if (ready) {
          logger.warn({ node: node.id, err: error.message }, 'SSH connection failed');
          return;
        }
        reject(hostKeyProblem ?? this.connectError(error));
      });
      client.on('close', () => {
        this.clients.delete(client);
        this.openChannels.delete(client);
        this.retired.delete(client);
        if (this.connecting?.client === client) this.connecting = null;
        if (!ready)
          reject(hostKeyProblem ?? this.connectError(new Error('connection closed during the handshake')));
        else logger.debug({ node: node.id }, 'SSH connection closed');
      });
      client.connect(config);
    });
  }

  private connectError(error: Error & { level?: string; code?: string }): SshError {
    const where = `${this.nodeId} (${this.address})`;
    if (error.level === 'client-authentication') {
      return new SshError(
        'auth_refused',
        this.nodeId,
        `${where} refused the controller's SSH key: add the key from GET /api/ssh/public-key to ~${this.node.user}/.ssh/authorized_keys on the node`,
      );
    }
    if (error.level === 'client-timeout') {
      return new SshError(
        'connect_timeout',
        this.nodeId,
        `${where} did not complete the SSH login within ${this.connectTimeoutMs} ms`,
      );
    }
    const reason = error.code ? `${error.code}: ${error.message}` : error.message;
    return new SshError('unreachable', this.nodeId, `${where} is unreachable over SSH (${reason})`);
  }

  /**
   * Gathers a command's output until it exits. A timeout, an abort or a dropped connection settles
   * the promise at once; the channel's session slot is given back when the remote side closes it
   * (OpenSSH waits for the program to end), or after a grace period if it never does.
   */
  private collect(
    client: Client,
    { channel, exit: exitRecord }: OpenedChannel,
    options: RunOptions,
    program: string,
  ): Promise<CommandResult> {
    const timeoutMs = options.timeoutMs ?? (options.signal ? undefined : this.defaultCommandTimeoutMs);
    return new Promise<CommandResult>((resolve, reject) => {
      const out = new StringDecoder('utf8');
      const err = new StringDecoder('utf8');
      let stdout = '';
      let stderr = '';
      let settled = false;
      let channelDone = false;

      /** Gives back the session slot and counts the channel out of its connection, once. */
      const finishChannel = () => {
        if (channelDone) return;
        channelDone = true;
        this.releaseChannel();
        this.channelClosed(client);
      };
      const settle = (outcome: { error: SshError } | { result: CommandResult }) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        client.removeListener('close', onDrop);
        if ('error' in outcome) reject(outcome.error);
        else resolve(outcome.result);
      };
      const onData = (chunk: Buffer) => {
        if (settled) return;
        const text = out.write(chunk);
        stdout += text;
        if (text) options.onStdout?.(text);
      };
      const onErrData = (chunk: Buffer) => {
        if (settled) return;
        const text = err.write(chunk);
        stderr += text;
        if (text) options.onStderr?.(text);
      };
      const abandon = () => {
        // Kill the remote process group (OpenSSH honours signal requests, except in sessions it runs
        // without privilege separation), then close the channel. The connection is not reused: a
        // node that keeps the abandoned session alive must not hold up the next commands.
        sendSignal(channel, 'KILL');
        channel.close();
        this.retire(client);
        finishChannel();
      };
      const onTimeout = () => {
        if (settled || exitRecord.status) return;
        abandon();
        settle({
          error: new SshError(
            'command_timeout',
            this.nodeId,
            `${this.nodeId}: ${program} did not finish within ${timeoutMs} ms`,
          ),
        });
      };
      const onAbort = () => {
        if (settled || exitRecord.status) return;
        abandon();
        settle({ result: { exitCode: null, signal: null, stdout, stderr } });
      };
      const onDrop = () => {
        if (exitRecord.status) return;
        settle({
          error: new SshError(
            'disconnected',
            this.nodeId,
            `the SSH connection to ${this.nodeId} (${this.address}) dropped while ${program} ran`,
          ),
        });
      };
      const timer = timeoutMs === undefined ? null : setTimeout(onTimeout, timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      client.once('close', onDrop);

      channel.on('data', onData);
      channel.stderr.on('data', onErrData);
      const complete = () => {
        if (settled) return;
        const tail = out.end();
        const errTail = err.end();
        stdout += tail;
        stderr += errTail;
        if (tail) options.onStdout?.(tail);
        if (errTail) options.onStderr?.(errTail);
        const exit = exitRecord.status;
        settle({ result: { exitCode: exit?.code ?? null, signal: exit?.signal ?? null, stdout, stderr } });
      };
      channel.once('close', () => {
        finishChannel();
        // The channel closes once stdout has ended; stderr may still hold its last chunks.
        if (channel.stderr.readableEnded || channel.stderr.destroyed) complete();
        else channel.stderr.once('end', complete);
      });

      if (options.stdin !== undefined) channel.end(options.stdin);
      else channel.end();
    });
  }

  private channelClosed(client: Client): void {
    const open = (this.openChannels.get(client) ?? 1) - 1;
    this.openChannels.set(client, open);
    if (open <= 0 && this.retired.has(client)) client.end();
  }

  /** New commands get a fresh connection; this one ends when its last command does. */
  private retire(client: Client): void {
    if (this.connecting?.client === client) this.connecting = null;
    this.retired.add(client);
    if ((this.openChannels.get(client) ?? 0) <= 0) client.end();
  }

  private acquireChannel(): Promise<void> {
    if (this.activeChannels < MAX_CHANNELS) {
      this.activeChannels += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waitingForChannel.push(resolve));
  }

  private releaseChannel(): void {
    const next = this.waitingForChannel.shift();
    if (next) next();
    else this.activeChannels -= 1;
  }
}

/** The remote program's exit status, once the node has sent it. */
interface ExitRecord {
  status: { code: number | null; signal: string | null } | null;
}

interface OpenedChannel {
  channel: ClientChannel;
  exit: ExitRecord;
}

/**
 * Opens an exec channel. The exit listener is attached in ssh2's callback itself: a fast command's
 * success, output, exit status and close can arrive in one TCP read, and ssh2 emits `exit` while
 * parsing it, before any awaiting code could listen. (Output is buffered by the stream meanwhile.)
 */
function execChannel(client: Client, command: string): Promise<OpenedChannel> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      const exit: ExitRecord = { status: null };
      channel.on('exit', (code: number | null, signalName?: string) => {
        exit.status = { code: typeof code === 'number' ? code : null, signal: signalName ?? null };
      });
      resolve({ channel, exit });
    });
  });
}

/**
 * ssh2's `channel.signal()` silently does nothing once our side of the channel is ended, which it is
 * as soon as stdin has been sent; the signal request itself is valid until the channel closes, so it
 * is written through the protocol object directly.
 */
function sendSignal(channel: ClientChannel, name: string): void {
  const internals = channel as unknown as {
    outgoing?: { id: number; state: string };
    _client?: { _protocol?: { signal(id: number, signal: string): void } };
  };
  const state = internals.outgoing?.state;
  if (state !== 'open' && state !== 'eof') return;
  try {
    internals._client?._protocol?.signal(internals.outgoing!.id, name);
  } catch {
    // The connection is going away; closing the channel is all that is left.
  }
}
