import type { components } from '../../generated/control';
import type { AppContext } from '../app-context';
import { SshError } from '../ssh/node-shell';
import { inspectContainers, type ContainerInfo } from './container-state';
import { probeService, type ServiceProbe } from './http-probe';
import { SUPPORT_SERVICES, serviceTarget, type SupportServiceName } from './support-services';

type SupportService = components['schemas']['SupportService'];
type ServiceList = components['schemas']['ServiceList'];

/** A running container that does not answer is "starting" for this long after its start, then "unhealthy". */
const STARTING_WINDOW_MS = 10 * 60_000;

/** Every support service: docker state over SSH (one `docker inspect` per node) and an HTTP probe, in parallel. */
export async function listSupportServices(app: AppContext, includeDisabled: boolean): Promise<ServiceList> {
  const targets = SUPPORT_SERVICES.map((name) => serviceTarget(app, name)).filter(
    (t) => includeDisabled || !t.config.disabled,
  );
  const live = targets.filter((t) => !t.config.disabled && t.shell);

  const byNode = new Map<string, string[]>();
  for (const t of live) byNode.set(t.config.node, [...(byNode.get(t.config.node) ?? []), t.config.container]);
  const containers = new Map<string, Map<string, ContainerInfo> | string>();
  const probes = new Map<SupportServiceName, ServiceProbe>();
  await Promise.all([
    ...[...byNode].map(async ([node, names]) => {
      try {
        containers.set(node, await inspectContainers(app.shells.get(node)!, names));
      } catch (error) {
        const reason = error instanceof SshError || error instanceof Error ? error.message : String(error);
        containers.set(node, reason);
      }
    }),
    ...live.map(async (t) => probes.set(t.name, await probeService(app, t.name))),
  ]);

  const services = targets.map((t): SupportService => {
    const { config } = t;
    const base = {
      name: t.name,
      node: config.node,
      host: config.host || null,
      port: config.port,
      container: config.container,
      base_url: app.upstreams.origin(t.name),
      restart_count: 0,
      latency_ms: null,
      disabled: config.disabled,
      model: null,
    };
    if (config.disabled) {
      return {
        ...base,
        ready: false,
        status: 'disabled',
        container_state: 'unknown',
        detail: `${t.name} is disabled (DISABLED_SERVICES).`,
      };
    }
    if (!t.shell || !config.host) {
      return {
        ...base,
        ready: false,
        status: 'not_configured',
        container_state: 'unknown',
        detail: `Node ${config.node} is not configured.`,
      };
    }
    const probe = probes.get(t.name)!;
    const inspected = containers.get(config.node);
    const info = typeof inspected === 'object' ? inspected.get(config.container) : undefined;
    const sshProblem = typeof inspected === 'string' ? inspected : null;
    const withProbe = {
      ...base,
      restart_count: info?.restartCount ?? 0,
      latency_ms: probe.latencyMs,
      model: probe.model,
    };
    const containerState = info?.state ?? 'unknown';
    if (probe.ok) {
      return {
        ...withProbe,
        ready: true,
        status: 'healthy',
        container_state: containerState,
        detail: sshProblem ? `Serving, but its container state is unknown: ${sshProblem}` : null,
      };
    }
    const running = info?.state === 'running' || info?.state === 'restarting';
    const recentlyStarted =
      info?.state === 'restarting' ||
      (info?.startedAt !== null &&
        info?.startedAt !== undefined &&
        Date.now() - info.startedAt.getTime() < STARTING_WINDOW_MS);
    const status = running && recentlyStarted ? 'starting' : 'unhealthy';
    const detail = sshProblem
      ? `It does not answer (${probe.problem}) and its container state is unknown: ${sshProblem}`
      : running
        ? `The container is running but the service does not answer yet (${probe.problem}).`
        : info?.state === 'missing'
          ? `The container ${config.container} does not exist on ${config.node}.`
          : `The container is ${info?.state ?? 'unknown'}; the service does not answer (${probe.problem}).`;
    return {
      ...withProbe,
      ready: false,
      status,
      container_state: containerState,
      detail: detail.slice(0, 1024),
    };
  });
  return { services, checked_at: new Date().toISOString() };
}
