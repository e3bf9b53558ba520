import type { AppContext } from '../app-context';
import { SERVICE_NAMES, type HealthConfig, type ServiceName } from '../config/config';
import { callService } from './call-service';
import { isoAt, type Clock } from './clock';
import { PROBE_KINDS, runDeepProbe, type DeepOutcome } from './deep-probes';
import { HEALTH_PATHS } from '../upstream/health-paths';
import { exclusively } from '../services/action-lock';
import { GatewayError } from '../errors/catalogue';
import { decideRestart, restartWindow } from './restart-policy';
import { repeat, type Repeater } from './repeat';
import type { HealthStore } from './store';
import type { VllmActivity } from './vllm-activity';

/** What the deep prober needs from the monitor. */
export interface DeepHealthHooks {
  markWedged(service: ServiceName, detail: string): void;
  clearWedged(service: ServiceName): void;
  vllmActivity(app: AppContext): Promise<VllmActivity>;
}

interface LastResult {
  ok: boolean | null;
  idle: boolean;
  checkedAtMs: number | null;
  latencyMs: number | null;
  detail: string | null;
}

const PROBE_TIMEOUT_MS = 60_000;
const RESTART_TIMEOUT_MS = 120_000;
/** A burst of 5xx answers triggers one deep probe, not one per request. */
const TRIGGERED_PROBE_SPACING_MS = 10_000;

/**
 * Deep health: a real inference probe per service on a slow cadence (and on demand), and the
 * wedge-restart policy. A service whose deep probe fails while its cheap probe passes is wedged
 * (the process answers `/health` but cannot do its work): it is restarted over SSH, within limits.
 * vLLM is never restarted here: bringing a model back is a swap's job.
 */
export class DeepHealth {
  private app: AppContext | null = null;
  private readonly results = new Map<ServiceName, LastResult>();
  private readonly bootMs: number;
  private round: Promise<void> = Promise.resolve();
  private lastRunAtMs: number | null = null;
  private nextRunAtMs: number | null = null;
  private repeater: Repeater | null = null;
  private readonly triggeredAtMs = new Map<ServiceName, number>();

  constructor(
    private readonly store: HealthStore,
    private readonly clock: Clock,
    private readonly config: HealthConfig,
    private readonly hooks: DeepHealthHooks,
  ) {
    this.bootMs = clock.now();
  }

  start(app: AppContext): void {
    this.app = app;
    if (!this.config.deepEnabled) return;
    const intervalMs = this.config.deepIntervalS * 1000;
    // The first round waits a whole interval: services are often still loading right after a boot,
    // and nothing could be restarted in the first minute anyway.
    this.nextRunAtMs = this.clock.now() + intervalMs;
    this.repeater = repeat(intervalMs, intervalMs, () => this.runAll());
  }

  stop(): void {
    this.repeater?.stop();
    this.repeater = null;
    this.app = null;
  }

  /** Probes every enabled service now (after any round already running). */
  runAll(): Promise<void> {
    const next = this.round.then(async () => {
      const app = this.app;
      if (!app) return;
      const startedMs = this.clock.now();
      await Promise.all(
        SERVICE_NAMES.filter((name) => !app.upstreams.service(name).disabled).map((name) =>
          this.probe(app, name),
        ),
      );
      this.lastRunAtMs = startedMs;
      if (this.repeater) this.nextRunAtMs = startedMs + this.config.deepIntervalS * 1000;
    });
    this.round = next.catch(() => undefined);
    return next;
  }

  /** A deep probe of one service soon, unless one ran for it in the last few seconds. */
  probeSoon(service: ServiceName): void {
    const app = this.app;
    if (!app || !this.config.deepEnabled) return;
    const now = this.clock.now();
    const last = this.triggeredAtMs.get(service);
    if (last !== undefined && now - last < TRIGGERED_PROBE_SPACING_MS) return;
    this.triggeredAtMs.set(service, now);
    this.round = this.round
      .then(() => (this.app ? this.probe(this.app, service) : undefined))
      .catch(() => undefined);
  }

