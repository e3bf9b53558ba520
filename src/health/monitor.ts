import type { AppContext, UpstreamOutcome } from '../app-context';
import { SERVICE_NAMES, type GatewayConfig, type NodeConfig, type ServiceName } from '../config/config';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { StateDatabase } from '../state/database';
import { callService } from './call-service';
import { HEALTH_PATHS } from '../upstream/health-paths';
import { systemClock, type Clock } from './clock';
import { DeepHealth } from './deep-health';
import { readNode, type NodeReading } from './node-readings';
import { hostReachable, reachabilityPort } from './node-reachability';
import { repeat, type Repeater } from './repeat';
import { HealthStore, type Observation, type UpDown } from './store';
import { classifyVllm, VllmActivityCheck } from './vllm-activity';
import { parseVllmMetrics, VllmThroughput, type VllmFigures } from './vllm-metrics';

/** A failed probe that is not a refused connection (a timeout, a 5xx) counts after this many in a row. */
const SOFT_FAILURES_BEFORE_DOWN = 2;

/** What a proxied call's transport failure (its catalogue code) says about the service. */
const TRAFFIC_FAILURES: Record<string, string> = {
  upstream_unavailable: 'connection refused to a proxied call',
  upstream_reset: 'connection reset during a proxied call',
  upstream_timeout: 'a proxied call timed out',
};

export interface SubjectState {
  state: UpDown;
  /** vLLM only: no model loaded. */
  idle: boolean;
  detail: string | null;
  latencyMs: number | null;
  checkedAtMs: number;
}

export interface NodeSnapshot extends NodeReading {
  checkedAtMs: number | null;
}

export interface HealthMonitorOptions {
  clock?: Clock;
}

/**
 * Watches every node and service: cheap probes every second or two, passive signals from proxied
 * traffic, node resources and vLLM metrics on a slower cadence, and deep (real inference) probes.
 * Every up/down change lands in the connectivity history.
 */
export class HealthMonitor {
  readonly store: HealthStore;
  readonly clock: Clock;
  readonly deep: DeepHealth;
  private app: AppContext | null = null;
  private readonly config: GatewayConfig;
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly states = new Map<string, SubjectState>();
  private readonly softFailures = new Map<ServiceName, { count: number; sinceMs: number }>();
  private readonly wedged = new Map<ServiceName, string>();
  private readonly nodes = new Map<string, NodeSnapshot>();
  private readonly throughput = new VllmThroughput();
  private vllmFigures: VllmFigures | null = null;
  private readonly activity: VllmActivityCheck;
  private repeaters: Repeater[] = [];
  private resourcesPass: Promise<void> | null = null;
  private vllmCheck: Promise<void> | null = null;

  constructor(
    config: GatewayConfig,
    db: StateDatabase,
    logger: Logger,
    metrics: Metrics,
    options: HealthMonitorOptions = {},
  ) {
    this.config = config;
    this.logger = logger;
    this.metrics = metrics;
    this.clock = options.clock ?? systemClock;
    this.store = new HealthStore(db);
    this.activity = new VllmActivityCheck(() => this.clock.now());
    this.deep = new DeepHealth(this.store, this.clock, config.health, {
      markWedged: (service, detail) => this.markWedged(service, detail),
      clearWedged: (service) => this.wedged.delete(service),
      vllmActivity: (app) => this.activity.get(app),
    });
    for (const [subject, current] of this.store.current()) {
      this.states.set(subject, {
        state: current.state,
        idle: false,
        detail: null,
        latencyMs: null,
        checkedAtMs: 0,
      });
    }
  }

