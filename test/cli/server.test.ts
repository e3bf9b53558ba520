import { describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.join(__dirname, '..', '..');
const entry = path.join(root, 'dist', 'src', 'server.js');

function start(env: Record<string, string>): {
  child: ChildProcess;
  lines: AsyncIterableIterator<string>;
  stderr: () => string;
} {
  if (!existsSync(entry))
    throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does it)`);
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      UPLOAD_DIR: '/tmp/spark-control-cli-test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    child,
    lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator](),
    stderr: () => stderr,
  };
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );
}

describe('the server entry point (npm start)', () => {
  test('with no nodes configured it runs on the emulated cluster, says so, serves, and stops on SIGTERM', async () => {
    const { child, lines } = start({
      BIND_PORT: '0',
      BIND_HOST: '127.0.0.1',
      DATA_DIR: '/tmp/spark-control-cli-test',
    });
    try {
      const seen: Record<string, unknown>[] = [];
      let listening: Record<string, unknown> | undefined;
      const deadline = Date.now() + 15_000;
      while (!listening && Date.now() < deadline) {
        const next = await lines.next();
        if (next.done) break;
        const line = JSON.parse(next.value) as Record<string, unknown>;
        seen.push(line);
        if (String(line.msg).startsWith('spark-control listening')) listening = line;
      }
      expect(seen.some((line) => String(line.msg).includes('EMULATED cluster'))).toBe(true);
      expect(listening).toMatchObject({
        mode: 'emulated',
        msg: expect.stringContaining('(EMULATED cluster)'),
      });
      const base = `http://127.0.0.1:${String(listening!.port)}`;
      const status = (await (await fetch(`${base}/api/status`)).json()) as {
        mode: string;
        llm: { model: string };
      };
      expect(status.mode).toBe('emulated');
      expect(status.llm.model).toBe('qwen3-30b-a3b');
      const chat = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'default',
          messages: [{ role: 'user', content: 'hello' }],
          max_tokens: 3,
        }),
      });
      expect(chat.status).toBe(200);
      expect(((await chat.json()) as { model: string }).model).toBe('qwen3-30b-a3b');
      child.kill('SIGTERM');
      expect(await exitCode(child)).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a bad configuration stops the start with every problem named', async () => {
    const { child, stderr } = start({ SPARK1_HOST: '10.0.0.5', BIND_PORT: 'abc', DISABLED_SERVICES: 'nope' });
    expect(await exitCode(child)).toBe(1);
    expect(stderr()).toContain('spark-control cannot start: the configuration has problems:');
    expect(stderr()).toContain('SPARK1_USER is required when SPARK1_HOST is set');
    expect(stderr()).toContain('BIND_PORT must be a port number between 1 and 65535 (got "abc")');
    expect(stderr()).toContain('DISABLED_SERVICES names an unknown service "nope"');
  });
});
