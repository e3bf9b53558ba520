import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { createLogger } from '../../src/observability/logger';
import { openDatabase, type StateDatabase } from '../../src/state/database';
import { loadOrCreateControllerKey, type ControllerKey } from '../../src/ssh/controller-key';
import { HostKeyStore } from '../../src/ssh/host-keys';
import { SshError } from '../../src/ssh/node-shell';
import { SshNodeShell, type SshClientOptions } from '../../src/ssh/ssh-client';
import { generateEd25519KeyPair } from '../../src/ssh/ed25519';
import { startSshd, type Sshd } from '../helpers/sshd';
import { waitFor } from '../helpers/wait';

/** The shell script every hostile-argv test calls: prints each argument it got, NUL-terminated. */
const PRINT_ARGS = '#!/bin/sh\nfor a in "$@"; do printf \'%s\\0\' "$a"; done\n';

describe('SSH client against a real OpenSSH server', () => {
  let work: string;
  let key: ControllerKey;
  let db: StateDatabase;
  let hostKeys: HostKeyStore;
  let sshd: Sshd;
  const shells: SshNodeShell[] = [];

  const shellFor = (options: Partial<SshClientOptions> = {}) => {
    const shell = new SshNodeShell({
      node: sshd.node('real1'),
      privateKey: key.privateKey,
      hostKeys,
      logger: createLogger('silent'),
      ...options,
    });
    shells.push(shell);
    return shell;
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-ssh-test-'));
    key = loadOrCreateControllerKey(path.join(work, 'data', 'ssh', 'id_ed25519'));
    db = openDatabase(path.join(work, 'data'));
    hostKeys = new HostKeyStore(db);
    const scripts = path.join(work, 'bin');
    fs.mkdirSync(scripts);
    fs.writeFileSync(path.join(scripts, 'printargs'), PRINT_ARGS, { mode: 0o755 });
    fs.writeFileSync(path.join(scripts, 'docker'), '#!/bin/sh\necho "fake docker: $*"\n', { mode: 0o755 });
    sshd = await startSshd({ authorizedKeys: [key.publicKey], scriptsDir: scripts });
  });
  afterEach(() => {
    for (const shell of shells.splice(0)) shell.close();
  });
  afterAll(async () => {
    await sshd.stop();
    db.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('commands run with exit status, stderr, stdin, and the scripts first on PATH', async () => {
    const shell = shellFor();
    const failing = await shell.run(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(failing).toEqual({ exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    const echoed = await shell.run(['cat'], { stdin: 'secret token\nline 2' });
    expect(echoed.stdout).toBe('secret token\nline 2');
    expect((await shell.run(['docker', 'ps'])).stdout).toBe('fake docker: ps\n');
    expect(hostKeys.get('real1')?.fingerprint).toBe(sshd.hostKeyFingerprint);
  });

  test('hostile argv elements arrive as single literal arguments', async () => {
    const shell = shellFor();
    const hostile = fc.oneof(
      fc.constantFrom(
        "'",
        '"',
        '$(touch /tmp/pwned)',
        '`id`',
        '${PATH}',
        '\n',
        ';',
        '&&',
        '*',
        '-rf',
        '',
        ' ',
      ),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(hostile, { maxLength: 4 }).map((p) => p.join('')),
          { maxLength: 5 },
        ),
        async (args) => {
          const result = await shell.run(['printargs', ...args]);
          expect(result.exitCode).toBe(0);
          expect(result.stdout.split('\0').slice(0, -1)).toEqual(args);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('output streams while the command runs; an abort resolves with what was read', async () => {
    const shell = shellFor();
    const aborter = new AbortController();
    const seen: string[] = [];
    const running = shell.run(['sh', '-c', 'echo first; sleep 3; echo never'], {
      signal: aborter.signal,
      onStdout: (chunk) => {
        seen.push(chunk);
        aborter.abort();
      },
    });
    const result = await running;
    expect(seen.join('')).toBe('first\n');
    expect(result.stdout).toBe('first\n');
    expect(result.exitCode).toBeNull();
  });

  test('a command over its time limit fails with command_timeout; the connection stays usable', async () => {
    const shell = shellFor();
    const started = Date.now();
    await expect(shell.run(['sleep', '3'], { timeoutMs: 300 })).rejects.toMatchObject({
      kind: 'command_timeout',
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await shell.run(['echo', 'still here'])).stdout).toBe('still here\n');
  });

  test('a closed port is unreachable; a silent port is a connect timeout', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const unreachable = shellFor({ node: { ...sshd.node('gone'), sshPort: closedPort } });
    await expect(unreachable.run(['true'])).rejects.toMatchObject({ kind: 'unreachable', nodeId: 'gone' });

    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const stuck = shellFor({ node: { ...sshd.node('mute'), sshPort: port }, connectTimeoutMs: 300 });
      await expect(stuck.run(['true'])).rejects.toMatchObject({ kind: 'connect_timeout' });
    } finally {
      silent.close();
    }
  });

  test('a key the node does not know is refused with a hint to install the public key', async () => {
    const stranger = generateEd25519KeyPair();
    const shell = shellFor({ privateKey: stranger.private });
    const refused = shell.run(['true']);
    await expect(refused).rejects.toMatchObject({ kind: 'auth_refused' });
    await expect(refused).rejects.toThrow(/authorized_keys/);
  });

  test('the connection is re-opened after the node restarts; a drop mid-command is reported', async () => {
    const shell = shellFor();
    expect((await shell.run(['echo', 'before'])).stdout).toBe('before\n');
    let started = false;
    const longRunning = shell.run(['sh', '-c', 'echo started; sleep 10'], {
      timeoutMs: 20_000,
      onStdout: () => (started = true),
    });
    await waitFor(() => started, 'the long command to start');
    await sshd.restart();
    await expect(longRunning).rejects.toMatchObject({ kind: 'disconnected' });
    expect((await shell.run(['echo', 'after'])).stdout).toBe('after\n');
  });

  test('a silent network path is noticed by keep-alives: the running command fails, the next one reconnects', async () => {
    // A relay that can stop passing bytes, like a link that died without closing the TCP session.
    let frozen = false;
    const relay = net.createServer((inbound) => {
      const outbound = net.connect(sshd.port, '127.0.0.1');
      inbound.on('data', (chunk) => frozen || outbound.write(chunk));
      outbound.on('data', (chunk) => frozen || inbound.write(chunk));
      inbound.on('close', () => outbound.destroy());
      outbound.on('close', () => inbound.destroy());
      inbound.on('error', () => outbound.destroy());
      outbound.on('error', () => inbound.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const port = (relay.address() as net.AddressInfo).port;
      const shell = shellFor({ node: { ...sshd.node('real1'), sshPort: port }, keepaliveIntervalMs: 200 });
      let started = false;
      const running = shell.run(['sh', '-c', 'echo started; sleep 5'], {
        timeoutMs: 20_000,
        onStdout: () => (started = true),
      });
      await waitFor(() => started, 'the command to start');
      frozen = true;
      const before = Date.now();
      await expect(running).rejects.toMatchObject({ kind: 'disconnected' });
      expect(Date.now() - before).toBeLessThan(3_000);
      frozen = false;
      expect((await shell.run(['echo', 'back'])).stdout).toBe('back\n');
    } finally {
      relay.close();
    }
  });

  test('a changed host key is refused, naming both fingerprints, and stays pinned', async () => {
    const shell = shellFor();
    await shell.run(['true']);
    const pinned = sshd.hostKeyFingerprint;
    await sshd.restart({ newHostKey: true });
    const refused = shell.run(['true']);
    await expect(refused).rejects.toBeInstanceOf(SshError);
    await expect(refused).rejects.toMatchObject({ kind: 'host_key_changed', nodeId: 'real1' });
    await expect(refused).rejects.toThrow(pinned);
    await expect(refused).rejects.toThrow(sshd.hostKeyFingerprint);
    expect(hostKeys.get('real1')?.fingerprint).toBe(pinned);
  });
});
