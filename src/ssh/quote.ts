/**
 * The one place an argument vector becomes a POSIX shell command line. Every element is wrapped
 * in single quotes (inside which the shell interprets nothing), and each `'` in it becomes `'\''`
 * (close, escaped quote, reopen). So whatever an element holds (`$()`, backticks, `;`, newlines,
 * globs) the remote shell hands it to the program as one literal argument.
 */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('cannot run an empty command');
  return argv.map(quoteArg).join(' ');
}

export function quoteArg(arg: string): string {
  // A NUL cannot be passed in an argument at all: the program would see a truncated string.
  if (arg.includes('\0')) throw new Error('a command argument may not contain a NUL byte');
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
