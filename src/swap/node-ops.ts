import type { AppContext } from '../app-context';
import { SshError, type CommandResult, type NodeShell } from '../ssh/node-shell';
import { SwapFailedError } from './types';

const COMMAND_TIMEOUT_MS = 60_000;
const KIB_PER_GIB = 1024 * 1024;

export function shellOf(app: AppContext, nodeId: string): NodeShell {
  const shell = app.shells.get(nodeId);
  if (!shell) throw new SwapFailedError('node_unreachable', `there is no SSH access to ${nodeId} configured`);
  return shell;
}

/** Runs a command; an SSH failure becomes a swap failure naming the node. */
export async function runOn(
  app: AppContext,
  nodeId: string,
  argv: string[],
  timeoutMs = COMMAND_TIMEOUT_MS,
): Promise<CommandResult> {
  try {
    return await shellOf(app, nodeId).run(argv, { timeoutMs });
  } catch (error) {
    if (error instanceof SshError) {
      throw new SwapFailedError(
        'node_unreachable',
        `${nodeId} could not be reached over SSH (${error.message})`,
      );
    }
    throw error;
  }
}

/**
 * Runs a read-only query; an unknown result (no exit status came back) is asked once more, since
 * asking again changes nothing on the node.
 */
export async function query(app: AppContext, nodeId: string, argv: string[]): Promise<CommandResult> {
  const first = await runOn(app, nodeId, argv);
  if (first.exitCode !== null || first.signal !== null) return first;
  return runOn(app, nodeId, argv);
}

/** Containers named exactly `container` on the node, running or not. */
export async function containersNamed(app: AppContext, nodeId: string, container: string): Promise<string[]> {
  const result = await query(app, nodeId, [
    'docker',
    'ps',
    '-a',
    '--filter',
    `name=^${container}$`,
    '--format',
    '{{.Names}} {{.State}}',
  ]);
  if (result.exitCode !== 0) {
    throw new SwapFailedError(
      'docker_failed',
      `docker on ${nodeId} did not answer: ${firstLine(result.stderr)}`,
    );
  }
  return result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.split(' ')[0] === container);
}

export async function containerRunning(app: AppContext, nodeId: string, container: string): Promise<boolean> {
  return (await containersNamed(app, nodeId, container)).some((line) => line.endsWith(' running'));
}

/**
 * Stops and removes the container (a container that is not there is already stopped). Exit codes
 * are not trusted here: `containersNamed` afterwards says whether it is gone.
 */
export async function removeContainer(app: AppContext, nodeId: string, container: string): Promise<void> {
  await runOn(app, nodeId, ['docker', 'stop', '--time', '20', container], 60_000);
  await runOn(app, nodeId, ['docker', 'rm', '-f', container]);
}

/** `MemAvailable` from the kernel, in GiB (the GB10's nvidia-smi cannot report memory). */
export async function memAvailableGiB(app: AppContext, nodeId: string): Promise<number> {
  const result = await query(app, nodeId, ['cat', '/proc/meminfo']);
  const kib = /^MemAvailable:\s+(\d+)\s*kB/m.exec(result.stdout)?.[1];
  if (result.exitCode !== 0 || kib === undefined) {
    throw new SwapFailedError('node_unreachable', `${nodeId} did not report its free memory`);
  }
  return Number(kib) / KIB_PER_GIB;
}

export async function imagePresent(app: AppContext, nodeId: string, image: string): Promise<boolean> {
  const result = await query(app, nodeId, ['docker', 'image', 'inspect', '--format', '{{.Id}}', image]);
  return result.exitCode === 0;
}

export async function weightsPresent(app: AppContext, nodeId: string, dir: string): Promise<boolean> {
  const result = await query(app, nodeId, ['ls', '-1', dir]);
  return result.exitCode === 0 && result.stdout.trim().length > 0;
}

/** The nodes a model with `nodes` placement runs on: the vLLM head first, then workers. */
export function nodesFor(app: AppContext, nodes: number): string[] {
  const head = app.config.services.vllm.node;
  const others = app.config.nodes.filter((node) => node.id !== head);
  const workers = [
    ...others.filter((node) => node.roles.includes('worker') || node.roles.includes('llm')),
    ...others.filter((node) => !node.roles.includes('worker') && !node.roles.includes('llm')),
  ].map((node) => node.id);
  return [head, ...workers].slice(0, nodes);
}

/** Every node a vLLM container could be on (a previous two-node model used the worker too). */
export function allNodes(app: AppContext): string[] {
  const head = app.config.services.vllm.node;
  return [head, ...app.config.nodes.map((node) => node.id).filter((id) => id !== head)];
}

export function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 300) ?? '';
}
