import { parseCommandLine, ShellSyntaxError, type OutputTarget } from './shell-words';

export interface CommandIo {
  /** The program name first, as in a shell. */
  argv: string[];
  stdout(text: string): void;
  stderr(text: string): void;
  /** Aborted when the SSH channel closes (a follower such as `docker logs -f` stops then). */
  signal: AbortSignal;
  /** Everything the client sent on stdin, once it closed it (empty when nothing was sent). */
  readStdin?: () => Promise<Buffer>;
}

/** Runs one program; resolves with its exit status. */
export type CommandHandler = (io: CommandIo) => number | Promise<number>;

export interface ShellOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * The programs an emulated host knows, by name, and the mini shell that runs an `exec` request's
 * command line with them. This is the extension point for what the control plane sends later
 * (`launch-cluster.sh`, swap helpers): register a handler under the program name.
 */
export class CommandRegistry {
  private readonly handlers = new Map<string, CommandHandler>();

  register(program: string, handler: CommandHandler): this {
    this.handlers.set(program, handler);
    return this;
  }

  has(program: string): boolean {
    return this.handlers.has(program);
  }

  /** Runs a whole command line and resolves with the exit status of the last command that ran. */
  async run(
    line: string,
    output: ShellOutput,
    signal: AbortSignal,
    readStdin?: () => Promise<Buffer>,
  ): Promise<number> {
    let steps;
    try {
      steps = parseCommandLine(line);
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      output.stderr(`bash: ${error.message}\n`);
      return 2;
    }
    let status = 0;
    for (const { command, runIf } of steps) {
      if ((runIf === 'success' && status !== 0) || (runIf === 'failure' && status === 0)) continue;
      if (signal.aborted) return 130;
      const route = (target: OutputTarget) => (text: string) => {
        if (target === 'stdout') output.stdout(text);
        else if (target === 'stderr') output.stderr(text);
      };
      status = await this.runOne(command.argv, route(command.out), route(command.err), signal, readStdin);
    }
    return status;
  }

  private async runOne(
    argv: string[],
    stdout: (text: string) => void,
    stderr: (text: string) => void,
    signal: AbortSignal,
    readStdin?: () => Promise<Buffer>,
  ): Promise<number> {
    const program = argv[0] ?? '';
    const handler = this.handlers.get(program) ?? this.handlers.get(program.split('/').at(-1) ?? '');
    if (!handler) {
      stderr(`bash: line 1: ${program}: command not found\n`);
      return 127;
    }
    try {
      return await handler({ argv, stdout, stderr, signal, readStdin });
    } catch (error) {
      stderr(`${program}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }
}
