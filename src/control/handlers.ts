import type { operations } from '../../generated/control';
import { SENT, notBuilt, type DomainHandlers, type ResponseBody } from '../contract/handler';
import { DOMAINS, type Domain } from '../contract/specs';
import type { ServiceName } from '../config/config';
import { GatewayError } from '../errors/catalogue';
import { docsPage } from '../docs/docs-page';
import { sshHandlers } from '../ssh/handlers';
import { servicesHandlers } from '../services/handlers';
import { healthHandlers } from '../health/handlers';
import { catalogHandlers } from '../catalog/handlers';
import { swapHandlers } from '../swap/handlers';
import { nodeReachable, serviceStates, type ServiceState } from './status';

function serviceStatus(state: ServiceState): 'healthy' | 'unhealthy' | 'not_configured' | 'disabled' {
  if (!state.baseUrl) return 'not_configured';
  if (state.disabled) return 'disabled';
  return state.probe.ok ? 'healthy' : 'unhealthy';
}

/**
 * Control-domain handlers. Status, discovery, health, metrics and the reference are built here; SSH,
 * services, deep health, the catalog and swaps come from their own folders; the schedule registry
 * and API keys answer 501 until they are built.
 */
export const controlHandlers: DomainHandlers<operations> = {
  getHealth: ({ app }) => ({
    status: 200,
    body: {
      status: 'ok',
      version: app.config.version,
      uptime_s: Math.round((Date.now() - app.startedAt.getTime()) / 1000),
      emulated: app.config.mode === 'emulated',
    },
  }),

  getMetrics: async ({ app, res }) => {
    res.setHeader('Content-Type', app.metrics.registry.contentType);
    res.writeHead(200).end(await app.metrics.registry.metrics());
    return SENT;
  },

  getDocs: ({ res }) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(docsPage());
    return SENT;
  },

  getOpenApiDocument: ({ app, params }) => {
    const domain = params.domain as Domain;
    if (!DOMAINS.includes(domain)) throw new GatewayError('not_found', { detail: `no spec named ${domain}` });
    // The bundled spec is the body, as written by `npm run generate`.
    return {
      status: 200,
      body: app.specs[domain] as unknown as ResponseBody<operations['getOpenApiDocument'], 200>,
    };
  },

  getStatus: async ({ app }) => {
    const [states, reachability] = await Promise.all([
      serviceStates(app),
      Promise.all(app.config.nodes.map((node) => nodeReachable(node))),
    ]);
    const vllm = states.find((state) => state.name === 'vllm')!;
    return {
      status: 200,
      body: {
        mode: app.config.mode,
        emulated: app.config.mode === 'emulated',
        version: app.config.version,
        llm: { model: vllm.model, ready: vllm.probe.ok && vllm.model !== null },
        nodes: app.config.nodes.map((node, index) => ({
          id: node.id,
          host: node.host,
          roles: node.roles,
          reachable: reachability[index] ?? false,
        })),
        services: states.map((state) => ({
          name: state.name,
          node: state.node,
          base_url: state.baseUrl,
          ready: state.probe.ok && !state.disabled,
          status: serviceStatus(state),
          model: state.model,
          latency_ms: state.probe.latencyMs,
        })),
        checked_at: new Date().toISOString(),
      },
    };
  },

  listEndpoints: async ({ app }) => {
    const states = await serviceStates(app);
    const endpoint = (name: ServiceName) => {
      const state = states.find((candidate) => candidate.name === name)!;
      return {
        base_url: state.baseUrl,
        ready: state.probe.ok && !state.disabled,
        model: state.model,
        disabled: state.disabled,
      };
    };
    return {
      status: 200,
      body: {
        mode: app.config.mode,
        endpoints: {
          vllm: endpoint('vllm'),
          parakeet: endpoint('parakeet'),
          kokoro: endpoint('kokoro'),
          embed: endpoint('embed'),
          qdrant: endpoint('qdrant'),
        },
      },
    };
  },

  ...sshHandlers,
  ...servicesHandlers,
  ...healthHandlers,
  ...catalogHandlers,
  ...swapHandlers,
  listSchedule: notBuilt('the schedule registry'),
  registerScheduleEntry: notBuilt('the schedule registry'),
  deleteScheduleEntry: notBuilt('the schedule registry'),
  listApiKeys: notBuilt('API keys'),
  createApiKey: notBuilt('API keys'),
  deleteApiKey: notBuilt('API keys'),
};
