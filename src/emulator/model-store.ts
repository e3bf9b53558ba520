import { createHash } from 'node:crypto';
import type { CommandIo, CommandRegistry } from './command-registry';

export interface ModelStoreOptions {
  nodes: string[];
  /** HF repos (`org/name`) whose weights each node holds at start. */
  present?: Partial<Record<string, string[]>>;
  /** How long an emulated `hf download` or `rsync` of a whole model takes. Default 200 ms. */
  transferMs?: number;
  /** The node whose SSH host listens on a port (rsync reaches its peer with `-e 'ssh -p N'`). */
  nodeForSshPort: (port: number) => string | undefined;
}

const HUB = '.cache/huggingface/hub';
const GB = 1_000_000_000;
const TRANSFER_STEPS = 8;

/** `…hub/models--org--name[/…]` → `org/name`. */
function repoOfPath(path: string): string | null {
  const match = /(?:^|\/)hub\/models--([^/]+?)--([^/]+?)(?:\/.*)?$/.exec(path);
  return match ? `${match[1]}/${match[2]}` : null;
}

function revisionOf(repo: string): string {
  return createHash('sha1').update(repo).digest('hex');
}

function folderOf(repo: string): string {
  return `models--${repo.replace('/', '--')}`;
}

function sizeFmt(bytes: number): string {
  for (const [unit, scale] of [
    ['G', 1e9],
    ['M', 1e6],
    ['k', 1e3],
  ] as const) {
    if (bytes >= scale) return `${(bytes / scale).toFixed(2)}${unit}`;
  }
  return String(bytes);
}

/** Where the `hf` CLI looks for its token, relative to the home directory. */
export const TOKEN_FILE = '.cache/huggingface/token';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * The model weights on the emulated nodes' disks (their Hugging Face caches) and the programs that
 * read and move them: `find` and `du` over the cache, `rm -rf` of a repo, `hf download` from an
 * emulated Hugging Face, and `rsync` to a peer node. Probes and downloads have real effects here.
 */
export class ModelStore {
  /** Bytes of each complete repo, per node. */
  readonly present: Record<string, Map<string, number>> = {};
  /** Bytes received so far of each repo being transferred, per node. */
  readonly partial: Record<string, Map<string, number>> = {};
  /** Repos the emulated Hugging Face refuses (not found, gated), with the reason the CLI prints. */
  readonly refused = new Map<string, string>();
  /** Repos whose download breaks off after this fraction of the bytes. */
  readonly failAfter = new Map<string, number>();
  /** Gated repos: downloaded only by a node whose Hugging Face token file holds `hubToken`. */
  readonly gated = new Set<string>();
  /** The one token the emulated Hugging Face accepts for gated repos. */
  hubToken = 'hf_emulated_token';
  /** The content of each node's `~/.cache/huggingface/token`, once written. */
  readonly tokenFiles: Record<string, string> = {};
  /** Sizes of repos on the emulated Hugging Face; others get a size from their name. */
  readonly sizes = new Map<string, number>();
  transferMs: number;

  constructor(private readonly options: ModelStoreOptions) {
    this.transferMs = options.transferMs ?? 200;
    for (const node of options.nodes) {
      this.present[node] = new Map();
      this.partial[node] = new Map();
      for (const repo of options.present?.[node] ?? []) this.add(node, repo);
    }
  }

  /** Size of a repo: set in `sizes`, or about one GB per billion parameters named in it, else 8 GB. */
  sizeOf(repo: string): number {
    const known = this.sizes.get(repo);
    if (known !== undefined) return known;
    const params = /(\d+(?:\.\d+)?)B(?![a-z])/i.exec(repo.split('/')[1] ?? '');
    return Math.round((params ? Number(params[1]) : 8) * GB);
  }

  add(node: string, repo: string): void {
    this.present[node]?.set(repo, this.sizeOf(repo));
  }

  has(node: string, repo: string): boolean {
    return this.present[node]?.has(repo) ?? false;
  }

  remove(node: string, repo: string): void {
    this.present[node]?.delete(repo);
  }

