import type { CommandHandler, CommandIo } from './command-registry';
import { NoSuchContainerError, type Container, type DockerModel } from './docker-model';
import { eachContainer } from './each-container';

/** One `docker <subcommand>`: receives the arguments after the subcommand name. */
export type DockerSubcommand = (args: string[], io: CommandIo) => number | Promise<number>;

interface ParsedArgs {
  flags: Map<string, string[]>;
  positional: string[];
}

class UsageError extends Error {}

/**
 * The `docker` program of one emulated node, over the shared DockerModel: ps, start, stop, restart,
 * logs (with --tail and -f) and inspect. Further subcommands (e.g. `exec`, used by the launcher)
 * are added with `register`.
 */
export class DockerCli {
  private readonly subcommands = new Map<string, DockerSubcommand>();

  constructor(
    private readonly model: DockerModel,
    private readonly node: string,
  ) {
    this.register('ps', (args, io) => this.ps(args, io));
    this.register('start', (args, io) => this.lifecycle('start', args, io));
    this.register('stop', (args, io) => this.lifecycle('stop', args, io));
    this.register('restart', (args, io) => this.lifecycle('restart', args, io));
    this.register('logs', (args, io) => this.logs(args, io));
    this.register('inspect', (args, io) => this.inspect(args, io));
  }

  /** The subcommand registered under `name` (a test that replaces one can put it back). */
  subcommand(name: string): DockerSubcommand | undefined {
    return this.subcommands.get(name);
  }

  register(name: string, subcommand: DockerSubcommand): this {
    this.subcommands.set(name, subcommand);
    return this;
  }

  readonly handler: CommandHandler = async (io) => {
    const [, name, ...args] = io.argv;
    const subcommand = name === undefined ? undefined : this.subcommands.get(name);
    if (!subcommand) {
      io.stderr(`docker: '${name ?? ''}' is not a docker command.\nSee 'docker --help'\n`);
      return 1;
    }
    try {
      return await subcommand(args, io);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr(`${error.message}\nSee 'docker ${name} --help'.\n`);
      return 1;
    }
  };

  private ps(args: string[], io: CommandIo): number {
    const { flags } = parseArgs(
      args,
      ['-a', '--all', '-q', '--quiet', '--no-trunc', '-s', '--size'],
      ['-f', '--filter', '--format', '-n', '--last'],
    );
    const all = flags.has('-a') || flags.has('--all');
    const noTrunc = flags.has('--no-trunc');
    const filters = [...(flags.get('-f') ?? []), ...(flags.get('--filter') ?? [])].map(parseFilter);
    const containers = this.model
      .list(this.node)
      .filter((c) => all || c.status === 'running')
      .filter((c) => matchesFilters(c, filters));
    const rows = containers.map((c) => psRow(c, noTrunc));
    if (flags.has('-q') || flags.has('--quiet')) {
      for (const row of rows) io.stdout(`${row.ID}\n`);
      return 0;
    }
    const format =
      flags.get('--format')?.at(-1) ??
      'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
    const template = format.replaceAll('\\t', '\t').replaceAll('\\n', '\n');
    if (!template.startsWith('table')) {
      for (const row of rows) io.stdout(`${renderTemplate(template, row)}\n`);
      return 0;
    }
    const body = template.replace(/^table\s*/, '');
    const header = body.replace(
      /\{\{\s*\.(\w+)\s*\}\}/g,
      (_, field: string) => PS_HEADERS[field] ?? field.toUpperCase(),
    );
    io.stdout(alignColumns([header, ...rows.map((row) => renderTemplate(body, row))]));
    return 0;
  }

  private async lifecycle(
    action: 'start' | 'stop' | 'restart',
    args: string[],
    io: CommandIo,
  ): Promise<number> {
    const { positional } = parseArgs(
      args,
      ['-a', '--attach', '-i', '--interactive'],
      ['-t', '--time', '-s', '--signal'],
    );
    if (positional.length === 0) throw new UsageError(`"docker ${action}" requires at least 1 argument.`);
    return eachContainer(positional, io, (name) => this.model[action](name, this.node));
  }

  private async logs(args: string[], io: CommandIo): Promise<number> {
    const { flags, positional } = parseArgs(
      args,
      ['-f', '--follow', '-t', '--timestamps'],
      ['-n', '--tail', '--since', '--until'],
    );
    if (positional.length !== 1) throw new UsageError('"docker logs" requires exactly 1 argument.');
    const name = positional[0] ?? '';
    let container: Container;
    try {
      container = this.model.find(name, this.node);
    } catch (error) {
      if (!(error instanceof NoSuchContainerError)) throw error;
      io.stderr(`Error response from daemon: No such container: ${name}\n`);
      return 1;
    }
    const tail = flags.get('-n')?.at(-1) ?? flags.get('--tail')?.at(-1) ?? 'all';
    if (tail !== 'all' && !/^\d+$/.test(tail)) throw new UsageError(`invalid value for --tail: ${tail}`);
    const proc = container.spec.process;
    const lines = proc.logLines();
    for (const line of tail === 'all' ? lines : lines.slice(lines.length - Number(tail)))
      io.stdout(`${line}\n`);
    if (!flags.has('-f') && !flags.has('--follow')) return 0;
    const unsubscribe = proc.onLog((line) => io.stdout(`${line}\n`));
    try {
      await this.model.waitForExit(container, io.signal);
    } finally {
      unsubscribe();
    }
    return 0;
  }

