import type { CommandIo } from './command-registry';
import { NoSuchContainerError } from './docker-model';

/**
 * Runs `action` on each named container the way the docker CLI does: a container it succeeds on is
 * echoed on stdout, a missing one is reported on stderr, and either failure (or `action` answering
 * false after reporting its own) makes the exit status 1 without stopping the others.
 */
export async function eachContainer(
  names: readonly string[],
  io: CommandIo,
  action: (name: string) => boolean | void | Promise<boolean | void>,
): Promise<number> {
  let status = 0;
  for (const name of names) {
    try {
      if ((await action(name)) === false) {
        status = 1;
        continue;
      }
      io.stdout(`${name}\n`);
    } catch (error) {
      if (!(error instanceof NoSuchContainerError)) throw error;
      io.stderr(`Error response from daemon: No such container: ${name}\n`);
      status = 1;
    }
  }
  return status;
}
