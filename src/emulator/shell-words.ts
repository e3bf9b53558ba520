/**
 * The small subset of POSIX shell the emulated SSH hosts understand: quoted words, `;`, `&&`, `||`,
 * and redirections to /dev/null or between stdout and stderr. Anything else (pipes, expansions,
 * files, background jobs) is refused rather than guessed at.
 */

/** Where a command's output descriptor goes. */
export type OutputTarget = 'stdout' | 'stderr' | 'null';

export interface ShellCommand {
  argv: string[];
  /** fd 1 and fd 2 after the command's redirections. */
  out: OutputTarget;
  err: OutputTarget;
}

export interface ShellStep {
  command: ShellCommand;
  /** Run after the previous step: always (`;`), only after success (`&&`), only after failure (`||`). */
  runIf: 'always' | 'success' | 'failure';
}

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

const REDIRECTION = /^([12]?>|&>)(&[12]|\s*\/dev\/null)(?=$|[\s;&|])/;

/** A `$` followed by one of these starts an expansion; otherwise (e.g. the end of `^name$`) it is literal. */
const EXPANSION_START = /[A-Za-z0-9_{(@*#?$!-]/;

export function parseCommandLine(line: string): ShellStep[] {
  const steps: ShellStep[] = [];
  let argv: string[] = [];
  let out: OutputTarget = 'stdout';
  let err: OutputTarget = 'stderr';
  let word: string | null = null;
  let runIf: ShellStep['runIf'] = 'always';

  const endWord = () => {
    if (word !== null) argv.push(word);
    word = null;
  };
  const endCommand = (next: ShellStep['runIf'], operator: string) => {
    endWord();
    if (argv.length === 0) throw new ShellSyntaxError(`syntax error near unexpected token \`${operator}'`);
    steps.push({ command: { argv, out, err }, runIf });
    argv = [];
    out = 'stdout';
    err = 'stderr';
    runIf = next;
  };

  let i = 0;
  while (i < line.length) {
    const c = line.charAt(i);
    const rest = line.slice(i);
    if (word === null || c === '>' || rest.startsWith('&>')) {
      const redirection = REDIRECTION.exec(rest);
      if (redirection) {
        endWord();
        const [all, operator = '', target = ''] = redirection;
        const resolved: OutputTarget = target.trim() === '/dev/null' ? 'null' : target === '&1' ? out : err;
        if (operator === '&>') out = err = 'null';
        else if (operator === '2>') err = resolved;
        else out = resolved;
        i += all.length;
        continue;
      }
      if (c === '#' && word === null) break;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '\n' || c === ';') {
      if (word !== null || argv.length > 0) endCommand('always', c);
      i++;
    } else if (rest.startsWith('&&') || rest.startsWith('||')) {
      endCommand(c === '&' ? 'success' : 'failure', rest.slice(0, 2));
      i += 2;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
      word = (word ?? '') + line.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      for (; j < line.length && line.charAt(j) !== '"'; j++) {
        const d = line.charAt(j);
        if (d === '`' || (d === '$' && EXPANSION_START.test(line.charAt(j + 1)))) {
          throw new ShellSyntaxError(`the emulated shell does not expand \`${d}'`);
        }
        if (d === '\\' && '"\\$`'.includes(line.charAt(j + 1))) j++;
        text += line.charAt(j);
      }
      if (j >= line.length) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
      word = (word ?? '') + text;
      i = j + 1;
    } else if (c === '\\') {
      if (line.charAt(i + 1) !== '\n') word = (word ?? '') + line.charAt(i + 1);
      i += 2;
    } else if ('|&<>`()'.includes(c) || (c === '$' && EXPANSION_START.test(line.charAt(i + 1)))) {
      throw new ShellSyntaxError(`the emulated shell does not support \`${c}' here`);
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  endWord();
  if (argv.length > 0) steps.push({ command: { argv, out, err }, runIf });
  else if (steps.length > 0 && runIf !== 'always')
    throw new ShellSyntaxError('syntax error: unexpected end of command');
  return steps;
}