  /** Registers `find`, `du`, `rm`, `hf` and `rsync` for one node. */
  register(node: string, registry: CommandRegistry): void {
    registry
      .register('find', (io) => this.find(node, io))
      .register('du', (io) => this.du(node, io))
      .register('rm', (io) => this.rm(node, io))
      .register('hf', (io) => this.hf(node, io))
      .register('mkdir', () => 0)
      .register('install', (io) => this.install(node, io))
      .register('rsync', (io) => this.rsync(node, io));
  }

  private find(node: string, io: CommandIo): number {
    const root = io.argv[1] ?? '.';
    const present = this.present[node]!;
    const partial = this.partial[node]!;
    if (!root.endsWith(HUB) || (present.size === 0 && partial.size === 0)) {
      io.stderr(`find: '${root}': No such file or directory\n`);
      return 1;
    }
    for (const repo of new Set([...present.keys(), ...partial.keys()])) {
      io.stdout(`${root}/${folderOf(repo)}/snapshots/${revisionOf(repo)}\n`);
      if (partial.has(repo))
        io.stdout(`${root}/${folderOf(repo)}/blobs/${revisionOf(repo + 'blob')}.incomplete\n`);
    }
    return 0;
  }

  /** `install -m 600 /dev/stdin .cache/huggingface/token`: how the controller hands over the HF token. */
  private async install(node: string, io: CommandIo): Promise<number> {
    const [source, target] = io.argv
      .slice(1)
      .filter((arg, index, all) => !arg.startsWith('-') && all[index - 1] !== '-m');
    if (source !== '/dev/stdin' || target !== TOKEN_FILE || !io.readStdin) {
      io.stderr(`install: only '${TOKEN_FILE}' from /dev/stdin is emulated\n`);
      return 1;
    }
    this.tokenFiles[node] = (await io.readStdin()).toString('utf8').trim();
    return 0;
  }

  private du(node: string, io: CommandIo): number {
    let status = 0;
    for (const path of io.argv.slice(1).filter((arg) => !arg.startsWith('-'))) {
      const repo = repoOfPath(path);
      const bytes =
        repo === null ? undefined : (this.present[node]!.get(repo) ?? this.partial[node]!.get(repo));
      if (bytes === undefined) {
        io.stderr(`du: cannot access '${path}': No such file or directory\n`);
        status = 1;
      } else {
        io.stdout(`${Math.ceil(bytes / 1024)}\t${path}\n`);
      }
    }
    return status;
  }

  private rm(node: string, io: CommandIo): number {
    for (const path of io.argv.slice(1).filter((arg) => !arg.startsWith('-'))) {
      const repo = repoOfPath(path);
      if (repo !== null && path.replace(/\/$/, '').endsWith(folderOf(repo))) {
        this.present[node]!.delete(repo);
        this.partial[node]!.delete(repo);
      }
    }
    return 0;
  }

