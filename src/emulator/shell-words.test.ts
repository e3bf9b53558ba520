import { CommandRegistry } from './command-registry';
import { parseCommandLine, ShellSyntaxError } from './shell-words';

describe('parseCommandLine', () => {
  test('quoted words and escapes', () => {
    const [step] = parseCommandLine(
      `docker ps --filter 'name=^vllm_node$' --format "{{.Names}}\\t{{.Status}}" a\\ b`,
    );
    expect(step?.command.argv).toEqual([
      'docker',
      'ps',
      '--filter',
      'name=^vllm_node$',
      '--format',
      '{{.Names}}\\t{{.Status}}',
      'a b',
    ]);
    expect(parseCommandLine(`echo 'it'"'"'s'`)[0]?.command.argv).toEqual(['echo', "it's"]);
    expect(parseCommandLine('docker ps --filter name=^qdrant$ -q')[0]?.command.argv[3]).toBe('name=^qdrant$');
  });

  test('sequences and conditions', () => {
    const steps = parseCommandLine('docker stop x; true && echo ok || echo failed');
    expect(steps.map((s) => [s.runIf, s.command.argv[0]])).toEqual([
      ['always', 'docker'],
      ['always', 'true'],
      ['success', 'echo'],
      ['failure', 'echo'],
    ]);
  });

  test('redirections to /dev/null and between stdout and stderr', () => {
    expect(parseCommandLine('docker logs x 2>&1')[0]?.command).toMatchObject({
      out: 'stdout',
      err: 'stdout',
    });
    expect(parseCommandLine('docker stop x >/dev/null 2>&1')[0]?.command).toMatchObject({
      out: 'null',
      err: 'null',
    });
    expect(parseCommandLine('docker stop x 2>&1 >/dev/null')[0]?.command).toMatchObject({
      out: 'null',
      err: 'stdout',
    });
    expect(parseCommandLine('echo x >&2')[0]?.command).toMatchObject({ out: 'stderr', err: 'stderr' });
  });

  test('anything else is refused, not guessed', () => {
    for (const line of [
      'docker ps | grep x',
      'echo $HOME',
      'echo `id`',
      'sleep 1 &',
      'echo > /tmp/x',
      'echo "unterminated',
      '&& true',
    ]) {
      expect(() => parseCommandLine(line)).toThrow(ShellSyntaxError);
    }
  });
});

describe('CommandRegistry', () => {
  const registry = new CommandRegistry()
    .register('true', () => 0)
    .register('false', () => 1)
    .register('say', (io) => {
      io.stdout(`${io.argv.slice(1).join(' ')}\n`);
      io.stderr('note\n');
      return 0;
    });

  async function run(line: string) {
    let stdout = '';
    let stderr = '';
    const code = await registry.run(
      line,
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
      new AbortController().signal,
    );
    return { code, stdout, stderr };
  }

  test('runs sequences with the shell exit-status rules', async () => {
    expect(await run('false || say fallback')).toEqual({ code: 0, stdout: 'fallback\n', stderr: 'note\n' });
    expect(await run('false && say never')).toEqual({ code: 1, stdout: '', stderr: '' });
    expect(await run('say a 2>/dev/null; false')).toEqual({ code: 1, stdout: 'a\n', stderr: '' });
    expect(await run('say b 2>&1')).toEqual({ code: 0, stdout: 'b\nnote\n', stderr: '' });
  });

  test('unknown programs exit 127, bad syntax exits 2', async () => {
    expect(await run('nvidia-smi')).toEqual({
      code: 127,
      stdout: '',
      stderr: 'bash: line 1: nvidia-smi: command not found\n',
    });
    expect((await run('say x | cat')).code).toBe(2);
    expect((await run('/usr/bin/say hi')).stdout).toBe('hi\n');
  });
});
