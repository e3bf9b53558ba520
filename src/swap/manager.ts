import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app-context';
import { GatewayError } from '../errors/catalogue';
import { DEFAULT_LAUNCHER } from './launch-command';
import { LiveJob, newJobView } from './live-job';
import { LlmGate } from './llm-gate';
import { SwapLock } from './lock';
import { containerRunning, nodesFor } from './node-ops';
import { SwapRunner, type ResumePoint, type RunOutcome, type SwapTuning } from './runner';
import type { SettingsStore } from './settings';
import { SwapStore } from './store';
import { vllmServedNames } from './vllm-client';
import { sendWebhook } from './webhook';
import {
  SwapFailedError,
  type CatalogModel,
  type SwapAccepted,
  type SwapEvent,
  type SwapJobView,
  type SwapSummary,
} from './types';

export interface StartOptions {
  rollbackOnFailure?: boolean;
  lockHolder: string | null;
}

interface Running {
  runner: SwapRunner;
  finished: Promise<void>;
}

/**
 * Model swaps: one at a time, each a persistent job (SQLite) run by a `SwapRunner`; the lock, the
 * LLM gate, rollback, the webhook, and the reconciliation of an unfinished job after a restart.
 */
export class SwapManager {
  readonly store: SwapStore;
  readonly lock: SwapLock;
  readonly gate = new LlmGate();
  readonly tuning: SwapTuning = {
    loadTimeoutMs: null,
    healthPollMs: 250,
    memoryReleaseMs: 30_000,
    probeTimeoutMs: 120_000,
    launcher: DEFAULT_LAUNCHER,
  };
  private running: Running | null = null;
  /** Set while a start is being prepared, so two requests cannot both pass the one-at-a-time check. */
  private reserved = false;
  private closed = false;
  private reconciled: Promise<void> = Promise.resolve();

  constructor(
    private readonly app: AppContext,
    readonly settings: SettingsStore,
  ) {
    this.store = new SwapStore(app.db);
    this.lock = new SwapLock(app.db);
  }

  /** Looks at unfinished jobs (a restart mid-swap) and finishes or fails them truthfully. */
  begin(): void {
    this.reconciled = this.reconcile().catch((error: unknown) =>
      this.app.logger.error({ err: error }, 'swap reconciliation failed'),
    );
  }

  /** Resolves once the start-up reconciliation is over. */
  whenReconciled(): Promise<void> {
    return this.reconciled;
  }

  get runningJobId(): string | null {
    return this.running?.runner.job.id ?? null;
  }

  get busy(): boolean {
    return this.running !== null || this.reserved;
  }

  async start(modelId: string, options: StartOptions): Promise<SwapAccepted> {
    this.refuseWhenBusy();
    const model = this.catalogModel(modelId);
    this.reserved = true;
    try {
      const fromModel = await this.currentModelId();
      return this.launchJob({
        kind: 'swap',
        rollbackOf: null,
        model,
        fromModel,
        rollbackOnFailure: options.rollbackOnFailure ?? this.settings.values().auto_rollback,
        lockHolder: options.lockHolder,
      });
    } finally {
      this.reserved = false;
    }
  }

  /** Starts a rollback job to the model loaded before the failed job `jobId`. */
  rollback(jobId: string, lockHolder: string | null): SwapAccepted {
    const record = this.store.job(jobId);
    if (!record) throw new GatewayError('not_found', { detail: `no swap job ${jobId}` });
    const view = record.view;
    if (view.state !== 'failed')
      throw new GatewayError('swap_conflict', { detail: `job ${jobId} has not failed` });
    if (!view.rollback?.available || !view.rollback.to_model) {
      throw new GatewayError('swap_conflict', {
        detail: `job ${jobId} has no previous model to roll back to`,
      });
    }
    if (view.rollback.job_id) {
      throw new GatewayError('swap_conflict', {
        detail: `job ${jobId} was already rolled back by ${view.rollback.job_id}`,
      });
    }
    this.refuseWhenBusy();
    const accepted = this.launchJob({
      kind: 'rollback',
      rollbackOf: jobId,
      model: this.catalogModel(view.rollback.to_model),
      fromModel: null,
      rollbackOnFailure: false,
      lockHolder,
    });
    view.rollback.job_id = accepted.job_id;
    this.store.saveJob(record);
    return accepted;
  }

  job(jobId: string): SwapJobView | null {
    const live = this.running?.runner.job;
    const view = live?.id === jobId ? structuredClone(live.view) : this.store.job(jobId)?.view;
    if (!view) return null;
    view.elapsed_s = elapsedS(view);
    return view;
  }