  /** `hf download <repo> [--revision R]`: tqdm bars on stderr, the snapshot path on stdout. */
  private async hf(node: string, io: CommandIo): Promise<number> {
    const [, command, repo] = io.argv;
    if (command !== 'download' || !repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) {
      io.stderr('usage: hf download <repo_id> [--revision REVISION]\n');
      return 2;
    }
    if (this.gated.has(repo) && this.tokenFiles[node] !== this.hubToken) {
      io.stderr(
        `401 Client Error. Cannot access gated repo for url https://huggingface.co/api/models/${repo}. Access to model ${repo} is restricted. You must have access to it and be authenticated to access it. Please log in.\n`,
      );
      return 1;
    }
    const refusal = this.refused.get(repo);
    if (refusal !== undefined) {
      io.stderr(`${refusal}\n`);
      return 1;
    }
    if (this.has(node, repo)) {
      io.stdout(`/home/spark/${HUB}/${folderOf(repo)}/snapshots/${revisionOf(repo)}\n`);
      return 0;
    }
    const total = this.sizeOf(repo);
    const files = Math.max(1, Math.min(8, Math.ceil(total / (5 * GB))));
    const perFile = Math.ceil(total / files);
    const failAt = this.failAfter.get(repo);
    const partial = this.partial[node]!;
    partial.set(repo, 0);
    io.stderr(`Fetching ${files} files:   0%|          | 0/${files} [00:00<?, ?it/s]`);
    try {
      for (let file = 0; file < files; file++) {
        const name = `model-${String(file + 1).padStart(5, '0')}-of-${String(files).padStart(5, '0')}.safetensors`;
        const steps = Math.max(1, Math.round(TRANSFER_STEPS / files));
        for (let step = 1; step <= steps; step++) {
          await sleep(this.transferMs / (files * steps), io.signal);
          if (io.signal.aborted) return 130;
          const done = Math.round((perFile * step) / steps);
          partial.set(repo, file * perFile + done);
          if (failAt !== undefined && partial.get(repo)! >= failAt * total) {
            io.stderr(
              `\nhuggingface_hub.errors.HfHubHTTPError: 500 Server Error: Internal Server Error for url: https://huggingface.co/${repo}/resolve/main/${name}\n`,
            );
            return 1;
          }
          const percent = Math.round((100 * step) / steps);
          io.stderr(
            `\r${name}: ${String(percent).padStart(3)}%|${'█'.repeat(percent / 10)}| ${sizeFmt(done)}/${sizeFmt(perFile)} [00:01<00:01, 105MB/s]`,
          );
        }
        const fetched = file + 1;
        io.stderr(
          `\rFetching ${files} files: ${String(Math.round((100 * fetched) / files)).padStart(3)}%|${'█'.repeat((10 * fetched) / files)}| ${fetched}/${files} [00:01<00:00, 1.00it/s]`,
        );
      }
      io.stderr('\n');
      this.present[node]!.set(repo, total);
      io.stdout(`/home/spark/${HUB}/${folderOf(repo)}/snapshots/${revisionOf(repo)}\n`);
      return 0;
    } finally {
      partial.delete(repo);
    }
  }

  /** `rsync -a --mkpath --info=progress2 -e 'ssh -p N' <hub dir>/ <user>@<host>:<hub dir>/` to a peer node. */
  private async rsync(node: string, io: CommandIo): Promise<number> {
    const args = io.argv.slice(1);
    const shellIndex = args.indexOf('-e');
    const sshCommand = shellIndex >= 0 ? (args[shellIndex + 1] ?? '') : 'ssh';
    const operands = args.filter((arg, index) => !arg.startsWith('-') && index !== shellIndex + 1);
    const [source, destination] = operands;
    const remote = destination ? /^(?:[^@]+@)?([^:]+):(.+)$/.exec(destination) : null;
    if (!source || !remote) {
      io.stderr('rsync: expected a source and a user@host:path destination\n');
      return 1;
    }
    const port = Number(/-p\s*(\d+)/.exec(sshCommand)?.[1] ?? 22);
    const peer = this.options.nodeForSshPort(port);
    if (peer === undefined || peer === node) {
      io.stderr(
        `ssh: connect to host ${remote[1]} port ${port}: Connection refused\nrsync: connection unexpectedly closed (0 bytes received so far) [sender]\nrsync error: unexplained error (code 255)\n`,
      );
      return 255;
    }
    const repo = repoOfPath(source.replace(/\/$/, ''));
    const bytes = repo === null ? undefined : this.present[node]!.get(repo);
    if (repo === null || bytes === undefined || repoOfPath(remote[2]!.replace(/\/$/, '')) !== repo) {
      io.stderr(
        `rsync: [sender] change_dir "${source}" failed: No such file or directory (2)\nrsync error: some files/attrs were not transferred (code 23)\n`,
      );
      return 23;
    }
    const partial = this.partial[peer]!;
    partial.set(repo, 0);
    try {
      for (let step = 1; step <= TRANSFER_STEPS; step++) {
        await sleep(this.transferMs / TRANSFER_STEPS, io.signal);
        if (io.signal.aborted) return 20;
        const done = Math.round((bytes * step) / TRANSFER_STEPS);
        partial.set(repo, done);
        const percent = Math.round((100 * step) / TRANSFER_STEPS);
        io.stdout(
          `\r${done.toLocaleString('en-US').padStart(15)} ${String(percent).padStart(3)}%  105.00MB/s    0:00:01 (xfr#${step}, to-chk=${TRANSFER_STEPS - step}/${TRANSFER_STEPS})`,
        );
      }
      io.stdout('\n');
      this.present[peer]!.set(repo, bytes);
      return 0;
    } finally {
      partial.delete(repo);
    }
  }
}
