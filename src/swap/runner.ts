import type { AppContext } from '../app-context';
import { SshError } from '../ssh/node-shell';
import { imageOf, launchArgv, weightsDirOf, type LaunchContext } from './launch-command';
import type { LiveJob } from './live-job';
import type { LlmGate } from './llm-gate';
import {
  advance,
  etaSeconds,
  initialProgress,
  loadFraction,
  loadLabel,
  type LoadProgress,
} from './load-progress';
import {
  allNodes,
  containerRunning,
  containersNamed,
  firstLine,
  imagePresent,
  memAvailableGiB,
  removeContainer,
  runOn,
  shellOf,
  weightsPresent,
} from './node-ops';
import type { SwapStore } from './store';
import { vllmHealth, vllmProbe, vllmServedNames } from './vllm-client';
import {
  SwapFailedError,
  type CatalogModel,
  type ClusterState,
  type SwapFailure,
  type SwapPhaseName,
} from './types';

export interface SwapTuning {
  /** Overrides every model's load timeout (tests). */
  loadTimeoutMs: number | null;
  /** How often vLLM's `/health` is polled while it loads. */
  healthPollMs: number;
  /** How long to wait for a node's memory to be released after the stop. */
  memoryReleaseMs: number;
  probeTimeoutMs: number;
  launcher: string;
}

export interface RunnerDeps {
  app: AppContext;
  store: SwapStore;
  gate: LlmGate;
  tuning: SwapTuning;
  drainTimeoutS: number;
  holdS: number;
}

/** Where a job picks up after a gateway restart. */
export type ResumePoint = 'follow_logs' | 'confirm_model';

/** The job ended; `abandoned` when the gateway closed under it (the job stays running in the store). */
export type RunOutcome =
  | { state: 'succeeded' }
  | { state: 'failed'; failure: SwapFailure; stopBegun: boolean }
  | { state: 'abandoned' };

class Abandoned extends Error {}

const DEFAULT_LOAD_TIMEOUT_S = 1200;

/** Runs one swap job through its phases (see docs/SWAP.md). */
export class SwapRunner {
  private readonly abort = new AbortController();
  private progress: LoadProgress = initialProgress();
  private stopBegun = false;
  private lastProgressKey = '';

  constructor(
    private readonly deps: RunnerDeps,
    readonly job: LiveJob,
    private readonly model: CatalogModel,
  ) {}

  /** Abandons the job (the gateway is closing): nothing more is written, the nodes are left alone. */
  abandon(): void {
    this.abort.abort();
  }

  async run(resume: ResumePoint | null): Promise<RunOutcome> {
    const { gate } = this.deps;
    gate.setRetryAfter(this.job.view.expected_load_s);
    try {
      if (resume === null) await this.fromStart();
      else {
        gate.close(this.deps.holdS);
        this.stopBegun = true;
        if (resume === 'follow_logs') await this.phase('follow_logs', () => this.followUntilUp());
        await this.fromConfirm(resume === 'follow_logs');
      }
      return { state: 'succeeded' };
    } catch (error) {
      if (error instanceof Abandoned || this.abort.signal.aborted) return { state: 'abandoned' };
      const failure = await this.failed(error);
      return { state: 'failed', failure, stopBegun: this.stopBegun };
    } finally {
      if (!this.abort.signal.aborted) gate.open();
    }
  }

  /** Fails the job without running it (a restart found nothing to continue). */
  async failNow(error: SwapFailedError, stopBegun: boolean): Promise<RunOutcome> {
    this.stopBegun = stopBegun;
    this.job.phaseEnded(this.job.view.phase, 'failed', error.message);
    const failure = await this.failed(error);
    return { state: 'failed', failure, stopBegun };
  }

  private async fromStart(): Promise<void> {
    await this.phase('preflight', () => this.preflight());
    await this.phase('drain', () => this.drain());
    this.stopBegun = true;
    await this.phase('stop', () => this.stopEverywhere());
    await this.phase('verify_stopped', () => this.verifyStopped());
    await this.phase('launch', () => this.launch());
    await this.phase('follow_logs', () => this.followUntilUp());
    await this.fromConfirm(true);
  }