  history(limit: number, state?: string): { running: string | null; swaps: SwapSummary[] } {
    const swaps = this.store.jobs(limit, state).map((stored) => {
      const view = this.job(stored.job_id) ?? stored;
      return {
        ...jobHeadline(view),
        finished_at: view.finished_at,
        duration_s: view.finished_at ? elapsedS(view) : null,
        message: view.result?.message ?? view.failure?.message ?? null,
      };
    });
    return { running: this.runningJobId, swaps };
  }

  /**
   * The events after `afterSeq`, and the live job to follow when it still runs. Replay and
   * subscription happen in the same turn, so no event falls between them.
   */
  follow(
    jobId: string,
    afterSeq: number,
    listener: (event: SwapEvent) => void,
  ): { replay: SwapEvent[]; finished: boolean; unsubscribe: () => void } | null {
    const live = this.running?.runner.job;
    if (live?.id === jobId) {
      live.flush();
      return {
        replay: this.store.events(jobId, afterSeq),
        finished: false,
        unsubscribe: live.subscribe(listener),
      };
    }
    if (!this.store.job(jobId)) return null;
    return { replay: this.store.events(jobId, afterSeq), finished: true, unsubscribe: () => undefined };
  }

  /** Stops following the running job without touching the nodes; it stays `running` in the store. */
  async close(): Promise<void> {
    this.closed = true;
    this.running?.runner.abandon();
    await this.reconciled;
    const running = this.running;
    if (!running) return;
    running.runner.abandon();
    await running.finished;
  }

  // ---- internals ----------------------------------------------------------------------------------

  private refuseWhenBusy(): void {
    if (this.closed) throw new GatewayError('swap_conflict', { detail: 'the gateway is shutting down' });
    if (this.busy) {
      const id = this.runningJobId;
      throw new GatewayError('swap_in_progress', {
        detail: `a swap is already running${id ? ` (${id})` : ''}`,
      });
    }
  }

  private catalogModel(id: string): CatalogModel {
    const entry = this.app.catalog.entry(id);
    if (!entry) throw new GatewayError('not_found', { detail: `the catalog has no model ${id}` });
    return entry.model;
  }

  /** The catalog id of what vLLM serves now, or null (idle, or a model the catalog does not know). */
  private async currentModelId(): Promise<string | null> {
    const names = await vllmServedNames(this.app);
    if (!names || names.length === 0) return null;
    const entry = this.app.catalog.entries.find(
      (e) => names.includes(e.servedModelName) || e.aliases.some((alias) => names.includes(alias)),
    );
    return entry?.id ?? null;
  }

  private launchJob(fields: {
    kind: 'swap' | 'rollback';
    rollbackOf: string | null;
    model: CatalogModel;
    fromModel: string | null;
    rollbackOnFailure: boolean;
    lockHolder: string | null;
  }): SwapAccepted {
    const { model } = fields;
    const measured = this.store.measuredLoadS(model.id);
    const expected = measured ?? model.timing?.expected_load_s ?? null;
    const view = newJobView({
      jobId: `swp_${randomBytes(9)
        .toString('base64url')
        .replace(/[^A-Za-z0-9]/g, 'x')}`,
      kind: fields.kind,
      rollbackOf: fields.rollbackOf,
      model: model.id,
      servedModelName: model.served_model_name,
      fromModel: fields.fromModel,
      rollbackOnFailure: fields.rollbackOnFailure,
      lockHolder: fields.lockHolder,
      expectedLoadS: expected === null ? null : Math.round(expected),
    });
    const internals = {
      launchedAt: null,
      loadTimeoutS: model.timing?.load_timeout_s ?? 0,
      nodes: nodesFor(this.app, model.placement.nodes),
    };
    this.store.insertJob({ view, internals });
    this.run(new LiveJob(this.store, { view, internals }), model, null);
    return {
      ...jobHeadline(view),
      expected_load_s: view.expected_load_s,
      status_url: `/api/swap/${view.job_id}`,
      events_url: `/api/swap/${view.job_id}/events`,
    };
  }

  private run(job: LiveJob, model: CatalogModel, resume: ResumePoint | SwapFailedError | null): void {
    const settings = this.settings.values();
    const runner = new SwapRunner(
      {
        app: this.app,
        store: this.store,
        gate: this.gate,
        tuning: this.tuning,
        drainTimeoutS: settings.SWAP_DRAIN_TIMEOUT_S,
        holdS: settings.LLM_SWAP_HOLD_S,
      },
      job,
      model,
    );
    const outcome =
      resume instanceof SwapFailedError
        ? runner.failNow(resume, job.view.phase !== 'preflight' && job.view.phase !== 'drain')
        : runner.run(resume);
    const finished = outcome
      .then((result) => this.finish(job, model, result))
      .catch((error: unknown) => this.app.logger.error({ err: error, jobId: job.id }, 'swap job crashed'))
      .finally(() => {
        if (this.running?.runner === runner) this.running = null;
      });
    this.running = { runner, finished };
  }

