import type { LaneConfig, ServiceConfig, ServiceName } from './config';

const MINUTE = 60_000;

/** Where each service lives in the classic two-Spark layout, and how long it may take to answer. */
export const DEFAULT_SERVICES: Record<ServiceName, Omit<ServiceConfig, 'host' | 'disabled'>> = {
  vllm: {
    name: 'vllm',
    node: 'spark1',
    port: 8888,
    container: 'vllm_node',
    lane: 'llm',
    connectTimeoutMs: 5_000,
    responseTimeoutMs: 30 * MINUTE,
  },
  parakeet: {
    name: 'parakeet',
    node: 'spark2',
    port: 8000,
    container: 'parakeet-asr',
    lane: 'speech',
    connectTimeoutMs: 5_000,
    responseTimeoutMs: 10 * MINUTE,
  },
  kokoro: {
    name: 'kokoro',
    node: 'spark2',
    port: 8880,
    container: 'kokoro',
    lane: 'tts',
    connectTimeoutMs: 5_000,
    responseTimeoutMs: 2 * MINUTE,
  },
  embed: {
    name: 'embed',
    node: 'spark2',
    port: 8088,
    container: 'spark-embed',
    lane: 'embed',
    connectTimeoutMs: 5_000,
    responseTimeoutMs: 2 * MINUTE,
  },
  qdrant: {
    name: 'qdrant',
    node: 'spark2',
    port: 6333,
    container: 'qdrant',
    lane: 'qdrant',
    connectTimeoutMs: 5_000,
    responseTimeoutMs: 30_000,
  },
};

/**
 * Admission lanes. The speech GPU process is not re-entrant, so its lane admits one request at a
 * time; vLLM batches internally and only needs a generous ceiling.
 */
export const DEFAULT_LANES: Record<string, LaneConfig> = {
  llm: { concurrency: 256, queueLimit: 1024, retryAfterS: 5 },
  speech: { concurrency: 1, queueLimit: 16, retryAfterS: 30 },
  tts: { concurrency: 2, queueLimit: 16, retryAfterS: 10 },
  embed: { concurrency: 4, queueLimit: 64, retryAfterS: 5 },
  qdrant: { concurrency: 16, queueLimit: 256, retryAfterS: 5 },
};
