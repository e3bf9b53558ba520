import { createHash } from 'node:crypto';
import path from 'node:path';
import type { CommandIo } from './command-registry';
import type { DockerCli } from './docker-cli';
import { NoSuchContainerError, type DockerModel } from './docker-model';
import { eachContainer } from './each-container';

/**
 * What runs inside the emulated support containers: `docker exec [-i] <container> tar -x -C <dir>`
 * (how patches are copied in), `sha256sum`, `cat` and `ls` over the files written so, and
 * `docker update --memory` (the memory cap). Files live as long as the container, across restarts.
 */
export class ContainerExec {
  private readonly files = new Map<string, Map<string, Buffer>>();
  private readonly memoryLimits = new Map<string, number>();

  constructor(private readonly docker: DockerModel) {}

  /** Adds `exec` and `update` to a node's docker CLI. */
  install(node: string, cli: DockerCli): this {
    cli.register('exec', (args, io) => this.exec(node, args, io));
    cli.register('update', (args, io) => this.update(node, args, io));
    return this;
  }

  /** The files in a container, by absolute path. */
  filesOf(node: string, container: string): ReadonlyMap<string, Buffer> {
    return this.files.get(`${node}/${container}`) ?? new Map();
  }

  /** The memory cap set with `docker update --memory`, in bytes (null: none). */
  memoryLimitOf(node: string, container: string): number | null {
    return this.memoryLimits.get(`${node}/${container}`) ?? null;
  }

  private async exec(node: string, args: string[], io: CommandIo): Promise<number> {
    let i = 0;
    let interactive = false;
    for (; i < args.length && args[i]!.startsWith('-'); i++) {
      const flag = args[i]!;
      if (flag === '-i' || flag === '--interactive') interactive = true;
      else if (flag === '-e' || flag === '-w' || flag === '-u') i++;
      else if (flag !== '-t' && flag !== '-it' && flag !== '-d') {
        io.stderr(`unknown flag: ${flag}\nSee 'docker exec --help'.\n`);
        return 125;
      }
      if (flag === '-it') interactive = true;
    }
    const [name, program, ...programArgs] = args.slice(i);
    if (!name || !program) {
      io.stderr(`"docker exec" requires at least 2 arguments.\nSee 'docker exec --help'.\n`);
      return 1;
    }
    try {
      const container = this.docker.find(name, node);
      if (container.status !== 'running') {
        io.stderr(`Error response from daemon: container ${container.id} is not running\n`);
        return 1;
      }
    } catch (error) {
      if (!(error instanceof NoSuchContainerError)) throw error;
      io.stderr(`Error response from daemon: No such container: ${name}\n`);
      return 1;
    }
    const key = `${node}/${name}`;
    const files = this.files.get(key) ?? new Map<string, Buffer>();
    this.files.set(key, files);
    const stdin = interactive && io.readStdin ? await io.readStdin() : Buffer.alloc(0);
    switch (program) {
      case 'true':
        return 0;
      case 'tar':
        return extract(programArgs, stdin, files, io);
      case 'sha256sum':
      case 'cat':
        return readFiles(program, programArgs, files, io);
      case 'ls':
        for (const file of [...files.keys()].sort()) io.stdout(`${file}\n`);
        return 0;
      default:
        io.stderr(
          `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown\n`,
        );
        return 127;
    }
  }

  private update(node: string, args: string[], io: CommandIo): number | Promise<number> {
    let memory: number | null = null;
    const names: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
      if (flag === '--memory' || flag === '-m' || flag === '--memory-swap') {
        const value = inline ?? args[++i] ?? '';
        const bytes = parseBytes(value);
        if (bytes === null) {
          io.stderr(`invalid argument "${value}" for "${flag}" flag\n`);
          return 125;
        }
        if (flag !== '--memory-swap') memory = bytes;
      } else if (arg.startsWith('-')) {
        io.stderr(`unknown flag: ${arg}\n`);
        return 125;
      } else names.push(arg);
    }
    if (names.length === 0) {
      io.stderr('"docker update" requires at least 1 argument.\n');
      return 1;
    }
    return eachContainer(names, io, (name) => {
      this.docker.find(name, node);
      if (memory !== null) this.memoryLimits.set(`${node}/${name}`, memory);
    });
  }
}

/** `tar -x [-f -] [-C dir]` reading a ustar archive from stdin. */
function extract(args: string[], archive: Buffer, files: Map<string, Buffer>, io: CommandIo): number {
  let dir = '/';
  let extracting = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-C' || arg === '--directory') dir = args[++i] ?? '/';
    else if (/^-?[xvfop]+$/.test(arg) && arg.includes('x')) extracting = true;
    else if (arg === '-' || arg === '--no-same-owner') continue;
    else {
      io.stderr(`tar: ${arg}: option not emulated\n`);
      return 2;
    }
  }
  if (!extracting) {
    io.stderr('tar: only extraction (-x) is emulated\n');
    return 2;
  }
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = field(0, 100);
    const prefix = field(345, 155);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const content = archive.subarray(offset + 512, offset + 512 + size);
    if (content.length < size) {
      io.stderr('tar: Unexpected EOF in archive\n');
      return 2;
    }
    if (type === '0') files.set(path.posix.join(dir, prefix, name), Buffer.from(content));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return 0;
}

function readFiles(program: string, args: string[], files: Map<string, Buffer>, io: CommandIo): number {
  let status = 0;
  for (const file of args) {
    const content = files.get(file);
    if (!content) {
      io.stderr(`${program}: ${file}: No such file or directory\n`);
      status = 1;
    } else if (program === 'cat') io.stdout(content.toString('utf8'));
    else io.stdout(`${createHash('sha256').update(content).digest('hex')}  ${file}\n`);
  }
  return status;
}

/** Docker's memory sizes: a number with an optional b/k/m/g unit. */
function parseBytes(text: string): number | null {
  const match = /^(\d+)([bkmg]?)$/i.exec(text.trim());
  if (!match) return null;
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase()] ?? 1;
  return Number(match[1]) * unit;
}
