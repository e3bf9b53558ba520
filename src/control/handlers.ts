import type { operations } from '../../generated/control';
import { SENT, notBuilt, type DomainHandlers, type ResponseBody } from '../contract/handler';
import { DOMAINS, type Domain } from '../contract/specs';
import type { ServiceName } from '../config/config';
import { GatewayError } from '../errors/catalogue';
import { docsPage } from '../docs/docs-page';
import { nodeReachable, serviceStates, type ServiceState } from './status';

const CONTROL_PLANE = 'the cluster control plane';

function serviceStatus(state: ServiceState): 'healthy' | 'unhealthy' | 'not_configured' | 'disabled' {
  if (!state.baseUrl) return 'not_configured';
  if (state.disabled) return 'disabled';
  return state.probe.ok ? 'healthy' : 'unhealthy';
}

/**
 * Control-domain handlers. Status, discovery, health, metrics and the reference are built here;
 * the rest of the control plane (SSH, catalog, swaps, services, settings) answers 501 until it is.
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

  listServices: notBuilt(CONTROL_PLANE),
  controlService: notBuilt(CONTROL_PLANE),
  reportHealthEvent: notBuilt(CONTROL_PLANE),
  getDeepHealth: notBuilt(CONTROL_PLANE),
  getConnectivityHistory: notBuilt(CONTROL_PLANE),
  listNodes: notBuilt(CONTROL_PLANE),
  listCatalogModels: notBuilt(CONTROL_PLANE),
  addCatalogModel: notBuilt(CONTROL_PLANE),
  suggestCatalogModels: notBuilt(CONTROL_PLANE),
  deleteCatalogModel: notBuilt(CONTROL_PLANE),
  startModelDownload: notBuilt(CONTROL_PLANE),
  getDownloadJob: notBuilt(CONTROL_PLANE),
  startSwap: notBuilt(CONTROL_PLANE),
  listSwaps: notBuilt(CONTROL_PLANE),
  getSwapJob: notBuilt(CONTROL_PLANE),
  streamSwapEvents: notBuilt(CONTROL_PLANE),
  rollbackSwap: notBuilt(CONTROL_PLANE),
  getSwapLock: notBuilt(CONTROL_PLANE),
  acquireSwapLock: notBuilt(CONTROL_PLANE),
  releaseSwapLock: notBuilt(CONTROL_PLANE),
  listSchedule: notBuilt(CONTROL_PLANE),
  registerScheduleEntry: notBuilt(CONTROL_PLANE),
  deleteScheduleEntry: notBuilt(CONTROL_PLANE),
  getSettings: notBuilt(CONTROL_PLANE),
  updateSettings: notBuilt(CONTROL_PLANE),
  reapplySpeechPatches: notBuilt(CONTROL_PLANE),
  getSshPublicKey: notBuilt(CONTROL_PLANE),
  repinHostKey: notBuilt(CONTROL_PLANE),
  listApiKeys: notBuilt('API keys'),
  createApiKey: notBuilt('API keys'),
  deleteApiKey: notBuilt('API keys'),
};
