import { createHash } from 'node:crypto';
import type { CommandIo, CommandRegistry } from './command-registry';
import type { DockerCli } from './docker-cli';
import { eachContainer } from './each-container';
import { NoSuchContainerError, type ContainerProcess, type DockerModel } from './docker-model';
import type { LogListener } from './log-ring';
import type { LoadSpec, VllmEmulator } from './vllm';

/** The launcher script of spark-vllm-docker, as the control plane calls it on the head node. */
export const LAUNCHER_PROGRAM = 'launch-cluster.sh';
export const LAUNCHER_CONTAINER = 'vllm_node';
const LOG_LINES_KEPT = 2_000;

export interface EmulatedLauncherOptions {
  docker: DockerModel;
  vllm: VllmEmulator;
  /** The node the launcher runs on and vLLM's API server lives on. */
  head: string;
  /** The other nodes a multi-node model uses, in rank order. */
  workers: string[];
  commands: Record<string, CommandRegistry>;
  dockerCli: Record<string, DockerCli>;
  /** Duration of a launched load unless `loadDelays` names the served model. */
  loadDelayMs?: number;
  /** Whether a node holds an HF repo's weights (the cluster's model store); every repo when absent. */
  weightsOnDisk?: (node: string, repo: string) => boolean;
}

/** One launcher or `docker run` call that started a vLLM load, for tests to inspect. */
export interface LaunchRecord {
  node: string;
  argv: string[];
  spec: LoadSpec;
  at: Date;
}

/**
 * Makes the emulated nodes launch vLLM the way spark-vllm-docker does: `launch-cluster.sh -d …
 * exec vllm serve …` starts the `vllm_node` container(s) and a detached load in the emulated vLLM
 * (the SSH session may end; the load goes on), `stop` removes the containers and really unloads.
 * Also the docker pieces a swap uses: `run -d`, `rm -f`, `image inspect`, and a weights listing.
 */
export class EmulatedLauncher {
  loadDelayMs: number;
  /** Load duration per served model name, overriding `loadDelayMs`. */
  readonly loadDelays = new Map<string, number>();
  /** The next launched load fails the way a misconfigured engine does. */
  failNextLoad = false;
  /** Images present on each node (`docker image inspect`). */
  readonly images: Record<string, Set<string>> = {};
  readonly launches: LaunchRecord[] = [];

  private readonly options: EmulatedLauncherOptions;

  constructor(options: EmulatedLauncherOptions) {
    this.options = options;
    this.loadDelayMs = options.loadDelayMs ?? 0;
    for (const node of [options.head, ...options.workers]) {
      this.images[node] = new Set(['vllm-node', 'vllm-node-mxfp4', 'vllm-node-b12x']);
    }
  }

  /** Registers the launcher on the head node and the docker subcommands and `ls` on every node. */
  install(): this {
    const { head, commands, dockerCli } = this.options;
    commands[head]?.register(LAUNCHER_PROGRAM, (io) => this.launcher(io));
    for (const [node, cli] of Object.entries(dockerCli)) {
      cli.register('rm', (args, io) => this.rm(node, args, io));
      cli.register('image', (args, io) => this.image(node, args, io));
      cli.register('run', (args, io) => this.run(node, args, io));
    }
    for (const [node, registry] of Object.entries(commands)) {
      if (!registry.has('ls')) registry.register('ls', (io) => this.ls(node, io));
    }
    return this;
  }

  // ---- launch-cluster.sh ------------------------------------------------------------------------