  /** The state `GET /api/deep-health` reports. */
  snapshot(app: AppContext) {
    const limits = this.config.restartLimits;
    const now = this.clock.now();
    return {
      enabled: this.config.deepEnabled,
      interval_s: this.config.deepIntervalS,
      last_run_at: this.lastRunAtMs === null ? null : isoAt(this.lastRunAtMs),
      next_run_at: this.nextRunAtMs === null || !this.repeater ? null : isoAt(this.nextRunAtMs),
      restart_policy: {
        max_restarts: limits.maxRestarts,
        window_s: Math.round(limits.windowMs / 1000),
        cooldown_s: Math.round(limits.cooldownMs / 1000),
        startup_grace_s: Math.round(limits.startupGraceMs / 1000),
      },
      services: SERVICE_NAMES.map((service) => {
        const result = this.results.get(service);
        const restarts = this.store.restarts(service, now - limits.windowMs);
        const window = restartWindow(
          limits,
          this.bootMs,
          now,
          restarts.map((restart) => restart.atMs),
        );
        const last = restarts.at(-1);
        return {
          service,
          disabled: app.upstreams.service(service).disabled,
          ok: result?.ok ?? null,
          idle: result?.idle ?? false,
          probe: PROBE_KINDS[service],
          checked_at: result?.checkedAtMs == null ? null : isoAt(result.checkedAtMs),
          latency_ms: result?.latencyMs ?? null,
          detail: result?.detail ?? null,
          restarts: {
            count_in_window: window.countInWindow,
            last_restart_at: last ? isoAt(last.atMs) : null,
            next_allowed_at:
              service === 'vllm' || window.nextAllowedAtMs === null ? null : isoAt(window.nextAllowedAtMs),
            last_reason: last?.reason ?? null,
          },
        };
      }),
    };
  }

  private async probe(app: AppContext, service: ServiceName): Promise<void> {
    const checkedAtMs = this.clock.now();
    const outcome: DeepOutcome = await runDeepProbe(app, service, PROBE_TIMEOUT_MS, () =>
      this.hooks.vllmActivity(app),
    );
    const previous = this.results.get(service);
    if (outcome.kind === 'skipped') {
      this.results.set(service, {
        ...(previous ?? { ok: null, idle: false, checkedAtMs: null, latencyMs: null }),
        detail: outcome.detail,
      });
      return;
    }
    if (outcome.ok) {
      const recovered =
        previous?.ok === false && this.store.restarts(service, previous.checkedAtMs ?? 0).length > 0;
      this.hooks.clearWedged(service);
      this.results.set(service, {
        ok: true,
        idle: outcome.idle,
        checkedAtMs,
        latencyMs: outcome.latencyMs,
        detail: outcome.detail ?? (recovered ? 'Recovered after an automatic restart.' : null),
      });
      return;
    }
    const failure = (outcome.detail ?? 'the probe failed').replace(/\.+$/, '');
    const cheap = await callService(app, service, { path: HEALTH_PATHS[service], timeoutMs: 5_000 });
    let detail = failure;
    if (cheap.ok) {
      this.hooks.markWedged(service, failure);
      detail = `Wedged (answers its health check but fails real work): ${failure}. ${await this.restart(app, service, failure)}`;
    } else {
      detail = `Not serving: ${cheap.error ?? failure}.`;
    }
    this.results.set(service, { ok: false, idle: false, checkedAtMs, latencyMs: outcome.latencyMs, detail });
  }

  /** Restarts a wedged service's container when the policy allows; says in plain words what happened. */
  private async restart(app: AppContext, service: ServiceName, reason: string): Promise<string> {
    if (service === 'vllm') return 'vLLM is not restarted automatically; swap the model again to recover it.';
    const limits = this.config.restartLimits;
    const now = this.clock.now();
    const earlier = this.store.restarts(service, now - limits.windowMs).map((restart) => restart.atMs);
    const decision = decideRestart(limits, this.bootMs, now, earlier);
    if (!decision.allowed) return `Not restarted: ${decision.reason}.`;
    const config = app.upstreams.service(service);
    const shell = app.shells.get(config.node);
    if (!shell) return `Not restarted: there is no SSH connection to ${config.node}.`;
    let outcome: string;
    try {
      // The same exclusion as the owner's start/stop/restart and patch reapplies: never two at once.
      const result = await exclusively(app, service, 'an automatic wedge restart', () =>
        shell.run(['docker', 'restart', config.container], { timeoutMs: RESTART_TIMEOUT_MS }),
      );
      outcome =
        result.exitCode === 0
          ? 'restarted'
          : `docker restart failed (exit ${result.exitCode}): ${result.stderr.trim().slice(0, 300)}`;
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'service_action_in_progress') {
        return `Not restarted: ${error.message}.`;
      }
      outcome = `docker restart failed: ${(error as Error).message}`;
    }
    this.store.recordRestart({ service, atMs: now, reason, outcome });
    app.logger.warn({ service, container: config.container, reason, outcome }, 'wedge restart');
    if (outcome !== 'restarted') return `Restart attempt failed: ${outcome}.`;
    // A fresh process: the poller decides its state again, the next deep probe checks its work.
    this.hooks.clearWedged(service);
    return `Container ${config.container} was restarted automatically.`;
  }
}
