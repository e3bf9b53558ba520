import type { operations } from '../../generated/control';
import { SERVICE_NAMES } from '../config/config';
import type { DomainHandlers, ResponseBody } from '../contract/handler';
import { isoAt } from './clock';

type History = ResponseBody<operations['getConnectivityHistory'], 200>;
type Nodes = ResponseBody<operations['listNodes'], 200>;

const DEFAULT_HISTORY_LIMIT = 200;

/** Control-plane handlers for health monitoring. */
export const healthHandlers: DomainHandlers<operations> = {
  reportHealthEvent: ({ app, body }) => {
    const event = app.health.store.report({
      service: body.service,
      ok: body.ok,
      atMs: app.health.clock.now(),
      source: body.source,
      error: body.error,
      ms: body.ms,
    });
    return { status: 200, body: { ok: true, event } };
  },

  getDeepHealth: async ({ app, query }) => {
    if (query.refresh === true || String(query.refresh) === 'true') await app.health.deep.runAll();
    return { status: 200, body: app.health.deep.snapshot(app) };
  },

  getConnectivityHistory: ({ app, query }) => {
    const limit = query.limit === undefined ? DEFAULT_HISTORY_LIMIT : Number(query.limit);
    const current: History['current'] = {};
    const lastChange: History['last_change'] = {};
    for (const [subject, state] of app.health.store.current()) {
      current[subject] = state.state;
      lastChange[subject] = isoAt(state.sinceMs);
    }
    return {
      status: 200,
      body: {
        // MAC addresses are not read from the nodes (yet): every configured node is listed as unknown.
        macs: Object.fromEntries(app.config.nodes.map((node) => [node.id, null])),
        current,
        last_change: lastChange,
        events: app.health.store.events(limit, query.subject),
      },
    };
  },

  listNodes: async ({ app }) => {
    const { nodes, vllm } = await app.health.resources();
    const body: Nodes = {
      nodes: app.config.nodes.map((node) => {
        const reading = nodes.get(node.id);
        return {
          id: node.id,
          host: node.host,
          roles: node.roles,
          // Before the first poll of a node, a reading taken over SSH is proof enough.
          reachable: (app.health.state(node.id)?.state ?? (reading?.memory ? 'up' : 'down')) === 'up',
          services: SERVICE_NAMES.filter((name) => app.upstreams.service(name).node === node.id),
          memory: reading?.memory ?? null,
          gpu: reading?.gpu ?? null,
          checked_at: reading?.checkedAtMs == null ? null : isoAt(reading.checkedAtMs),
        };
      }),
      vllm,
    };
    return { status: 200, body };
  },
};