  private inspect(args: string[], io: CommandIo): number {
    const { flags, positional } = parseArgs(args, [], ['-f', '--format', '--type']);
    if (positional.length === 0) throw new UsageError('"docker inspect" requires at least 1 argument.');
    const format = flags.get('-f')?.at(-1) ?? flags.get('--format')?.at(-1);
    const found: Record<string, unknown>[] = [];
    let status = 0;
    for (const name of positional) {
      try {
        found.push(inspectObject(this.model.find(name, this.node)));
      } catch (error) {
        if (!(error instanceof NoSuchContainerError)) throw error;
        io.stderr(`Error: No such object: ${name}\n`);
        status = 1;
      }
    }
    if (format === undefined) io.stdout(`${JSON.stringify(found, null, 4)}\n`);
    else for (const object of found) io.stdout(`${renderTemplate(format, object)}\n`);
    return status;
  }
}

const PS_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  RunningFor: 'CREATED',
  CreatedAt: 'CREATED AT',
  Status: 'STATUS',
  State: 'STATE',
  Ports: 'PORTS',
  Names: 'NAMES',
  Networks: 'NETWORKS',
};

function psRow(c: Container, noTrunc: boolean): Record<string, string> {
  const command = noTrunc || c.spec.command.length <= 20 ? c.spec.command : `${c.spec.command.slice(0, 19)}…`;
  return {
    ID: noTrunc ? c.id : c.id.slice(0, 12),
    Image: c.spec.image,
    Command: `"${command}"`,
    CreatedAt: c.createdAt
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' +0000 UTC'),
    RunningFor: `${humanDuration(Date.now() - c.createdAt.getTime())} ago`,
    Status:
      c.status === 'running'
        ? `Up ${humanDuration(Date.now() - c.startedAt.getTime())}`
        : `Exited (${c.exitCode}) ${humanDuration(Date.now() - (c.finishedAt ?? c.startedAt).getTime())} ago`,
    State: c.status,
    Ports: '',
    Names: c.spec.name,
    Networks: 'host',
  };
}

function inspectObject(c: Container): Record<string, unknown> {
  return {
    Id: c.id,
    Created: c.createdAt.toISOString(),
    Name: `/${c.spec.name}`,
    RestartCount: 0,
    State: {
      Status: c.status,
      Running: c.status === 'running',
      ExitCode: c.exitCode,
      StartedAt: c.startedAt.toISOString(),
      FinishedAt: c.finishedAt?.toISOString() ?? '0001-01-01T00:00:00Z',
    },
    Config: { Image: c.spec.image, Cmd: c.spec.command.split(' ') },
    HostConfig: { NetworkMode: 'host' },
  };
}

interface Filter {
  key: string;
  value: string;
}

function parseFilter(text: string): Filter {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`bad format of filter (expected name=value): ${text}`);
  const key = text.slice(0, eq);
  if (!['name', 'status', 'id'].includes(key)) throw new UsageError(`invalid filter '${key}'`);
  return { key, value: text.slice(eq + 1) };
}

/** Docker ORs the values of one filter key and ANDs different keys; `name` is a regular expression. */
function matchesFilters(c: Container, filters: Filter[]): boolean {
  const byKey = new Map<string, string[]>();
  for (const { key, value } of filters) byKey.set(key, [...(byKey.get(key) ?? []), value]);
  return [...byKey].every(([key, values]) =>
    values.some((value) => {
      if (key === 'name') return new RegExp(value).test(c.spec.name);
      if (key === 'status') return c.status === value;
      return c.id.startsWith(value);
    }),
  );
}

/** Go-template subset: `{{.Field}}`, `{{.A.B}}`, `{{json .}}`, `{{json .A}}`. */
function renderTemplate(template: string, data: Record<string, unknown>): string {
  return template.replace(
    /\{\{\s*(json\s+)?\.([\w.]*)\s*\}\}/g,
    (_, json: string | undefined, path: string) => {
      let value: unknown = data;
      for (const key of path.split('.').filter(Boolean)) {
        if (typeof value !== 'object' || value === null || !(key in value)) {
          throw new UsageError(`template: :1: can't evaluate field ${key}`);
        }
        value = (value as Record<string, unknown>)[key];
      }
      if (json) return JSON.stringify(value);
      return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    },
  );
}

/** Like Go's tabwriter as docker uses it: tab-separated cells padded to column width + 3. */
function alignColumns(lines: string[]): string {
  const rows = lines.map((line) => line.split('\t'));
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3))).join(''),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** Docker's human-readable durations ("Less than a second", "About a minute", "5 hours"). */
function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(seconds / 3600);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}

/** Flags with values take the next argument or `--flag=value`; short booleans may be combined (`-aq`). */
function parseArgs(args: string[], booleans: string[], withValues: string[]): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  const add = (flag: string, value: string) => flags.set(flag, [...(flags.get(flag) ?? []), value]);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (withValues.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`flag needs an argument: ${name}`);
      add(name, value);
    } else if (booleans.includes(arg)) {
      add(arg, 'true');
    } else if (/^-[a-zA-Z]{2,}$/.test(arg) && [...arg.slice(1)].every((ch) => booleans.includes(`-${ch}`))) {
      for (const ch of arg.slice(1)) add(`-${ch}`, 'true');
    } else {
      throw new UsageError(`unknown flag: ${arg}`);
    }
  }
  return { flags, positional };
}
