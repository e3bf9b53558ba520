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
import type { SshLayer } from './ssh/ssh-layer';
import type { HealthMonitor } from './health/monitor';
import type { SwapManager } from './swap/manager';
import type { SettingsStore } from './swap/settings';

/** Rewrites a proxied JSON body before it goes upstream; returns null to forward the client's bytes. */
export type BodyRewriter = (context: HandlerContext) => Buffer | null;

/** How a proxied call to an upstream went: answered (status < 500), failed in transport, or answered 5xx. */
export type UpstreamOutcome = { ok: true } | { ok: false; code: string; status: number | null };

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
  /** The controller's SSH key and the pinned host keys (the SSH handlers' state). */
  ssh: SshLayer;
  /** Health polls, deep probes and the connectivity history. */
  health: HealthMonitor;
  /** Told how every proxied upstream call went (the health monitor's passive signal). */
  onUpstreamOutcome?: (service: ServiceName, outcome: UpstreamOutcome) => void;
  /** The live settings (`/api/settings`): defaults, environment, then what the API changed. */
  settings?: SettingsStore;
  /** Model swaps, the swap lock and the LLM gate in front of vLLM during a swap. */
  swaps?: SwapManager;
}