  private async fromConfirm(waitHealth: boolean): Promise<void> {
    if (waitHealth) await this.phase('wait_health', () => this.waitHealth());
    await this.phase('confirm_model', () => this.confirmModel());
    await this.phase('probe', () => this.probe());
    await this.phase('done', async () => this.recordLoad());
  }

  /** Keeps the measured load time (the next ETA comes from it) and the result. */
  private recordLoad(): string {
    const loadS = Math.round(this.loadElapsedS() * 10) / 10;
    this.deps.store.recordLoad(this.model.id, loadS, new Date());
    const message = `${this.model.id} is loaded and answering (loaded in ${formatDuration(loadS)}).`;
    this.job.view.result = { served_model_name: this.model.served_model_name, load_s: loadS, message };
    return message;
  }

  private async phase(
    name: SwapPhaseName,
    work: () => Promise<string | null | { skipped: string }>,
  ): Promise<void> {
    this.checkAbandoned();
    this.job.phaseRunning(name);
    this.updateProgress();
    let detail: string | null | { skipped: string };
    try {
      detail = await work();
    } catch (error) {
      this.checkAbandoned();
      this.job.phaseEnded(name, 'failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
    this.checkAbandoned();
    if (detail !== null && typeof detail === 'object') this.job.phaseEnded(name, 'skipped', detail.skipped);
    else this.job.phaseEnded(name, 'done', detail);
  }

  private checkAbandoned(): void {
    if (this.abort.signal.aborted) throw new Abandoned();
  }

  // ---- phases -------------------------------------------------------------------------------------

  private async preflight(): Promise<string> {
    const { app } = this.deps;
    const nodes = this.job.internals.nodes;
    const image = imageOf(this.model);
    const dir = weightsDirOf(this.model);
    const needGiB = this.model.resources?.per_node_gib ?? 0;
    const container = app.config.services.vllm.container;
    const facts = await Promise.all(
      nodes.map(async (node) => {
        shellOf(app, node);
        // One command at a time per node: a node's SSH connection is shared with the health polls.
        const weights = await weightsPresent(app, node, dir);
        const hasImage = await imagePresent(app, node, image);
        const freeGiB = await memAvailableGiB(app, node);
        const running = await containersNamed(app, node, container);
        return { node, weights, hasImage, freeGiB, running: running.length > 0 };
      }),
    );
    for (const fact of facts) {
      if (!fact.weights) {
        throw new SwapFailedError(
          'weights_missing',
          `The weights of ${this.model.id} are missing on ${fact.node}; download them first.`,
        );
      }
      if (!fact.hasImage) {
        throw new SwapFailedError(
          'image_missing',
          `The image ${image} is missing on ${fact.node}; copy it there first.`,
        );
      }
      // A node that runs the current model frees its memory at the stop; it is checked again then.
      if (!fact.running && fact.freeGiB < needGiB) {
        throw new SwapFailedError(
          'not_enough_memory',
          `${fact.node} has ${fact.freeGiB.toFixed(1)} GiB free but ${this.model.id} needs ${needGiB} GiB.`,
        );
      }
    }
    return facts
      .map((f) => `Weights and image present on ${f.node}; ${f.freeGiB.toFixed(1)} GiB free.`)
      .join(' ');
  }

  private async drain(): Promise<string> {
    const { gate, drainTimeoutS, holdS } = this.deps;
    gate.close(holdS);
    const before = gate.requestsInFlight;
    if (before === 0) return 'No LLM requests were running.';
    const left = await gate.drained(drainTimeoutS * 1000, this.abort.signal);
    const finished = before - left;
    const plural = (n: number) => `${n} request${n === 1 ? '' : 's'}`;
    if (left === 0) return `${plural(finished)} finished.`;
    return `${plural(finished)} finished; ${plural(left)} still running after ${drainTimeoutS} s will be cut off by the stop.`;
  }

  private async stopEverywhere(): Promise<string> {
    const { app } = this.deps;
    const container = app.config.services.vllm.container;
    await Promise.all(allNodes(app).map((node) => removeContainer(app, node, container)));
    const services = await this.arrangeSupportServices();
    return `Stopped ${container} on ${allNodes(app).join(' and ')}.${services}`;
  }

  /**
   * Stops the support services the new model needs the memory of (`requires_services_off`) and
   * starts again those an earlier swap stopped that this model does not need off. Which ones a swap
   * holds off is kept in SQLite, so a restart or a later swap knows what to give back.
   */
  private async arrangeSupportServices(): Promise<string> {
    const { app, store } = this.deps;
    const wanted = (this.model.requires_services_off ?? []).filter(
      (name) => !app.config.services[name].disabled,
    );
    const heldOff = store.servicesHeldOff();
    const toStop = wanted.filter((name) => !heldOff.includes(name));
    const toStart = heldOff.filter((name) => !(wanted as string[]).includes(name));
    const docker = async (verb: 'stop' | 'start', name: string) => {
      const service = app.config.services[name as keyof typeof app.config.services];
      const result = await runOn(app, service.node, ['docker', verb, service.container], 90_000);
      if (result.exitCode !== 0) {
        throw new SwapFailedError(
          'stop_failed',
          `docker ${verb} ${service.container} failed on ${service.node}: ${result.stderr.trim().slice(0, 300)}`,
        );
      }
    };
    for (const name of toStop) await docker('stop', name);
    store.setServicesHeldOff(heldOff.filter((name) => !toStart.includes(name)).concat(toStop));
    for (const name of toStart) await docker('start', name);
    store.setServicesHeldOff(wanted);
    const parts = [];
    if (toStop.length > 0) parts.push(` Stopped ${toStop.join(', ')} to free memory for ${this.model.id}.`);
    if (toStart.length > 0) parts.push(` Started ${toStart.join(', ')} again.`);
    return parts.join('');
  }

  private async verifyStopped(): Promise<string> {
    const { app, tuning } = this.deps;
    const container = app.config.services.vllm.container;
    const nodes = allNodes(app);
    const left = await Promise.all(
      nodes.map(async (node) => ({ node, names: await containersNamed(app, node, container) })),
    );
    const still = left.filter((entry) => entry.names.length > 0).map((entry) => entry.node);
    if (still.length > 0) {
      throw new SwapFailedError(
        'stop_failed',
        `${container} is still present on ${still.join(' and ')} after the stop.`,
      );
    }
    if ((await vllmHealth(app)) === 'up') {
      throw new SwapFailedError(
        'stop_failed',
        `something still answers on vLLM's port after ${container} was removed.`,
      );
    }
    // The allocator can hold memory for seconds after a container exits; a launch then fails at once.
    const needGiB = this.model.resources?.per_node_gib ?? 0;
    const deadline = Date.now() + tuning.memoryReleaseMs;
    const free: string[] = [];
    for (const node of this.job.internals.nodes) {
      let freeGiB = await memAvailableGiB(app, node);
      while (freeGiB < needGiB && Date.now() < deadline) {
        await sleep(1_000, this.abort.signal);
        this.checkAbandoned();
        freeGiB = await memAvailableGiB(app, node);
      }
      if (freeGiB < needGiB) {
        throw new SwapFailedError(
          'not_enough_memory',
          `${node} has ${freeGiB.toFixed(1)} GiB free after the stop but ${this.model.id} needs ${needGiB} GiB.`,
        );
      }
      free.push(`${node} ${freeGiB.toFixed(1)} GiB free`);
    }
    return `No ${container} container on ${nodes.join(' or ')}; ${free.join(', ')}.`;
  }

  private async launch(): Promise<string> {
    const { app, tuning } = this.deps;
    const head = this.job.internals.nodes[0]!;
    const context: LaunchContext = {
      launcher: tuning.launcher,
      container: app.config.services.vllm.container,
      port: app.config.services.vllm.port,
    };
    this.job.internals.launchedAt = new Date().toISOString();
    const result = await runOn(app, head, launchArgv(this.model, context), 180_000);
    for (const line of `${result.stdout}${result.stderr}`.split('\n'))
      if (line.trim()) this.job.log(head, line);
    if (result.exitCode === null && result.signal === null) {
      // The exit status was lost on the way back; the container log (next phase) tells the truth.
      this.job.save();
      return "The launcher's exit status did not come back; following the container to see.";
    }
    if (result.exitCode !== 0) {
      throw new SwapFailedError(
        'launch_failed',
        `The launcher on ${head} failed (exit ${result.exitCode ?? result.signal}): ${firstLine(result.stderr || result.stdout)}`,
      );
    }
    this.job.save();
    return /Daemon mode/.test(result.stdout) ? 'Command dispatched in background.' : 'Launcher returned.';
  }

  /** Follows the container log until vLLM is up, the engine dies, or the load times out. */
  private async followUntilUp(): Promise<string> {
    const { app, tuning } = this.deps;
    const head = this.job.internals.nodes[0]!;
    const container = app.config.services.vllm.container;
    const deadline = this.loadDeadline();
    const follower = new AbortController();
    const stopFollowing = () => follower.abort();
    this.abort.signal.addEventListener('abort', stopFollowing, { once: true });
    let settled = false;
    let outcome: { up: true } | { error: Error } | null = null;
    let wake: () => void = () => undefined;
    const decide = (value: { up: true } | { error: Error }) => {
      if (outcome) return;
      outcome = value;
      wake();
    };

    const follow = async () => {
      let tail = 'all';
      let partial = '';
      while (!follower.signal.aborted) {
        try {
          const result = await shellOf(app, head).run(['docker', 'logs', '-f', '--tail', tail, container], {
            signal: follower.signal,
            onStdout: (chunk) => {
              const lines = (partial + chunk).split('\n');
              partial = lines.pop() ?? '';
              for (const line of lines) this.onLogLine(head, line, decide);
            },
            onStderr: (chunk) => {
              for (const line of chunk.split('\n')) if (line.trim()) this.onLogLine(head, line, decide);
            },
          });
          if (follower.signal.aborted) return;
          // `docker logs -f` ends when the container stops (or is not there).
          if (!(await containerRunning(app, head, container).catch(() => true))) {
            decide({
              error: new SwapFailedError(
                'container_exited',
                `The ${container} container on ${head} stopped during the load${result.exitCode ? ` (${firstLine(result.stderr)})` : ''}.`,
              ),
            });
            return;
          }
        } catch (error) {
          if (follower.signal.aborted) return;
          if (!(error instanceof SshError) && !(error instanceof SwapFailedError)) throw error;
          // The SSH session dropped: the detached load goes on; pick the log up again.
          this.job.emit({
            type: 'progress',
            phase: 'follow_logs',
            ...this.progressFields('Reconnecting to the log'),
          });
        }
        tail = '0';
        await sleep(1_000, follower.signal);
      }
    };
    const pollHealth = async () => {
      while (!follower.signal.aborted && !outcome) {
        if ((await vllmHealth(app)) === 'up') return decide({ up: true });
        if (Date.now() >= deadline) {
          const limit = Math.round(
            (deadline - Date.parse(this.job.internals.launchedAt ?? this.job.view.started_at)) / 1000,
          );
          return decide({
            error: new SwapFailedError(
              'load_timeout',
              `${this.model.id} did not finish loading within ${formatDuration(limit)}.`,
            ),
          });
        }
        await sleep(Math.min(tuning.healthPollMs, Math.max(0, deadline - Date.now())), follower.signal);
      }
    };

    const done = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const followed = follow().catch((error: unknown) =>
      decide({ error: error instanceof Error ? error : new Error(String(error)) }),
    );
    void pollHealth();
    await Promise.race([
      done,
      new Promise<void>((resolve) =>
        this.abort.signal.addEventListener('abort', () => resolve(), { once: true }),
      ),
    ]);
    settled = true;
    follower.abort();
    this.abort.signal.removeEventListener('abort', stopFollowing);
    // A follower whose SSH channel is still opening cannot see the abort; do not wait on it for long.
    const giveUp = new AbortController();
    await Promise.race([followed, sleep(2_000, giveUp.signal)]);
    giveUp.abort();
    this.checkAbandoned();
    const result = outcome as { up: true } | { error: Error } | null;
    if (!settled || !result) throw new Abandoned();
    if ('error' in result) throw result.error;
    this.progress = { ...this.progress, stage: 'ready' };
    this.updateProgress();
    return `vLLM finished loading in ${formatDuration(this.loadElapsedS())}.`;
  }

  private onLogLine(
    node: string,
    line: string,
    decide: (value: { up: true } | { error: Error }) => void,
  ): void {
    if (!line.trim() || this.abort.signal.aborted) return;
    this.job.log(node, line);
    const before = this.progress;
    this.progress = advance(before, line);
    if (this.progress.fatal && !before.fatal) {
      const fatal = this.progress.fatal;
      // Let the traceback's last lines arrive before the job reports.
      setTimeout(
        () =>
          decide({
            error: new SwapFailedError('engine_failed', `vLLM could not start ${this.model.id}: ${fatal}.`),
          }),
        300,
      );
    }
    // "Application startup complete.": the API server is up (wait_health confirms it).
    if (this.progress.stage === 'ready' && before.stage !== 'ready') decide({ up: true });
    this.updateProgress();
  }

  private async waitHealth(): Promise<string> {
    const { app, tuning } = this.deps;
    const deadline = this.loadDeadline();
    while ((await vllmHealth(app)) !== 'up') {
      if (Date.now() >= deadline)
        throw new SwapFailedError('load_timeout', `vLLM's /health did not answer 200 in time.`);
      await sleep(tuning.healthPollMs, this.abort.signal);
      this.checkAbandoned();
    }
    return '/health answers 200.';
  }

  private async confirmModel(): Promise<string> {
    const names = await vllmServedNames(this.deps.app);
    const wanted = this.model.served_model_name;
    if (names === null) throw new SwapFailedError('model_not_listed', 'vLLM did not answer /v1/models.');
    if (!names.includes(wanted)) {
      throw new SwapFailedError(
        'wrong_model',
        `vLLM serves ${names.join(', ') || 'nothing'} instead of ${wanted}.`,
      );
    }
    return `/v1/models lists ${wanted}.`;
  }

  private async probe(): Promise<string | { skipped: string }> {
    const kind = this.model.readiness?.probe ?? 'chat';
    if (kind === 'health') return { skipped: 'The catalog asks for /health only.' };
    const problem = await vllmProbe(
      this.deps.app,
      kind,
      this.model.served_model_name,
      this.deps.tuning.probeTimeoutMs,
    );
    if (problem !== null)
      throw new SwapFailedError('probe_failed', `The one-token ${kind} probe failed: ${problem}`);
    return `A one-token ${kind} request answered.`;
  }

  // ---- failure ------------------------------------------------------------------------------------

  private async failed(error: unknown): Promise<SwapFailure> {
    const { app } = this.deps;
    const code = error instanceof SwapFailedError ? error.code : 'internal_error';
    const reason = error instanceof Error ? error.message : String(error);
    const phase = this.job.view.phase;
    let clusterState: ClusterState;
    if (this.stopBegun) {
      clusterState = await this.stopCleanly();
    } else {
      const health = await vllmHealth(app);
      clusterState =
        health === 'up' ? 'previous_model_running' : health === 'refused' ? 'stopped' : 'unknown';
    }
    const state =
      clusterState === 'stopped'
        ? 'Every node was stopped; no model is loaded.'
        : clusterState === 'previous_model_running'
          ? `Nothing was stopped; ${this.job.view.from_model ?? 'the previous model'} is still loaded.`
          : 'A node did not answer, so what it runs is unknown; check the nodes.';
    const message = `The swap to ${this.model.id} failed during ${PHASE_WORDS[phase]}: ${reason} ${state}`;
    return { phase, code, message: message.slice(0, 2048), cluster_state: clusterState };
  }

  /** After a failure past the stop: remove the container on every node and check it is gone. */
  private async stopCleanly(): Promise<ClusterState> {
    const { app } = this.deps;
    const container = app.config.services.vllm.container;
    try {
      await Promise.all(allNodes(app).map((node) => removeContainer(app, node, container)));
      const left = await Promise.all(allNodes(app).map((node) => containersNamed(app, node, container)));
      return left.every((names) => names.length === 0) ? 'stopped' : 'unknown';
    } catch {
      return 'unknown';
    }
  }

  // ---- progress -----------------------------------------------------------------------------------

  private loadDeadline(): number {
    const timeoutMs =
      this.deps.tuning.loadTimeoutMs ?? (this.job.internals.loadTimeoutS || DEFAULT_LOAD_TIMEOUT_S) * 1000;
    const launched = Date.parse(this.job.internals.launchedAt ?? new Date().toISOString());
    return launched + timeoutMs;
  }

  private loadElapsedS(): number {
    const launched = this.job.internals.launchedAt;
    return launched ? Math.max(0, (Date.now() - Date.parse(launched)) / 1000) : 0;
  }

  private progressFields(label?: string) {
    const view = this.job.view;
    const index = ['preflight', 'drain', 'stop', 'verify_stopped', 'launch'].indexOf(view.phase);
    const loading = index === -1;
    const fraction = loadFraction(this.progress);
    const percent = loading
      ? Math.min(100, 10 + 85 * fraction + (view.phase === 'probe' ? 3 : 0))
      : 2 * index;
    const eta = loading
      ? etaSeconds(this.loadElapsedS(), view.expected_load_s, fraction)
      : view.expected_load_s;
    return {
      percent: Math.round(percent * 10) / 10,
      label: label ?? (loading ? loadLabel(this.progress) : PHASE_LABELS[view.phase]),
      eta_s: eta,
    };
  }

  private updateProgress(): void {
    const fields = this.progressFields();
    const view = this.job.view;
    view.progress = {
      percent: fields.percent,
      label: fields.label,
      shards_loaded: this.progress.shardsLoaded,
      shards_total: this.progress.shardsTotal,
    };
    view.eta_s = fields.eta_s;
    this.deps.gate.setRetryAfter(fields.eta_s);
    const key = `${fields.label}|${view.phase}`;
    if (key === this.lastProgressKey) return;
    this.lastProgressKey = key;
    this.job.emit({ type: 'progress', phase: view.phase, ...fields });
  }
}

const PHASE_WORDS: Record<SwapPhaseName, string> = {
  preflight: 'the preflight checks',
  drain: 'the drain of running requests',
  stop: 'the stop of the running model',
  verify_stopped: 'the check that every node stopped',
  launch: 'the launch',
  follow_logs: 'the load',
  wait_health: 'the wait for /health',
  confirm_model: 'the check of /v1/models',
  probe: 'the one-token probe',
  done: 'the final step',
};

const PHASE_LABELS: Record<SwapPhaseName, string> = {
  preflight: 'Checking weights, image and memory',
  drain: 'Letting running requests finish',
  stop: 'Stopping the running model',
  verify_stopped: 'Checking every node stopped',
  launch: 'Launching vLLM',
  follow_logs: 'Loading',
  wait_health: 'Waiting for vLLM to answer',
  confirm_model: 'Checking the served model',
  probe: 'Sending a one-token request',
  done: 'Done',
};

export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
