import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { NodeConfig } from '../../src/config/config';
import { fingerprintOf } from '../../src/ssh/fingerprint';

export interface SshdOptions {
  /** OpenSSH public keys allowed to log in (usually the controller's). */
  authorizedKeys: string[];
  /** Put first on the sessions' PATH, so small `docker`/launcher scripts stand in for the real ones. */
  scriptsDir?: string;
  /** More variables for every session (`SetEnv`), e.g. where the scripts reach the emulated services. */
  env?: Record<string, string>;
}

export interface Sshd {
  host: string;
  port: number;
  /** The login user: whoever runs the tests (root in CI, hence `PermitRootLogin prohibit-password`). */
  user: string;
  /** The current host key's fingerprint, as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** Scratch directory of this server (config, keys, logs). */
  dir: string;
  /** A node entry pointing at this server. */
  node(id: string, roles?: string[]): NodeConfig;
  /** Everything sshd wrote to stderr (`-e`), for diagnosing a failing test. */
  log(): string;
  /** Stops the server and drops every open session, like a node going down. */
  stop(): Promise<void>;
  /** Starts it again on the same port; `newHostKey` makes it a "reinstalled" node. */
  restart(options?: { newHostKey?: boolean }): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

/**
 * A throwaway OpenSSH server on 127.0.0.1 with its own host key and configuration: public-key login
 * for the current user from a private `authorized_keys`, nothing else. Requires openssh-server
 * (`.ci/run` installs it).
 */
export async function startSshd(options: SshdOptions): Promise<Sshd> {
  if (!fs.existsSync(SSHD)) {
    throw new Error(
      `${SSHD} is missing: the SSH tests need a real OpenSSH server (apt-get install -y openssh-server; bash .ci/run installs it)`,
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-sshd-'));
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  const authorizedKeys = path.join(dir, 'authorized_keys');
  fs.writeFileSync(authorizedKeys, options.authorizedKeys.map((k) => `${k.trim()}\n`).join(''), {
    mode: 0o600,
  });
  // sshd insists on its privilege-separation directory.
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const user = os.userInfo().username;
  const pathDirs = [
    options.scriptsDir,
    '/usr/local/sbin',
    '/usr/local/bin',
    '/usr/sbin',
    '/usr/bin',
    '/sbin',
    '/bin',
  ];
  // A HOME of its own: the test user's real ~/.bashrc (sourced by bash for SSH commands) must not
  // run in the sessions, nor be disturbed when a test kills them.
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const env = { PATH: pathDirs.filter(Boolean).join(':'), HOME: home, ...options.env };
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'PrintMotd no',
      'LogLevel INFO',
      `SetEnv ${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
      '',
    ].join('\n'),
  );

  let child: ChildProcess | null = null;
  let stderr = '';
  let fingerprint = '';
  const makeHostKey = () => {
    fs.rmSync(hostKey, { force: true });
    fs.rmSync(`${hostKey}.pub`, { force: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test-sshd', '-f', hostKey]);
    const blob = Buffer.from(fs.readFileSync(`${hostKey}.pub`, 'utf8').split(' ')[1] ?? '', 'base64');
    fingerprint = fingerprintOf(blob);
  };

  const start = async () => {
    const proc = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes(`Server listening on 127.0.0.1 port ${port}`)) resolve();
      };
      proc.stderr?.on('data', onData);
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`sshd exited with ${code}:\n${stderr}`)));
    });
  };

  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.pid === undefined) return;
    child = null;
    // Per-connection sshd processes are the listener's children in their own sessions: end them too.
    const sessions = descendants(proc.pid);
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    for (const pid of sessions) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await exited;
  };

  makeHostKey();
  await start();
  return {
    host: '127.0.0.1',
    port,
    user,
    get hostKeyFingerprint() {
      return fingerprint;
    },
    dir,
    node: (id, roles = ['speech']) => ({ id, host: '127.0.0.1', user, sshPort: port, roles }),
    log: () => stderr,
    stop: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    restart: async ({ newHostKey = false } = {}) => {
      await stop();
      if (newHostKey) makeHostKey();
      await start();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Every process below `pid`, from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: fields resume after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const [child, parent] of parents) {
      if (parent === current) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}
