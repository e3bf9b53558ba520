import type { components } from '../../generated/control';
import type { AppContext } from '../app-context';
import { GatewayError } from '../errors/catalogue';
import { SshError, type NodeShell } from '../ssh/node-shell';
import { gatewayErrorFromSsh } from '../ssh/gateway-errors';
import { exclusively } from './action-lock';
import { firstLine, inspectContainers } from './container-state';
import { serviceTarget, type ServiceTarget, type SupportServiceName } from './support-services';

type ServiceActionResult = components['schemas']['ServiceActionResult'];
export type ServiceAction = ServiceActionResult['action'];

/** docker stop waits 10 s before killing; a slow start or restart of a GPU service gets more. */
const DOCKER_ACTION_TIMEOUT_MS = 180_000;

const DONE: Record<ServiceAction, string> = {
  start: 'was started; it may take a minute to load its models',
  stop: 'was stopped',
  restart: 'was restarted; it may take a minute to load its models',
};

/** `docker start|stop|restart <container>` on the service's node; answers when docker is done. */
export async function controlService(
  app: AppContext,
  name: SupportServiceName,
  action: ServiceAction,
): Promise<ServiceActionResult> {
  const target = reachableTarget(app, name);
  return exclusively(app, name, `${action} in progress`, async () => {
    const started = performance.now();
    const { container } = target.config;
    try {
      const notes: string[] = [];
      if (action !== 'stop') {
        const capNote = await applyMemoryCap(app, target);
        if (capNote) notes.push(capNote);
      }
      const result = await target.shell.run(['docker', action, container], {
        timeoutMs: DOCKER_ACTION_TIMEOUT_MS,
      });
      const state = (await containerStateAfter(target.shell, container)) ?? 'missing';
      const ok = result.exitCode === 0;
      const message = ok
        ? `${container} ${DONE[action]}.`
        : `docker ${action} ${container} failed on ${target.config.node}: ${firstLine(result.stderr) || `exit status ${result.exitCode ?? 'unknown'}`}`;
      app.logger.info({ service: name, action, ok, container_state: state }, 'service action');
      return {
        service: name,
        action,
        ok,
        node: target.config.node,
        container,
        container_state: state,
        took_ms: Math.round(performance.now() - started),
        message: [message, ...notes].join(' ').slice(0, 1024),
      };
    } catch (error) {
      if (error instanceof SshError) throw gatewayErrorFromSsh(error);
      throw error;
    }
  });
}

/** The container's state after an action; a `docker inspect` that fails or answers garbage is a 502. */
async function containerStateAfter(shell: NodeShell, container: string) {
  try {
    return (await inspectContainers(shell, [container])).get(container)?.state;
  } catch (error) {
    if (error instanceof SshError) throw error;
    throw new GatewayError('node_command_failed', { detail: (error as Error).message.slice(0, 1024) });
  }
}

/** The service's target with a shell, or the 503 saying why it cannot be controlled. */
export function reachableTarget(
  app: AppContext,
  name: SupportServiceName,
): ServiceTarget & { shell: NonNullable<ServiceTarget['shell']> } {
  const target = serviceTarget(app, name);
  if (target.config.disabled) {
    throw new GatewayError('service_disabled', { detail: `${name} is disabled (DISABLED_SERVICES)` });
  }
  if (!target.shell) {
    throw new GatewayError('service_disabled', {
      detail: `${name} runs on node ${target.config.node}, which is not in the inventory`,
    });
  }
  return { ...target, shell: target.shell };
}

/** Applies the configured memory cap before the container starts; a failure is reported, not fatal. */
async function applyMemoryCap(app: AppContext, target: ServiceTarget): Promise<string | null> {
  const limit = app.config.serviceControl.memoryLimits[target.name];
  if (!limit || !target.shell) return null;
  const { container } = target.config;
  const result = await target.shell.run(
    ['docker', 'update', '--memory', limit, '--memory-swap', limit, container],
    { timeoutMs: 30_000 },
  );
  if (result.exitCode === 0) return `Memory cap ${limit} applied.`;
  return `The memory cap ${limit} could not be applied: ${firstLine(result.stderr)}.`;
}
