import { sleep } from './http-service';

export interface ModelSpec {
  /** The primary served model name (`--served-model-name`, first value). */
  servedName: string;
  /** Extra served names the same model answers to. */
  aliases?: string[];
  /** The Hugging Face repository the weights come from (`/v1/models` `root`). */
  root: string;
  maxModelLen?: number;
}

export interface LoadSpec extends ModelSpec {
  /** How long the load takes, from the process start to "Application startup complete.". */
  loadDelayMs?: number;
  /** Make the load fail the way a misconfigured engine does: no listener ever appears. */
  failLoad?: 'engine-init';
}

export type LoadOutcome = 'ready' | 'failed' | 'cancelled';

export interface LoadSteps {
  spec: LoadSpec;
  loadDelayMs: number;
  port: number;
  version: string;
  kvCacheTokens: number;
  log: (line: string) => void;
  /** Starts the API server listening; rejects when the port cannot be bound. */
  listen: () => Promise<void>;
  signal: AbortSignal;
}

const DEFAULT_MAX_MODEL_LEN = 32_768;

export function maxModelLenOf(spec: ModelSpec): number {
  return spec.maxModelLen ?? DEFAULT_MAX_MODEL_LEN;
}

/**
 * Plays a vLLM start-up: the log lines a real load prints (so a log follower can parse progress),
 * spread over `loadDelayMs`, then the API server starts listening. Until then nothing listens on the
 * port, exactly as with real vLLM.
 */
export async function runLoad(steps: LoadSteps): Promise<LoadOutcome> {
  const { spec, loadDelayMs, log, signal } = steps;
  const startedAt = performance.now();
  const elapsedS = () => ((performance.now() - startedAt) / 1000).toFixed(2);
  const reach = async (fraction: number): Promise<boolean> => {
    const wait = loadDelayMs * fraction - (performance.now() - startedAt);
    await sleep(Math.max(0, wait), signal);
    return !signal.aborted;
  };
  const api = (source: string, text: string) =>
    log(`(APIServer pid=${API_PID}) INFO ${stamp()} [${source}] ${text}`);
  const engine = (level: string, source: string, text: string) =>
    log(`(EngineCore_DP0 pid=${ENGINE_PID}) ${level} ${stamp()} [${source}] ${text}`);

  const names = [spec.servedName, ...(spec.aliases ?? [])];
  const maxLen = maxModelLenOf(spec);
  const weightsGiB = weightsGiBOf(spec.root);
  const shards = Math.max(1, Math.ceil(weightsGiB / 4));

  api('api_server.py:1896', `vLLM API server version ${steps.version}`);
  api(
    'utils.py:328',
    `non-default args: {'model_tag': '${spec.root}', 'host': '0.0.0.0', 'port': ${steps.port}, ` +
      `'model': '${spec.root}', 'max_model_len': ${maxLen}, 'served_model_name': [${names.map((n) => `'${n}'`).join(', ')}]}`,
  );
  engine(
    'INFO',
    'core.py:77',
    `Initializing a V1 LLM engine (v${steps.version}) with config: model='${spec.root}'`,
  );
  for (let k = 0; k <= shards; k++) {
    if (!(await reach(0.1 + (0.5 * k) / shards))) return 'cancelled';
    const elapsed = (performance.now() - startedAt) / 1000;
    log(`Loading safetensors checkpoint shards: ${progressBar(k, shards, elapsed)}`);
  }
  engine('INFO', 'default_loader.py:267', `Loading weights took ${elapsedS()} seconds`);
  engine(
    'INFO',
    'gpu_model_runner.py:2653',
    `Model loading took ${weightsGiB.toFixed(4)} GiB and ${elapsedS()} seconds`,
  );

  if (spec.failLoad === 'engine-init') {
    if (!(await reach(0.7))) return 'cancelled';
    engine('ERROR', 'core.py:708', 'EngineCore failed to start.');
    log(
      `(APIServer pid=${API_PID}) RuntimeError: Engine core initialization failed. See root cause above. ` +
        'Failed core proc(s): {}',
    );
    return 'failed';
  }

  if (!(await reach(0.7))) return 'cancelled';
  engine(
    'INFO',
    'gpu_worker.py:298',
    `Available KV cache memory: ${(steps.kvCacheTokens / 16_384).toFixed(2)} GiB`,
  );
  engine('INFO', 'kv_cache_utils.py:1087', `GPU KV cache size: ${steps.kvCacheTokens} tokens`);
  engine(
    'INFO',
    'kv_cache_utils.py:1091',
    `Maximum concurrency for ${maxLen} tokens per request: ${(steps.kvCacheTokens / maxLen).toFixed(2)}x`,
  );
  if (!(await reach(0.9))) return 'cancelled';
  engine('INFO', 'gpu_model_runner.py:3480', `Graph capturing finished in ${elapsedS()} secs, took 0.52 GiB`);
  engine(
    'INFO',
    'core.py:210',
    `init engine (profile, create kv cache, warmup model) took ${elapsedS()} seconds`,
  );
  if (!(await reach(1))) return 'cancelled';
  api('api_server.py:1971', `Starting vLLM API server 0 on http://0.0.0.0:${steps.port}`);
  try {
    await steps.listen();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(
      `(APIServer pid=${API_PID}) ERROR:    [Errno 98] error while attempting to bind on address: ${reason}`,
    );
    return 'failed';
  }
  if (signal.aborted) return 'cancelled';
  log(`(APIServer pid=${API_PID}) INFO:     Started server process [${API_PID}]`);
  log(`(APIServer pid=${API_PID}) INFO:     Waiting for application startup.`);
  log(`(APIServer pid=${API_PID}) INFO:     Application startup complete.`);
  return 'ready';
}

const API_PID = 1;
const ENGINE_PID = 287;

/** Weight size from the parameter count in the repository name (bf16 unless the name says otherwise). */
function weightsGiBOf(root: string): number {
  const params = /(\d+(?:\.\d+)?)B\b/i.exec(root)?.[1];
  if (params === undefined) return 8;
  const bytesPerParam = /fp8/i.test(root) ? 1 : /int4|awq|gptq|nvfp4|mxfp4/i.test(root) ? 0.5 : 2;
  return (Number(params) * 1e9 * bytesPerParam) / 2 ** 30;
}

/** tqdm's text, e.g. ` 50% Completed | 1/2 [00:01<00:01,  1.05s/it]`. */
function progressBar(done: number, total: number, elapsedS: number): string {
  const percent = String(Math.round((100 * done) / total)).padStart(3);
  if (done === 0) return `${percent}% Completed | 0/${total} [00:00<?, ?it/s]`;
  const perItem = elapsedS / done;
  const remaining = perItem * (total - done);
  return `${percent}% Completed | ${done}/${total} [${clock(elapsedS)}<${clock(remaining)}, ${perItem.toFixed(2).padStart(5)}s/it]`;
}

function clock(seconds: number): string {
  const whole = Math.round(seconds);
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

/** vLLM's log time stamp, `MM-DD hh:mm:ss`. */
export function stamp(): string {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(now.getMonth() + 1)}-${two(now.getDate())} ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}`;
}