  private async launcher(io: CommandIo): Promise<number> {
    const { head, workers, docker } = this.options;
    const args = io.argv.slice(1);
    let daemon = false;
    let solo = false;
    let image = 'vllm-node';
    let name = LAUNCHER_CONTAINER;
    let action: string | undefined;
    let i = 0;
    for (; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '-d') daemon = true;
      else if (arg === '--solo') solo = true;
      else if (arg === '-t') image = args[++i] ?? image;
      else if (arg === '--name') name = args[++i] ?? name;
      else if (['--apply-mod', '-e', '-n', '--nodes', '-v', '--master-port'].includes(arg)) i++;
      else if (arg.startsWith('-')) continue;
      else {
        action = arg;
        break;
      }
    }
    const command = args.slice(i + 1);
    const nodes = solo ? [head] : [head, ...workers];
    io.stdout(`Head node: ${head}\nContainer: ${name}\nImage: ${image}\n`);
    if (action === 'stop') {
      io.stdout('Stopping cluster...\n');
      for (const node of [head, ...workers]) await this.removeIfPresent(name, node);
      io.stdout('Cluster stopped.\n');
      return 0;
    }
    if (action === 'status') {
      for (const node of [head, ...workers]) {
        const running = docker.list(node).some((c) => c.spec.name === name && c.status === 'running');
        io.stdout(`${node}: ${running ? 'running' : 'not running'}\n`);
      }
      return 0;
    }
    if (action !== 'exec' && action !== 'start') {
      io.stderr(
        `Unknown action: ${action ?? '(none)'}\nUsage: launch-cluster.sh [options] start|stop|status|exec <command>\n`,
      );
      return 1;
    }
    const running = docker.list(head).some((c) => c.spec.name === name && c.status === 'running');
    if (running) {
      io.stdout('Cluster containers are already running. Skipping launch.\n');
    } else {
      for (const node of nodes) {
        if (!this.images[node]?.has(image)) {
          io.stderr(`Error: image ${image} not found on ${node}. Copy it with build-and-copy.sh -c.\n`);
          return 1;
        }
      }
      io.stdout('Starting Head Node...\n');
      await this.createContainer(head, name, image, this.headProcess());
      for (const [rank, node] of nodes.slice(1).entries()) {
        io.stdout(`Launching worker (rank ${rank + 1})...\n`);
        await this.createContainer(node, name, image, idleProcess());
      }
    }
    if (action === 'start') return 0;
    const spec = vllmServeSpec(command);
    if (!spec) {
      io.stderr(`launch-cluster.sh: only "vllm serve" commands are emulated (got: ${command.join(' ')})\n`);
      return 1;
    }
    io.stdout('Executing command on head node (rank 0)...\n');
    await this.startLoad(head, io.argv, spec);
    if (daemon) {
      io.stdout('Command dispatched in background (Daemon mode)\n');
      return 0;
    }
    // In the foreground the launcher's exit trap stops the cluster when its session ends.
    const container = docker.find(name, head);
    const unsubscribe = container.spec.process.onLog((line) => io.stdout(`${line}\n`));
    await docker.waitForExit(container, io.signal);
    unsubscribe();
    io.stdout('Stopping cluster...\n');
    for (const node of nodes) await this.removeIfPresent(name, node);
    return 130;
  }

  // ---- docker subcommands -----------------------------------------------------------------------

  private async rm(node: string, args: string[], io: CommandIo): Promise<number> {
    const force = args.some((a) => a === '-f' || a === '--force');
    const names = args.filter((a) => !a.startsWith('-'));
    if (names.length === 0) {
      io.stderr('"docker rm" requires at least 1 argument.\n');
      return 1;
    }
    return eachContainer(names, io, async (name) => {
      const container = this.options.docker.find(name, node);
      if (container.status === 'running' && !force) {
        io.stderr(
          `Error response from daemon: cannot remove container "/${name}": container is running: stop the container before removing or force remove\n`,
        );
        return false;
      }
      await this.options.docker.remove(name, node);
    });
  }

  private image(node: string, args: string[], io: CommandIo): number {
    const [verb, ...rest] = args;
    if (verb !== 'inspect') {
      io.stderr(`docker image: '${verb ?? ''}' is not emulated\n`);
      return 1;
    }
    let format: string | undefined;
    const names: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i]!;
      if (arg === '-f' || arg === '--format') format = rest[++i];
      else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
      else names.push(arg);
    }
    let status = 0;
    const found: Record<string, unknown>[] = [];
    for (const name of names) {
      if (!this.images[node]?.has(name.replace(/:latest$/, ''))) {
        io.stderr(`Error response from daemon: No such image: ${name}\n`);
        status = 1;
        continue;
      }
      const id = `sha256:${createHash('sha256').update(name).digest('hex')}`;
      found.push({ Id: id, RepoTags: [`${name}:latest`] });
    }
    if (format === undefined) io.stdout(`${JSON.stringify(found, null, 4)}\n`);
    else
      for (const image of found)
        io.stdout(`${format.includes('.Id') ? String(image.Id) : JSON.stringify(image)}\n`);
    return status;
  }

  /** `docker run`: a `vllm serve` command on the head node loads the model; anything else idles. */
  private async run(node: string, args: string[], io: CommandIo): Promise<number> {
    const withValue = [
      '--name',
      '-e',
      '--env',
      '-v',
      '--volume',
      '--network',
      '--ipc',
      '--gpus',
      '--ulimit',
      '--shm-size',
      '-p',
      '--memory',
      '--entrypoint',
      '-w',
    ];
    let detached = false;
    let name: string | null = null;
    let i = 0;
    for (; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '-d' || arg === '--detach') detached = true;
      else if (arg === '--name') name = args[++i] ?? null;
      else if (arg.startsWith('--name=')) name = arg.slice('--name='.length);
      else if (withValue.includes(arg)) i++;
      else if (!arg.startsWith('-')) break;
    }
    const image = args[i];
    if (image === undefined) {
      io.stderr('"docker run" requires at least 1 argument.\n');
      return 125;
    }
    if (!this.images[node]?.has(image.replace(/:latest$/, ''))) {
      io.stderr(
        `Unable to find image '${image}:latest' locally\ndocker: Error response from daemon: pull access denied for ${image}.\n`,
      );
      return 125;
    }
    const containerName = name ?? `emulated_${this.launches.length}`;
    if (this.options.docker.list(node).some((c) => c.spec.name === containerName)) {
      io.stderr(
        `docker: Error response from daemon: Conflict. The container name "/${containerName}" is already in use.\n`,
      );
      return 125;
    }
    const command = args.slice(i + 1);
    const spec = node === this.options.head ? vllmServeSpec(command) : null;
    const container = await this.createContainer(
      node,
      containerName,
      image,
      spec ? this.headProcess() : idleProcess(),
    );
    if (spec) await this.startLoad(node, io.argv, spec);
    io.stdout(`${container.id}\n`);
    if (detached) return 0;
    const unsubscribe = container.spec.process.onLog((line) => io.stdout(`${line}\n`));
    await this.options.docker.waitForExit(container, io.signal);
    unsubscribe();
    if (io.signal.aborted) await this.removeIfPresent(containerName, node);
    return 0;
  }

  // ---- weights ----------------------------------------------------------------------------------

  /** `ls` of a model directory: the HF cache's snapshots of a repo (from the model store), or a local path. */
  private ls(node: string, io: CommandIo): number {
    const paths = io.argv.slice(1).filter((a) => !a.startsWith('-'));
    let status = 0;
    for (const path of paths) {
      const repo = /(?:^|\/)hub\/models--([^/]+?)--([^/]+)\/snapshots\/?$/.exec(path);
      const name = repo ? `${repo[1]}/${repo[2]}` : null;
      const present =
        name !== null ? (this.options.weightsOnDisk?.(node, name) ?? true) : path.startsWith('/');
      if (!present) {
        io.stderr(`ls: cannot access '${path}': No such file or directory\n`);
        status = 2;
        continue;
      }
      io.stdout(
        name ? `${createHash('sha1').update(name).digest('hex')}\n` : 'config.json\nmodel.safetensors\n',
      );
    }
    return status;
  }

  // ---- containers -------------------------------------------------------------------------------

  private async createContainer(node: string, name: string, image: string, process: ContainerProcess) {
    await this.removeIfPresent(name, node);
    return this.options.docker.add({
      name,
      node,
      image,
      command: 'sleep infinity',
      process,
      autoRemove: true,
    });
  }

  private async removeIfPresent(name: string, node: string): Promise<void> {
    try {
      await this.options.docker.remove(name, node);
    } catch (error) {
      if (!(error instanceof NoSuchContainerError)) throw error;
    }
  }

  private async startLoad(node: string, argv: string[], served: ServeArgs): Promise<void> {
    const spec: LoadSpec = {
      ...served,
      loadDelayMs: this.loadDelays.get(served.servedName) ?? this.loadDelayMs,
      ...(this.failNextLoad ? { failLoad: 'engine-init' as const } : {}),
    };
    this.failNextLoad = false;
    this.launches.push({ node, argv: [...argv], spec, at: new Date() });
    // Detached from the caller: the load goes on whatever happens to the SSH session.
    await this.options.vllm.loadModel(spec);
  }

  /**
   * The head container: PID 1 idles, vLLM runs inside it. Its log is what vLLM printed since the
   * container was created; removing it really unloads the model.
   */
  private headProcess(): ContainerProcess {
    const { vllm } = this.options;
    const lines: string[] = [];
    const listeners = new Set<LogListener>();
    const unsubscribe = vllm.onLog((line) => {
      lines.push(line);
      if (lines.length > LOG_LINES_KEPT) lines.splice(0, lines.length - LOG_LINES_KEPT);
      for (const listener of listeners) listener(line);
    });
    return {
      start: async () => undefined,
      stop: async () => {
        unsubscribe();
        await vllm.unload();
      },
      logLines: () => [...lines],
      onLog: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
  }
}

type ServeArgs = Omit<LoadSpec, 'loadDelayMs' | 'failLoad'>;

/** The model a `vllm serve <model> [--served-model-name a b …] [--max-model-len n] …` command loads. */
export function vllmServeSpec(command: string[]): ServeArgs | null {
  if (command[0] !== 'vllm' || command[1] !== 'serve' || !command[2] || command[2].startsWith('-'))
    return null;
  const root = command[2];
  const names: string[] = [];
  let maxModelLen: number | undefined;
  for (let i = 3; i < command.length; i++) {
    const arg = command[i]!;
    if (arg === '--served-model-name') {
      while (command[i + 1] !== undefined && !command[i + 1]!.startsWith('--')) names.push(command[++i]!);
    } else if (arg === '--max-model-len') {
      const value = Number(command[++i]);
      if (Number.isInteger(value) && value > 0) maxModelLen = value;
    }
  }
  const [servedName = root, ...aliases] = names;
  return { servedName, aliases, root, ...(maxModelLen ? { maxModelLen } : {}) };
}

function idleProcess(): ContainerProcess {
  return {
    start: async () => undefined,
    stop: async () => undefined,
    logLines: () => [],
    onLog: () => () => undefined,
  };
}