  private finish(job: LiveJob, model: CatalogModel, outcome: RunOutcome): void {
    if (outcome.state === 'abandoned') {
      job.dispose();
      return;
    }
    const view = job.view;
    view.finished_at = new Date().toISOString();
    view.elapsed_s = elapsedS(view);
    if (outcome.state === 'succeeded') {
      view.state = 'succeeded';
      view.eta_s = 0;
      view.progress = { ...view.progress, percent: 100, label: 'Done' };
      job.emit({ type: 'done', result: view.result! });
    } else {
      view.state = 'failed';
      view.eta_s = null;
      view.failure = outcome.failure;
      const toModel = view.from_model;
      const available =
        outcome.stopBegun &&
        toModel !== null &&
        toModel !== model.id &&
        this.app.catalog.entry(toModel) !== undefined;
      view.rollback = { available, to_model: toModel, job_id: null };
      view.progress = { ...view.progress, label: 'Failed' };
      job.emit({ type: 'failed', failure: outcome.failure });
    }
    job.save();
    job.dispose();
    this.running = null;
    this.notify(view);
    if (view.state === 'failed' && view.rollback_on_failure && view.rollback?.available && !this.closed) {
      try {
        this.rollback(view.job_id, view.lock_holder);
      } catch (error) {
        this.app.logger.warn({ err: error, jobId: view.job_id }, 'automatic rollback could not start');
      }
    }
  }

  private notify(view: SwapJobView): void {
    const url = this.settings.values().swap_webhook_url;
    if (!url) return;
    void sendWebhook(
      url,
      this.settings.secret('swap_webhook_secret'),
      {
        event: view.state === 'succeeded' ? 'swap_complete' : 'swap_failed',
        job_id: view.job_id,
        kind: view.kind,
        model: view.model,
        served_model_name: view.served_model_name,
        from_model: view.from_model,
        state: view.state,
        started_at: view.started_at,
        finished_at: view.finished_at,
        duration_s: view.elapsed_s,
        message: view.result?.message ?? view.failure?.message ?? null,
        failure: view.failure,
      },
      this.app.logger,
    );
  }

  private async reconcile(): Promise<void> {
    // Let the app finish wiring (SSH shells, upstreams) before looking at the nodes.
    await new Promise((resolve) => setImmediate(resolve));
    const unfinished = this.store.unfinishedJobs();
    for (const [index, record] of unfinished.entries()) {
      if (this.closed) return;
      const job = new LiveJob(this.store, record);
      const entry = this.app.catalog.entry(record.view.model);
      const model: CatalogModel = entry?.model ?? {
        id: record.view.model,
        display_name: record.view.model,
        served_model_name: record.view.served_model_name,
        placement: { nodes: record.internals.nodes.length === 2 ? 2 : 1, backend: 'no-ray' },
        hf_repo: record.view.model,
      };
      const resume =
        index < unfinished.length - 1
          ? this.restartFailure('a newer swap started')
          : await this.resumePoint(record.view, record.internals.launchedAt);
      if (typeof resume === 'string') record.internals.launchedAt ??= record.view.started_at;
      this.run(job, model, resume);
      await this.running?.finished;
    }
  }

  /** Where an interrupted job continues, judged by what actually runs on the nodes. */
  private async resumePoint(
    view: SwapJobView,
    launchedAt: string | null,
  ): Promise<ResumePoint | SwapFailedError> {
    if (view.phase === 'preflight' || view.phase === 'drain') {
      return this.restartFailure('it had not stopped anything yet');
    }
    const names = await vllmServedNames(this.app);
    if (names?.includes(view.served_model_name)) return 'confirm_model';
    if (launchedAt === null) return this.restartFailure('the launch had not happened');
    const head = this.app.config.services.vllm.node;
    let running: boolean;
    try {
      running = await containerRunning(this.app, head, this.app.config.services.vllm.container);
    } catch {
      return this.restartFailure(`${head} could not be checked`);
    }
    if (running) return 'follow_logs';
    return this.restartFailure('its vLLM container is no longer running');
  }

  private restartFailure(reason: string): SwapFailedError {
    return new SwapFailedError('gateway_restarted', `The gateway restarted during the swap and ${reason}.`);
  }
}

function elapsedS(view: SwapJobView): number {
  const end = view.finished_at ? Date.parse(view.finished_at) : Date.now();
  return Math.max(0, Math.round((end - Date.parse(view.started_at)) / 100) / 10);
}

/** The fields every short form of a job (history rows, the 202 answer) starts with. */
function jobHeadline(view: SwapJobView) {
  return {
    job_id: view.job_id,
    kind: view.kind,
    model: view.model,
    from_model: view.from_model,
    state: view.state,
    phase: view.phase,
    started_at: view.started_at,
  };
}
