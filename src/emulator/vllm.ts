import { BodyTooLargeError, InvalidJsonError, readJson, sendEmpty, sendJson, sendText } from './http-io';
import { HttpService, sleep, type HttpServiceOptions, type RequestContext } from './http-service';
import type { LogListener } from './log-ring';
import { generate } from './vllm-generation';
import { maxModelLenOf, runLoad, stamp, type LoadSpec, type ModelSpec } from './vllm-load';
import { parseRequest, RequestError, servedNamesOf, type Kind, type ParsedRequest } from './vllm-request';
import {
  completionBody,
  DONE_EVENT,
  openAiError,
  responseIdentity,
  roleEvent,
  tokenEvent,
  usageEvent,
  type Usage,
} from './vllm-responses';
import { VllmMetrics } from './vllm-metrics';

export type { LoadSpec, ModelSpec } from './vllm-load';

export interface VllmEmulatorOptions extends HttpServiceOptions {
  /** Model served from the first start, without a load phase; `null` or absent = idle (nothing listens). */
  model?: ModelSpec | null;
  /** Time between generated tokens (and before the first). Default 0. */
  tokenIntervalMs?: number;
  /** Default duration of `loadModel` when the spec does not say. Default 0. */
  loadDelayMs?: number;
  /** Length of a completion that is not cut by `max_tokens`. Default 16. */
  naturalCompletionTokens?: number;
  /** Reported by `/version` and in the load log. */
  version?: string;
  kvCacheTokens?: number;
}

export type VllmState = 'idle' | 'loading' | 'serving' | 'failed';

const BODY_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * A vLLM OpenAI-compatible server. While a model loads nothing listens on the port (connections are
 * refused), then `/health` answers 200 and the model is served under its served names.
 */
export class VllmEmulator extends HttpService {
  tokenIntervalMs: number;
  /** Requests the client abandoned mid-generation (vLLM aborts them). */
  abortedRequests = 0;

  private readonly defaultLoadDelayMs: number;
  private readonly naturalTokens: number;
  private readonly version: string;
  private readonly kvCacheTokens: number;
  private current: ModelSpec | null;
  private currentState: VllmState;
  private engineDead = false;
  private metrics: VllmMetrics;
  private loadAbort: AbortController | null = null;
  private readiness: Promise<void> = Promise.resolve();
  private lifecycle: Promise<void> = Promise.resolve();

  constructor(options: VllmEmulatorOptions = {}) {
    super('vllm', options);
    this.current = options.model ?? null;
    this.currentState = 'idle';
    this.tokenIntervalMs = options.tokenIntervalMs ?? 0;
    this.defaultLoadDelayMs = options.loadDelayMs ?? 0;
    this.naturalTokens = options.naturalCompletionTokens ?? 16;
    this.version = options.version ?? '0.11.0';
    this.kvCacheTokens = options.kvCacheTokens ?? 262_144;
    this.metrics = new VllmMetrics(this.kvCacheTokens);
  }

  get state(): VllmState {
    return this.currentState;
  }

  /** The model being served or loaded; null when idle. */
  get model(): ModelSpec | null {
    return this.current;
  }

  /**
   * Allocates the port. With an initial model it plays an instant load (so the log shows a complete
   * start-up) and serves; otherwise the port stays closed.
   */
  override async start(): Promise<void> {
    await super.start();
    await this.down();
    const initial = this.current;
    if (!initial) return;
    await this.loadModel({ ...initial, loadDelayMs: 0 });
    await this.waitUntilReady();
  }

  override stop(): Promise<void> {
    return this.exclusive(async () => {
      this.cancelLoad();
      await super.stop();
    });
  }

