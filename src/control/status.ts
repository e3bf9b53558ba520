import net from 'node:net';
import type { AppContext } from '../app-context';
import { SERVICE_NAMES, type NodeConfig, type ServiceName } from '../config/config';
import { HEALTH_PATHS } from '../upstream/health-paths';
import { getFromService, type ProbeResult } from '../upstream/fetch-json';

const PROBE_TIMEOUT_MS = 1_500;

export interface ServiceState {
  name: ServiceName;
  node: string;
  baseUrl: string | null;
  disabled: boolean;
  probe: ProbeResult;
  model: string | null;
}

/** Whether the node's SSH port accepts a TCP connection. */
export function nodeReachable(node: NodeConfig, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: node.host, port: node.sshPort, timeout: timeoutMs });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function firstModelId(body: unknown): string | null {
  const data = (body as { data?: Array<{ id?: unknown }> } | null)?.data;
  const id = Array.isArray(data) ? data[0]?.id : undefined;
  return typeof id === 'string' ? id : null;
}

/** Probes every service once (health route, and the served model where it has one). */
export async function serviceStates(app: AppContext): Promise<ServiceState[]> {
  return Promise.all(
    SERVICE_NAMES.map(async (name): Promise<ServiceState> => {
      const service = app.upstreams.service(name);
      const probe = await getFromService(app, name, HEALTH_PATHS[name], PROBE_TIMEOUT_MS);
      let model: string | null = null;
      if (probe.ok && name !== 'qdrant') {
        const models = await getFromService(app, name, '/v1/models', PROBE_TIMEOUT_MS);
        model = models.ok ? firstModelId(models.body) : null;
      }
      return {
        name,
        node: service.node,
        baseUrl: app.upstreams.origin(name),
        disabled: service.disabled,
        probe,
        model,
      };
    }),
  );
}
