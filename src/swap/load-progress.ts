/** Where a vLLM start-up is, as its log tells it. Stages only move forward. */
export type LoadStage = 'starting' | 'weights' | 'weights_done' | 'kv_cache' | 'graphs' | 'api' | 'ready';

export interface LoadProgress {
  stage: LoadStage;
  shardsLoaded: number | null;
  shardsTotal: number | null;
  /** Set when a line says the engine cannot start (the load will never finish). */
  fatal: string | null;
}

const STAGE_ORDER: LoadStage[] = [
  'starting',
  'weights',
  'weights_done',
  'kv_cache',
  'graphs',
  'api',
  'ready',
];

const SHARDS = /Loading safetensors checkpoint shards:.*?(\d+)\/(\d+)/;

const FATAL: [RegExp, string][] = [
  [/Engine core initialization failed|EngineCore failed to start/, 'the vLLM engine failed to start'],
  [
    /Free memory on device .* is less than desired GPU memory utilization/,
    'not enough free GPU memory to start',
  ],
  [/larger than the available KV cache memory/, 'the KV cache does not fit in the memory left for it'],
  [/CUDA out of memory|torch\.OutOfMemoryError/, 'the GPU ran out of memory'],
  [/EngineDeadError/, 'the vLLM engine died'],
  [/error while attempting to bind on address/, 'vLLM could not open its port (another process holds it)'],
  [/Watchdog caught collective operation timeout/, 'the nodes stopped talking to each other (NCCL timeout)'],
];

export function initialProgress(): LoadProgress {
  return { stage: 'starting', shardsLoaded: null, shardsTotal: null, fatal: null };
}

/** The progress after one more log line (the same object when the line changes nothing). */
export function advance(progress: LoadProgress, line: string): LoadProgress {
  for (const [pattern, meaning] of FATAL) {
    if (pattern.test(line)) return progress.fatal ? progress : { ...progress, fatal: meaning };
  }
  const shards = SHARDS.exec(line);
  if (shards) {
    const loaded = Number(shards[1]);
    const total = Number(shards[2]);
    return {
      ...moveTo(progress, loaded >= total ? 'weights_done' : 'weights'),
      shardsLoaded: loaded,
      shardsTotal: total,
    };
  }
  if (/Loading weights took|Model loading took/.test(line)) return moveTo(progress, 'weights_done');
  if (/Available KV cache memory|GPU KV cache size|Maximum concurrency for/.test(line))
    return moveTo(progress, 'kv_cache');
  if (/Capturing CUDA graphs|Graph capturing finished|init engine \(profile/.test(line))
    return moveTo(progress, 'graphs');
  if (/Starting vLLM API server|Available routes are/.test(line)) return moveTo(progress, 'api');
  if (/Application startup complete\./.test(line)) return moveTo(progress, 'ready');
  return progress;
}

function moveTo(progress: LoadProgress, stage: LoadStage): LoadProgress {
  if (STAGE_ORDER.indexOf(stage) <= STAGE_ORDER.indexOf(progress.stage)) return progress;
  return { ...progress, stage };
}

/** The fraction of the load done (0–1), from the stage and the shard count. */
export function loadFraction(progress: LoadProgress): number {
  switch (progress.stage) {
    case 'starting':
      return 0.05;
    case 'weights': {
      const { shardsLoaded, shardsTotal } = progress;
      const share = shardsTotal ? (shardsLoaded ?? 0) / shardsTotal : 0;
      return 0.1 + 0.5 * share;
    }
    case 'weights_done':
      return 0.6;
    case 'kv_cache':
      return 0.7;
    case 'graphs':
      return 0.85;
    case 'api':
      return 0.95;
    case 'ready':
      return 1;
  }
}

/** What happens now, in plain words. */
export function loadLabel(progress: LoadProgress): string {
  switch (progress.stage) {
    case 'starting':
      return 'Starting vLLM';
    case 'weights':
      return progress.shardsTotal
        ? `Loading weights (shard ${progress.shardsLoaded ?? 0} of ${progress.shardsTotal})`
        : 'Loading weights';
    case 'weights_done':
      return 'Weights loaded';
    case 'kv_cache':
      return 'Sizing the KV cache';
    case 'graphs':
      return 'Capturing CUDA graphs';
    case 'api':
      return 'Starting the API server';
    case 'ready':
      return 'vLLM is up';
  }
}

/**
 * Seconds left: from the model's measured load time when there is one, otherwise extrapolated from
 * the fraction done so far; null when neither says anything yet.
 */
export function etaSeconds(elapsedS: number, expectedS: number | null, fraction: number): number | null {
  if (fraction >= 1) return 0;
  if (expectedS !== null) {
    const byHistory = expectedS - elapsedS;
    // A load slower than its history: fall back on the observed rate rather than a negative ETA.
    if (byHistory > 0) return Math.round(byHistory);
  }
  if (fraction > 0.1 && elapsedS > 0) return Math.max(0, Math.round(elapsedS / fraction - elapsedS));
  return null;
}