  /**
   * Replaces whatever runs with a fresh vLLM process loading `spec`. Resolves once the old server is
   * gone and the load has begun; `waitUntilReady()` follows it to the end.
   */
  loadModel(spec: LoadSpec): Promise<void> {
    return this.exclusive(async () => {
      this.cancelLoad();
      await this.down();
      const controller = new AbortController();
      const { loadDelayMs, failLoad: _, ...model } = spec;
      this.loadAbort = controller;
      this.current = model;
      this.currentState = 'loading';
      this.engineDead = false;
      this.metrics = new VllmMetrics(this.kvCacheTokens);
      const outcome = runLoad({
        spec,
        loadDelayMs: loadDelayMs ?? this.defaultLoadDelayMs,
        port: this.port,
        version: this.version,
        kvCacheTokens: this.kvCacheTokens,
        log: (line) => this.log.write(line),
        listen: () => this.exclusive(() => (controller.signal.aborted ? Promise.resolve() : this.up())),
        signal: controller.signal,
      }).then((result) => {
        if (result === 'cancelled' || controller.signal.aborted) {
          throw new Error(`load of ${spec.servedName} was cancelled`);
        }
        if (result === 'failed') {
          this.currentState = 'failed';
          throw new Error(`load of ${spec.servedName} failed: Engine core initialization failed`);
        }
        this.currentState = 'serving';
      });
      // Callers that never wait must not see an unhandled rejection.
      outcome.catch(() => undefined);
      this.readiness = outcome;
    });
  }

  /** Stops serving: the port is closed, as when the container runs no vLLM process. */
  unload(): Promise<void> {
    return this.exclusive(async () => {
      this.cancelLoad();
      this.current = null;
      this.currentState = 'idle';
      this.engineDead = false;
      await this.down();
    });
  }

