import type { GatewayConfig, ServiceName } from './config/config';
import type { Catalog } from './catalog/catalog';
import type { Domain, Spec } from './contract/specs';
import type { HandlerContext } from './contract/handler';
import type { Logger } from './observability/logger';
import type { Metrics } from './observability/metrics';
import type { Lane } from './upstream/lane';
import type { Upstreams } from './upstream/upstreams';
import type { StateDatabase } from './state/database';
import type { NodeShell } from './ssh/node-shell';

/** Rewrites a proxied JSON body before it goes upstream; returns null to forward the client's bytes. */
export type BodyRewriter = (context: HandlerContext) => Buffer | null;

/** The services every handler and proxy binding works with. */
export interface AppContext {
  config: GatewayConfig;
  logger: Logger;
  metrics: Metrics;
  upstreams: Upstreams;
  lanes: Map<string, Lane>;
  catalog: Catalog;
  specs: Record<Domain, Spec>;
  bodyRewriters: Partial<Record<ServiceName, BodyRewriter>>;
  startedAt: Date;
  /** The durable state (SQLite in the data directory). */
  db: StateDatabase;
  /** A shell on each configured node, by node id (filled by the SSH layer). */
  shells: ReadonlyMap<string, NodeShell>;
}
