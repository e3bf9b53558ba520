import { createHash } from 'node:crypto';
import type { LogListener } from './log-ring';

/** The process a container runs: an emulated service, started and stopped with its container. */
export interface ContainerProcess {
  start(): Promise<void>;
  stop(): Promise<void>;
  logLines(): string[];
  onLog(listener: LogListener): () => void;
}

export interface ContainerSpec {
  name: string;
  /** Node (SSH host id) the container runs on. */
  node: string;
  image: string;
  /** What `docker ps` shows as COMMAND. */
  command: string;
  process: ContainerProcess;
  /** Time between `docker start` and the process serving (the port refuses meanwhile). Default 0. */
  bootDelayMs?: number;
  /** `docker run --rm`: the container disappears when it stops (the launcher's vllm_node does). */
  autoRemove?: boolean;
}

export type ContainerStatus = 'running' | 'exited';

export interface Container {
  readonly spec: ContainerSpec;
  readonly id: string;
  status: ContainerStatus;
  createdAt: Date;
  startedAt: Date;
  finishedAt: Date | null;
  exitCode: number;
}

export class NoSuchContainerError extends Error {
  constructor(readonly container: string) {
    super(`No such container: ${container}`);
    this.name = 'NoSuchContainerError';
  }
}

/**
 * The containers of the emulated nodes, mapped to the emulated services they run: stopping
 * `parakeet-asr` really takes the parakeet emulator off its port, starting it brings it back.
 */
export class DockerModel {
  private readonly containers = new Map<string, Container>();
  private readonly bootTimers = new Set<NodeJS.Timeout>();
  private readonly exitWaiters = new Map<Container, Set<() => void>>();

  /** Registers a container that is already running (its process was started by the caller). */
  add(spec: ContainerSpec): Container {
    const key = keyOf(spec.node, spec.name);
    if (this.containers.has(key)) throw new Error(`container ${spec.name} already exists on ${spec.node}`);
    const now = new Date();
    const container: Container = {
      spec,
      id: createHash('sha256').update(key).digest('hex'),
      status: 'running',
      createdAt: now,
      startedAt: now,
      finishedAt: null,
      exitCode: 0,
    };
    this.containers.set(key, container);
    return container;
  }

  /** Containers on `node`, in the order they were added. */
  list(node: string): Container[] {
    return [...this.containers.values()].filter((c) => c.spec.node === node);
  }

  /** Finds a container by name (and node, when names repeat across nodes). */
  find(name: string, node?: string): Container {
    if (node !== undefined) {
      const container = this.containers.get(keyOf(node, name));
      if (!container) throw new NoSuchContainerError(name);
      return container;
    }
    const matches = [...this.containers.values()].filter((c) => c.spec.name === name);
    if (matches.length !== 1 || !matches[0]) throw new NoSuchContainerError(name);
    return matches[0];
  }

  async stop(name: string, node?: string): Promise<void> {
    const container = this.find(name, node);
    await this.stopProcess(container);
    if (container.spec.autoRemove) this.containers.delete(keyOf(container.spec.node, container.spec.name));
  }

  /** `docker rm -f`: stops the container if it runs, then forgets it. */
  async remove(name: string, node?: string): Promise<void> {
    const container = this.find(name, node);
    await this.stopProcess(container);
    this.containers.delete(keyOf(container.spec.node, container.spec.name));
  }

  /** Marks the container running at once; its process serves after the boot delay, like a real start. */
  async start(name: string, node?: string): Promise<void> {
    await this.startProcess(this.find(name, node));
  }

  async restart(name: string, node?: string): Promise<void> {
    const container = this.find(name, node);
    await this.stopProcess(container);
    await this.startProcess(container);
  }

  /** Resolves when the container stops (at once if it is not running) or `signal` aborts. */
  waitForExit(container: Container, signal: AbortSignal): Promise<void> {
    if (container.status !== 'running' || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.exitWaiters.get(container) ?? new Set<() => void>();
      this.exitWaiters.set(container, waiters);
      const done = () => {
        waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Cancels pending boots (the cluster is shutting down). */
  dispose(): void {
    for (const timer of this.bootTimers) clearTimeout(timer);
    this.bootTimers.clear();
  }

  private async stopProcess(container: Container): Promise<void> {
    if (container.status !== 'running') return;
    container.status = 'exited';
    container.finishedAt = new Date();
    container.exitCode = 0;
    await container.spec.process.stop();
    for (const waiter of this.exitWaiters.get(container) ?? []) waiter();
    this.exitWaiters.delete(container);
  }

  private async startProcess(container: Container): Promise<void> {
    if (container.status === 'running') return;
    container.status = 'running';
    container.startedAt = new Date();
    container.finishedAt = null;
    const delay = container.spec.bootDelayMs ?? 0;
    if (delay === 0) return this.boot(container);
    const timer = setTimeout(() => {
      this.bootTimers.delete(timer);
      if (container.status === 'running') void this.boot(container);
    }, delay);
    this.bootTimers.add(timer);
  }

  /** Starts the process; a process that cannot start leaves the container exited with status 1. */
  private async boot(container: Container): Promise<void> {
    try {
      await container.spec.process.start();
    } catch {
      container.status = 'exited';
      container.finishedAt = new Date();
      container.exitCode = 1;
    }
  }
}

function keyOf(node: string, name: string): string {
  return `${node}/${name}`;
}