  /** Resolves when the model is served; rejects when the load fails, is cancelled, or takes too long. */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    if (this.currentState === 'serving') return;
    if (this.currentState === 'idle') throw new Error('vLLM is idle: no model is loading');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`vLLM not ready after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.readiness, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The engine dies: `/health` answers 503 and inference answers 500 until the next load. */
  killEngine(): void {
    this.engineDead = true;
    this.log.write(
      `(APIServer pid=1) ERROR ${stamp()} [async_llm.py:480] EngineDeadError: EngineCore encountered an issue.`,
    );
  }

  logLines(): string[] {
    return this.log.tail();
  }

  /** Live log lines; returns the function that unsubscribes. */
  onLog(listener: LogListener): () => void {
    return this.log.subscribe(listener);
  }

  /** Names the served model answers to; empty when nothing is served. */
  servedNames(): string[] {
    return servedNamesOf(this.current);
  }

  protected override onUp(): void {
    // vLLM prints its own start-up lines (vllm-load.ts).
  }

  protected override onDown(): void {
    if (this.currentState === 'serving') this.log.write('(APIServer pid=1) INFO:     Shutting down');
  }

  protected async handle(ctx: RequestContext): Promise<void> {
    const { method, path, res } = ctx;
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /health':
      case 'GET /ping':
      case 'POST /ping':
        return sendEmpty(res, this.engineDead ? 503 : 200);
      case 'GET /version':
        return sendJson(res, 200, { version: this.version });
      case 'GET /v1/models':
        return sendJson(res, 200, this.modelList());
      case 'GET /metrics':
        return sendText(
          res,
          200,
          this.metrics.render(this.current?.servedName ?? ''),
          'text/plain; version=0.0.4; charset=utf-8',
        );
      case 'POST /v1/chat/completions':
        return this.complete(ctx, 'chat');
      case 'POST /v1/completions':
        return this.complete(ctx, 'completion');
    }
    const known = [
      '/health',
      '/ping',
      '/version',
      '/v1/models',
      '/metrics',
      '/v1/chat/completions',
      '/v1/completions',
    ];
    if (known.includes(path)) return sendJson(res, 405, { detail: 'Method Not Allowed' });
    sendJson(res, 404, { detail: 'Not Found' });
  }

  private modelList(): unknown {
    const spec = this.current;
    if (!spec) return { object: 'list', data: [] };
    const created = Math.floor(Date.now() / 1000);
    return {
      object: 'list',
      data: this.servedNames().map((id) => ({
        id,
        object: 'model',
        created,
        owned_by: 'vllm',
        root: spec.root,
        parent: null,
        max_model_len: maxModelLenOf(spec),
        permission: [],
      })),
    };
  }

  private async complete(ctx: RequestContext, kind: Kind): Promise<void> {
    let parsed: ParsedRequest;
    try {
      parsed = parseRequest(await readJson(ctx.req, BODY_LIMIT_BYTES), kind, this.current);
    } catch (error) {
      if (error instanceof RequestError) return sendError(ctx, error.status, error.message, error.param);
      if (error instanceof InvalidJsonError)
        return sendError(ctx, 400, `JSON decode error: ${error.message}`);
      if (error instanceof BodyTooLargeError) return sendError(ctx, 400, error.message);
      throw error;
    }
    if (this.engineDead) {
      return sendJson(
        ctx.res,
        500,
        openAiError(
          'EngineCore encountered an issue. See stack trace (above) for the root cause.',
          'InternalServerError',
          null,
          500,
        ),
      );
    }
    await this.serve(ctx, parsed);
  }

  /** Generates the answer token by token, streamed or not, keeping the metrics from what really happened. */
  private async serve(ctx: RequestContext, request: ParsedRequest): Promise<void> {
    const generations = request.seeds.flatMap((seed) =>
      Array.from({ length: request.n }, (_, i) =>
        generate(i === 0 ? seed : `${seed}\n#${i}`, this.naturalTokens, request.maxTokens),
      ),
    );
    const identity = responseIdentity(request.kind, this.current?.servedName ?? '');
    const stream = request.stream
      ? this.openStream(ctx, 200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
        })
      : null;
    const metrics = this.metrics;
    const startedAt = performance.now();
    let lastTokenAt = startedAt;
    let generated = 0;
    metrics.running++;
    metrics.kvTokens += request.promptTokens;
    metrics.promptTokens += request.promptTokens;

    let delivered = true;
    if (stream && request.kind === 'chat')
      delivered = await stream.write(roleEvent(identity, generations.length));
    const longest = Math.max(...generations.map((g) => g.tokens.length));
    for (let t = 0; t < longest && delivered; t++) {
      await sleep(this.tokenIntervalMs, ctx.signal);
      if (ctx.signal.aborted) {
        delivered = false;
        break;
      }
      const now = performance.now();
      if (t === 0) metrics.timeToFirstToken.observe((now - startedAt) / 1000);
      else metrics.interTokenLatency.observe((now - lastTokenAt) / 1000);
      lastTokenAt = now;
      for (const [index, g] of generations.entries()) {
        const token = g.tokens[t];
        if (token === undefined) continue;
        generated++;
        metrics.generationTokens++;
        metrics.kvTokens++;
        const finish = t === g.tokens.length - 1 ? g.finishReason : null;
        if (stream && !(await stream.write(tokenEvent(identity, index, token, finish)))) {
          delivered = false;
          break;
        }
      }
    }

    metrics.running--;
    metrics.kvTokens -= request.promptTokens + generated;
    metrics.e2eLatency.observe((performance.now() - startedAt) / 1000);
    if (!delivered) {
      metrics.finished.abort++;
      // A stream cut by an injected fault is the network's doing, not the client's.
      if (!stream?.droppedByFault) this.abortedRequests++;
      return;
    }
    for (const g of generations) metrics.finished[g.finishReason]++;
    const completionTokens = generations.reduce((sum, g) => sum + g.tokens.length, 0);
    const usage: Usage = {
      prompt_tokens: request.promptTokens,
      total_tokens: request.promptTokens + completionTokens,
      completion_tokens: completionTokens,
    };
    if (!stream) return sendJson(ctx.res, 200, completionBody(identity, generations, usage));
    if (request.includeUsage) await stream.write(usageEvent(identity, usage));
    if (await stream.write(DONE_EVENT)) stream.end();
  }

  /** Runs lifecycle changes one at a time, so a cancelled load can never open the port behind a newer one. */
  private exclusive(work: () => Promise<void>): Promise<void> {
    const result = this.lifecycle.then(work);
    this.lifecycle = result.catch(() => undefined);
    return result;
  }

  private cancelLoad(): void {
    this.loadAbort?.abort();
    this.loadAbort = null;
  }
}

function sendError(
  ctx: RequestContext,
  status: 400 | 404,
  message: string,
  param: string | null = null,
): void {
  const type = status === 404 ? 'NotFoundError' : 'BadRequestError';
  sendJson(ctx.res, status, openAiError(message, type, status === 404 ? param : null, status));
}
