import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { parseCommandLine } from '../emulator/shell-words';
import { quoteArg, quoteArgv } from './quote';

/** Pieces a hostile catalog value or request field might carry. */
const hostilePiece = fc.constantFrom(
  "'",
  '"',
  '\\',
  '$(id)',
  '`id`',
  '${HOME}',
  '$HOME',
  '\n',
  '\r\n',
  ';',
  '&&',
  '||',
  '|',
  '&',
  '>',
  '<',
  '*',
  '?',
  '[a-z]',
  '~',
  '#',
  ' ',
  '\t',
  '-',
  '--',
  '-rf',
  '!',
  'é',
  '日本',
  '🦀',
  '\u202e',
  '',
);
const hostileString = fc.oneof(
  fc.array(fc.oneof(hostilePiece, fc.string()), { maxLength: 6 }).map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
);
const hostileArgv = fc.array(hostileString, { minLength: 1, maxLength: 5 });

/** Runs the quoted line with a real POSIX shell and returns the arguments `printf` received. */
function argumentsSeenByShell(argv: string[]): string[] {
  const line = `printf '%s\\0' ${quoteArgv(argv)}`;
  const out = execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('quoteArgv', () => {
  test('plain words are single-quoted, quotes are closed, escaped and reopened', () => {
    expect(quoteArgv(['docker', 'stop', 'parakeet-asr'])).toBe(`'docker' 'stop' 'parakeet-asr'`);
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteArg('')).toBe(`''`);
  });

  test('NUL bytes and empty commands are refused', () => {
    expect(() => quoteArg('a\0b')).toThrow(/NUL/);
    expect(() => quoteArgv([])).toThrow(/empty/);
  });

  test('a real shell receives every hostile element as one literal argument', () => {
    fc.assert(
      fc.property(hostileArgv, (argv) => {
        expect(argumentsSeenByShell(argv)).toEqual(argv);
      }),
      { numRuns: 300 },
    );
  });

  test('the emulated hosts’ shell parses the quoted line back to the same argv', () => {
    fc.assert(
      fc.property(hostileArgv, (argv) => {
        const steps = parseCommandLine(quoteArgv(['prog', ...argv]));
        expect(steps).toHaveLength(1);
        expect(steps[0]?.command.argv).toEqual(['prog', ...argv]);
      }),
      { numRuns: 1000 },
    );
  });
});