  /** Starts the pollers (timers are unref'd; `stop()` ends them). */
  start(app: AppContext): void {
    this.app = app;
    const { pollIntervalMs, resourcesIntervalMs } = this.config.health;
    // The first probes are spread over a second rather than fired together.
    const checks = [
      ...SERVICE_NAMES.map((name) => () => this.checkService(name)),
      ...this.config.nodes.map((node) => () => this.checkNode(node)),
    ];
    const spacingMs = Math.min(pollIntervalMs, 1_000) / checks.length;
    checks.forEach((check, index) => this.repeaters.push(repeat(pollIntervalMs, index * spacingMs, check)));
    // The first reading is taken when first asked for (`resources()`) or after one interval.
    this.repeaters.push(repeat(resourcesIntervalMs, resourcesIntervalMs, () => this.readResources()));
    this.deep.start(app);
  }

  stop(): void {
    this.app = null;
    for (const repeater of this.repeaters) repeater.stop();
    this.repeaters = [];
    this.deep.stop();
  }

  state(subject: string): SubjectState | undefined {
    return this.states.get(subject);
  }

  /** Passive signal from a proxied call: a transport failure marks the service down at once, an answer marks it up. */
  observeTraffic(service: ServiceName, outcome: UpstreamOutcome): void {
    const app = this.app;
    if (!app) return;
    const now = this.clock.now();
    if (outcome.ok) {
      if (this.states.get(service)?.state !== 'up' && !this.wedged.has(service)) {
        this.apply({ subject: service, state: 'up', atMs: now, source: 'traffic' }, false);
      }
      return;
    }
    if (outcome.status !== null) {
      // A 5xx from a speech or embedding process is how a wedge shows: confirm it with a deep probe now.
      if (service !== 'vllm' && service !== 'qdrant') this.deep.probeSoon(service);
      return;
    }
    if (service === 'vllm') {
      // Refusals are normal while no model is loaded: let the classifier decide.
      this.checkVllmNow();
      return;
    }
    this.apply(
      {
        subject: service,
        state: 'down',
        atMs: now,
        source: 'traffic',
        detail: TRAFFIC_FAILURES[outcome.code] ?? `a proxied call failed (${outcome.code})`,
      },
      false,
    );
  }

  /** Node readings and vLLM metrics as last read; the first call waits for a first reading. */
  async resources(): Promise<{ nodes: Map<string, NodeSnapshot>; vllm: VllmFigures | null }> {
    if (this.nodes.size === 0 && this.config.nodes.length > 0) await this.readResources();
    return { nodes: this.nodes, vllm: this.vllmFigures };
  }

  private checkVllmNow(): void {
    this.vllmCheck ??= this.checkService('vllm').finally(() => {
      this.vllmCheck = null;
    });
  }

  private probeTimeoutMs(): number {
    return Math.max(1_000, Math.round(this.config.health.pollIntervalMs * 1.5));
  }

  private async checkService(name: ServiceName): Promise<void> {
    const app = this.app;
    if (!app || app.upstreams.service(name).disabled) return;
    const atMs = this.clock.now();
    const result = await callService(app, name, {
      path: HEALTH_PATHS[name],
      timeoutMs: this.probeTimeoutMs(),
    });
    if (!this.app) return;
    let state: UpDown = result.ok ? 'up' : 'down';
    let idle = false;
    let detail = result.error;
    if (name === 'vllm') {
      const health = classifyVllm(result.ok, result.ok ? 'idle' : await this.activity.get(app), result.error);
      ({ state, idle, detail } = health);
    }
    // A process that stopped listening was restarted or stopped: whatever wedged it is gone.
    if (result.refused) this.wedged.delete(name);
    const wedge = this.wedged.get(name);
    if (state === 'up' && wedge) {
      state = 'down';
      detail = wedge;
    }
    let downAtMs = atMs;
    if (state === 'down' && !result.ok && !result.refused && !wedge) {
      // A slow or failing answer may be a blip while the GPU is busy; a refusal is never one.
      const streak = this.softFailures.get(name) ?? { count: 0, sinceMs: atMs };
      streak.count += 1;
      this.softFailures.set(name, streak);
      if (streak.count < SOFT_FAILURES_BEFORE_DOWN) return;
      downAtMs = streak.sinceMs;
    } else {
      this.softFailures.delete(name);
    }
    this.apply(
      {
        subject: name,
        state,
        atMs: state === 'down' ? downAtMs : atMs,
        source: 'poll',
        detail,
        latencyMs: result.ok ? result.latencyMs : null,
      },
      idle,
    );
  }

