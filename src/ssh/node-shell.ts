/**
 * How the control plane runs programs on a node. Implemented over SSH (`ssh-client.ts`); every
 * consumer (swaps, services, health, catalog probes) depends on this interface only.
 *
 * A command is an argument vector: the implementation quotes each element with one function, so
 * no catalog value or request field is ever spliced into a shell line.
 */
export interface CommandResult {
  /** null when the remote process ended by a signal or the result is unknown. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /**
   * Longest the command may run; the remote program is signalled, the channel closed and
   * `SshError('command_timeout')` thrown. Default 120 s, or none when `signal` is given (followers).
   */
  timeoutMs?: number;
  /** Written to the command's stdin, which is then closed. */
  stdin?: string | Buffer;
  /** Ends the command early (for `docker logs -f`); the promise then resolves with what was read. */
  signal?: AbortSignal;
  /** Output as it arrives, for following logs. */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export interface NodeShell {
  readonly nodeId: string;
  /** Runs `argv` on the node; rejects with `SshError` when the node cannot be reached or the command times out. */
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

export type SshErrorKind =
  | 'unreachable'
  | 'auth_refused'
  | 'host_key_changed'
  | 'connect_timeout'
  | 'command_timeout'
  | 'disconnected';

export class SshError extends Error {
  constructor(
    readonly kind: SshErrorKind,
    readonly nodeId: string,
    message: string,
  ) {
    super(message);
    this.name = 'SshError';
  }
}
