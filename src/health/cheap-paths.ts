import type { ServiceName } from '../config/config';

/** The cheapest "are you serving" route of each service (qdrant: ready, not merely alive). */
export const CHEAP_PROBE_PATHS: Record<ServiceName, string> = {
  vllm: '/health',
  parakeet: '/health',
  kokoro: '/health',
  embed: '/health',
  qdrant: '/readyz',
};