  private async checkNode(node: NodeConfig): Promise<void> {
    const atMs = this.clock.now();
    const port = reachabilityPort(node, this.config.services);
    const { reachable, detail } = await hostReachable(node.host, port, this.probeTimeoutMs());
    if (!this.app) return;
    this.apply({ subject: node.id, state: reachable ? 'up' : 'down', atMs, source: 'poll', detail }, false);
  }

  private markWedged(service: ServiceName, detail: string): void {
    const text = `wedged: ${detail}`;
    this.wedged.set(service, text);
    this.apply(
      { subject: service, state: 'down', atMs: this.clock.now(), source: 'deep-health', detail: text },
      false,
    );
  }

  private apply(observation: Observation, idle: boolean): void {
    const previous = this.states.get(observation.subject);
    this.states.set(observation.subject, {
      state: observation.state,
      idle,
      detail: observation.detail ?? null,
      latencyMs: observation.latencyMs ?? null,
      checkedAtMs: observation.atMs,
    });
    const value = observation.state === 'up' ? 1 : 0;
    if ((SERVICE_NAMES as readonly string[]).includes(observation.subject)) {
      this.metrics.serviceUp.set({ service: observation.subject }, value);
    } else {
      this.metrics.nodeUp.set({ node: observation.subject }, value);
    }
    if (previous?.state === observation.state) return;
    try {
      const event = this.store.observe(observation);
      if (event) this.logger.info({ health: event }, `${observation.subject} is ${observation.state}`);
    } catch (error) {
      // The database closes before the last probes settle on shutdown.
      if (this.app) this.logger.error({ err: error }, 'could not record a health transition');
    }
  }

  private readResources(): Promise<void> {
    this.resourcesPass ??= this.readResourcesOnce().finally(() => {
      this.resourcesPass = null;
    });
    return this.resourcesPass;
  }

  private async readResourcesOnce(): Promise<void> {
    const app = this.app;
    if (!app) return;
    const timeoutMs = Math.max(2_000, this.config.health.resourcesIntervalMs);
    await Promise.all([
      ...this.config.nodes.map(async (node) => {
        const shell = app.shells.get(node.id);
        const atMs = this.clock.now();
        if (!shell || this.states.get(node.id)?.state === 'down') {
          this.nodes.set(node.id, { memory: null, gpu: null, checkedAtMs: shell ? atMs : null });
          return;
        }
        try {
          this.nodes.set(node.id, { ...(await readNode(shell, timeoutMs)), checkedAtMs: atMs });
        } catch (error) {
          this.logger.debug({ err: error, node: node.id }, 'node readings failed');
          this.nodes.set(node.id, { memory: null, gpu: null, checkedAtMs: atMs });
        }
      }),
      this.readVllmMetrics(app, timeoutMs),
    ]);
  }

  private async readVllmMetrics(app: AppContext, timeoutMs: number): Promise<void> {
    const vllm = this.states.get('vllm');
    if (app.upstreams.service('vllm').disabled || !vllm || vllm.state !== 'up' || vllm.idle) {
      this.throughput.clear();
      this.vllmFigures = null;
      return;
    }
    const atMs = this.clock.now();
    const result = await callService(app, 'vllm', { path: '/metrics', timeoutMs });
    if (!result.ok || !Buffer.isBuffer(result.body)) {
      this.vllmFigures = null;
      return;
    }
    this.throughput.add(parseVllmMetrics(result.body.toString('utf8'), atMs));
    this.vllmFigures = this.throughput.figures('');
  }
}
