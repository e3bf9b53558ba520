import type { NodeShell } from '../ssh/node-shell';

export type ContainerState = 'running' | 'restarting' | 'paused' | 'exited' | 'created' | 'dead' | 'missing';

export interface ContainerInfo {
  state: ContainerState;
  restartCount: number;
  startedAt: Date | null;
}

const KNOWN_STATES = new Set(['running', 'restarting', 'paused', 'exited', 'created', 'dead']);

/**
 * The docker state of some containers on one node, from one `docker inspect` over SSH. Containers
 * docker does not know are `missing`. Rejects with `SshError` when the node cannot be reached.
 */
export async function inspectContainers(
  shell: NodeShell,
  names: readonly string[],
  timeoutMs = 15_000,
): Promise<Map<string, ContainerInfo>> {
  const result = await shell.run(['docker', 'inspect', '--type', 'container', ...names], { timeoutMs });
  let objects: unknown;
  try {
    objects = JSON.parse(result.stdout || '[]');
  } catch {
    throw new Error(
      `docker inspect on ${shell.nodeId} answered something else than JSON: ${firstLine(result.stderr || result.stdout)}`,
    );
  }
  if (!Array.isArray(objects)) throw new Error(`docker inspect on ${shell.nodeId} did not answer a list`);
  if (result.exitCode !== 0 && objects.length === 0 && !/no such (object|container)/i.test(result.stderr)) {
    throw new Error(`docker inspect on ${shell.nodeId} failed: ${firstLine(result.stderr)}`);
  }
  const found = new Map<string, ContainerInfo>();
  for (const object of objects as Record<string, unknown>[]) {
    const name = String(object.Name ?? '').replace(/^\//, '');
    const state = (object.State ?? {}) as Record<string, unknown>;
    const status = String(state.Status ?? '');
    const started = typeof state.StartedAt === 'string' ? new Date(state.StartedAt) : null;
    found.set(name, {
      state: KNOWN_STATES.has(status) ? (status as ContainerState) : 'dead',
      restartCount: Number.isInteger(object.RestartCount) ? Math.max(0, object.RestartCount as number) : 0,
      startedAt: started && !Number.isNaN(started.getTime()) && started.getUTCFullYear() > 1 ? started : null,
    });
  }
  return new Map(
    names.map((name) => [name, found.get(name) ?? { state: 'missing', restartCount: 0, startedAt: null }]),
  );
}

export function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 300) ?? '';
}
